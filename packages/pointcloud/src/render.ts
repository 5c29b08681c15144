/**
 * Depth-shaded PNG renders of point clouds for reports: an orthographic view from the
 * front-right-top (the same view as @ebm/voxel's renders; y is up), points drawn far to near as
 * discs, nearer points larger and darker.
 */
import { Raster, type Rgb } from '@ebm/core';
import { DEFAULT_VIEW, type View } from '@ebm/geometry';
import type { PointCloud } from './cloud';

export interface CloudRenderOptions {
  /** Pixel size of one render; default 128. */
  size?: number;
  /** Colour of the nearest points; default a muted blue. */
  color?: Rgb;
  /** Half-width of the view in cloud units; default 1.1 (normalised clouds lie in the unit ball). */
  extent?: number;
  /** The camera; default @ebm/geometry's DEFAULT_VIEW (front-right-top), shared with the voxel renders. */
  view?: View;
}

const dot = (p: ArrayLike<number>, o: number, v: number[]) => p[o]! * v[0]! + p[o + 1]! * v[1]! + p[o + 2]! * v[2]!;

/** Renders one cloud into a new square raster. */
export function renderCloud(cloud: PointCloud, options: CloudRenderOptions = {}): Raster {
  const size = options.size ?? 128;
  const base = options.color ?? [50, 90, 160];
  const extent = options.extent ?? 1.1;
  const { dir: DIR, right: RIGHT, up: UP } = options.view ?? DEFAULT_VIEW;
  const n = cloud.points.length / 3;
  const r = new Raster(size, size);
  const depth = Float64Array.from({ length: n }, (_, i) => dot(cloud.points, 3 * i, DIR));
  let lo = Infinity;
  let hi = -Infinity;
  for (const d of depth) if (Number.isFinite(d)) (lo = Math.min(lo, d)), (hi = Math.max(hi, d));
  // Far points first (largest depth along the view direction), so near ones cover them.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => depth[b]! - depth[a]!);
  const radius = Math.max(0.8, size / 110);
  for (const i of order) {
    const u = dot(cloud.points, 3 * i, RIGHT);
    const v = dot(cloud.points, 3 * i, UP);
    if (!Number.isFinite(u) || !Number.isFinite(v)) continue;
    const t = hi > lo ? (depth[i]! - lo) / (hi - lo) : 0; // 0 near, 1 far
    const px = (u / extent / 2 + 0.5) * size;
    const py = (0.5 - v / extent / 2) * size;
    const fade = 0.15 + 0.75 * t;
    const c: Rgb = [base[0] + (235 - base[0]) * fade, base[1] + (235 - base[1]) * fade, base[2] + (235 - base[2]) * fade];
    r.disc(px, py, radius * (1.25 - 0.5 * t), c);
  }
  return r;
}

/** Renders clouds side by side in rows of `cols`, with optional captions under each. */
export function renderClouds(clouds: readonly PointCloud[], options: CloudRenderOptions & { cols?: number; captions?: string[] } = {}): Raster {
  const size = options.size ?? 128;
  const cols = Math.min(options.cols ?? 8, Math.max(1, clouds.length));
  const rows = Math.ceil(clouds.length / cols);
  const capH = options.captions ? 12 : 0;
  const out = new Raster(cols * size, rows * (size + capH));
  clouds.forEach((c, i) => {
    const x = (i % cols) * size;
    const y = Math.floor(i / cols) * (size + capH);
    out.draw(renderCloud(c, options), x, y);
    if (options.captions?.[i]) out.text(x + size / 2, y + size + 2, options.captions[i]!, [40, 40, 40], 1, 'center');
  });
  return out;
}
