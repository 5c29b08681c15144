/**
 * Shaded PNG renders of voxel grids for reports: an orthographic view from the front-right-top,
 * each pixel's ray walked through the grid voxel by voxel (Amanatides & Woo, 1987) to the first
 * occupied voxel, lit by the normal of the face it enters through.
 */
import { Raster, type Rgb } from '@ebm/core';
import { DEFAULT_VIEW, type View } from '@ebm/geometry';
import { voxelIndex, type VoxelGrid } from './grid';

export interface RenderOptions {
  /** Pixel size of one render; default 128. */
  size?: number;
  /** Base colour; default a muted blue. */
  color?: Rgb;
  /** The camera and light; default @ebm/geometry's DEFAULT_VIEW (front-right-top), shared with the point-cloud renders. */
  view?: View;
}

/** Renders one grid (values > 0.5 are occupied) into a new square raster. */
export function renderGrid(grid: VoxelGrid, options: RenderOptions = {}): Raster {
  const size = options.size ?? 128;
  const base = options.color ?? [90, 130, 190];
  const { dir: DIR, right: RIGHT, up: UP, light: LIGHT } = options.view ?? DEFAULT_VIEW;
  const [dx, dy, dz] = grid.dims;
  const n = Math.max(dx, dy, dz);
  const r = new Raster(size, size);
  const centre = [dx / 2, dy / 2, dz / 2];
  const half = n * 0.9;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const u = ((px + 0.5) / size - 0.5) * 2 * half;
      const v = (0.5 - (py + 0.5) / size) * 2 * half;
      const o = [0, 1, 2].map((k) => centre[k]! - DIR[k]! * 2 * n + u * RIGHT[k]! + v * UP[k]!);
      const hit = castRay(grid, o, DIR);
      if (hit === undefined) continue;
      const shade = 0.3 + 0.7 * Math.max(0, hit.normal.reduce((s, c, k) => s + c * LIGHT[k]!, 0));
      // Slightly darker lower down, for depth.
      const h = 0.8 + 0.2 * (hit.y / dy);
      r.blend(px, py, [base[0] * shade * h, base[1] * shade * h, base[2] * shade * h]);
    }
  }
  return r;
}

function castRay(grid: VoxelGrid, o: number[], d: number[]): { normal: number[]; y: number } | undefined {
  const dims = grid.dims;
  // Enter the grid's box.
  let t0 = -Infinity;
  let t1 = Infinity;
  let enterAxis = 0;
  for (let k = 0; k < 3; k++) {
    const a = (0 - o[k]!) / d[k]!;
    const b = (dims[k]! - o[k]!) / d[k]!;
    const lo = Math.min(a, b);
    if (lo > t0) (t0 = lo), (enterAxis = k);
    t1 = Math.min(t1, Math.max(a, b));
  }
  if (t0 > t1 || t1 < 0) return undefined;
  const p = [0, 1, 2].map((k) => o[k]! + d[k]! * (t0 + 1e-6));
  const cell = p.map((c, k) => Math.min(dims[k]! - 1, Math.max(0, Math.floor(c))));
  const step = d.map((c) => (c > 0 ? 1 : -1));
  const tDelta = d.map((c) => Math.abs(1 / c));
  const tMax = [0, 1, 2].map((k) => ((step[k]! > 0 ? cell[k]! + 1 : cell[k]!) - p[k]!) / d[k]!);
  let axis = enterAxis;
  for (;;) {
    if (grid.data[voxelIndex(dims, cell[0]!, cell[1]!, cell[2]!)]! > 0.5) {
      const normal = [0, 0, 0];
      normal[axis] = -step[axis]!;
      return { normal, y: cell[1]! };
    }
    axis = tMax[0]! < tMax[1]! ? (tMax[0]! < tMax[2]! ? 0 : 2) : tMax[1]! < tMax[2]! ? 1 : 2;
    cell[axis]! += step[axis]!;
    if (cell[axis]! < 0 || cell[axis]! >= dims[axis]!) return undefined;
    tMax[axis]! += tDelta[axis]!;
  }
}

/** Renders grids side by side in rows of `cols`, with an optional caption under each. */
export function renderGrids(grids: readonly VoxelGrid[], options: RenderOptions & { cols?: number; captions?: string[] } = {}): Raster {
  const size = options.size ?? 128;
  const cols = Math.min(options.cols ?? 8, Math.max(1, grids.length));
  const rows = Math.ceil(grids.length / cols);
  const capH = options.captions ? 12 : 0;
  const out = new Raster(cols * size, rows * (size + capH));
  grids.forEach((g, i) => {
    const x = (i % cols) * size;
    const y = Math.floor(i / cols) * (size + capH);
    out.draw(renderGrid(g, options), x, y);
    if (options.captions?.[i]) out.text(x + size / 2, y + size + 2, options.captions[i]!, [40, 40, 40], 1, 'center');
  });
  return out;
}
