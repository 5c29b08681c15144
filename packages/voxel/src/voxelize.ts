/**
 * Meshes → voxels: normalise (centre, longest side to the grid with a one-voxel margin,
 * optional z-up → y-up), mark every voxel the surface passes through by dense sampling of each
 * triangle (points at most 0.4 voxel apart), flood-fill the outside from the grid's border, and
 * call everything the flood does not reach occupied. Holes in the surface (scanned meshes such as
 * the Stanford bunny have open bases) are closed morphologically: the surface is dilated by
 * `close` voxels before the flood and the solid eroded by as much after, so gaps up to about
 * 2·close voxels wide do not let the flood inside.
 */
import { InvalidOptionError } from '@ebm/core';
import { voxelIndex, type VoxelGrid } from './grid';
import type { TriangleMesh } from '@ebm/geometry';

export interface VoxelizeOptions {
  /** Grid side; default 32. */
  size?: number;
  /** Which axis points up in the mesh (or, for `loadGrid`, the stored grid); 'z' (common for STL, ModelNet) is turned into the grid's y. Default 'y'. */
  up?: 'y' | 'z';
  /** 'cube' (default): centre and scale the bounding box into the grid. 'none': coordinates are voxel units already. */
  fit?: 'cube' | 'none';
  /**
   * Hole closing radius in voxels (dilate before the flood fill, erode after); default size/16
   * rounded (2 at 32³: the Stanford bunny's open base needs it), 0 turns it off.
   */
  close?: number;
}

export function voxelizeMesh(mesh: TriangleMesh, options: VoxelizeOptions = {}): VoxelGrid {
  const size = options.size ?? 32;
  if (!Number.isInteger(size) || size < 4 || size > 512) throw new InvalidOptionError('voxelizeMesh', 'size', size, 'an integer in [4, 512]');
  const n = mesh.positions.length / 3;
  const p = new Float32Array(mesh.positions.length);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [mesh.positions[3 * i]!, mesh.positions[3 * i + 1]!, mesh.positions[3 * i + 2]!];
    if (options.up === 'z') p.set([x, z, -y], 3 * i);
    else p.set([x, y, z], 3 * i);
  }
  if ((options.fit ?? 'cube') === 'cube') {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < p.length; i++) (lo[i % 3] = Math.min(lo[i % 3]!, p[i]!)), (hi[i % 3] = Math.max(hi[i % 3]!, p[i]!));
    const extent = Math.max(hi[0]! - lo[0]!, hi[1]! - lo[1]!, hi[2]! - lo[2]!) || 1;
    const scale = (size - 2) / extent;
    for (let i = 0; i < p.length; i++) {
      const k = i % 3;
      // Centre x and z; stand the shape on the margin in y.
      p[i] = k === 1 ? 1 + (p[i]! - lo[1]!) * scale : size / 2 + (p[i]! - (lo[k]! + hi[k]!) / 2) * scale;
    }
  }
  const close = options.close ?? Math.max(1, Math.round(size / 16));
  if (!Number.isInteger(close) || close < 0) throw new InvalidOptionError('voxelizeMesh', 'close', close, 'an integer >= 0');
  // Work on a grid padded by `close` on every side, so closing never clips at the border.
  const P = size + 2 * close;
  const idx = (x: number, y: number, z: number) => (x * P + y) * P + z;
  const surface = new Uint8Array(P ** 3);
  const mark = (x: number, y: number, z: number) => {
    const [i, j, k] = [Math.floor(x), Math.floor(y), Math.floor(z)];
    if (i >= 0 && j >= 0 && k >= 0 && i < size && j < size && k < size) surface[idx(i + close, j + close, k + close)] = 1;
  };
  const t = mesh.triangles;
  for (let f = 0; f < t.length; f += 3) {
    const a = 3 * t[f]!;
    const b = 3 * t[f + 1]!;
    const c = 3 * t[f + 2]!;
    const ab = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const ac = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
    const bc = [ac[0]! - ab[0]!, ac[1]! - ab[1]!, ac[2]! - ab[2]!];
    const steps = Math.max(1, Math.ceil(Math.max(Math.hypot(...ab), Math.hypot(...ac), Math.hypot(...bc)) / 0.4));
    for (let i = 0; i <= steps; i++)
      for (let j = 0; j <= steps - i; j++) {
        const u = i / steps;
        const v = j / steps;
        mark(p[a]! + u * ab[0]! + v * ac[0]!, p[a + 1]! + u * ab[1]! + v * ac[1]!, p[a + 2]! + u * ab[2]! + v * ac[2]!);
      }
  }
  for (let r = 0; r < close; r++) morph(surface, P, 'dilate');
  // Flood the outside from every empty border voxel (6-connected).
  const outside = new Uint8Array(P ** 3);
  const queue = new Int32Array(P ** 3);
  let head = 0;
  let tail = 0;
  const push = (x: number, y: number, z: number) => {
    if (x < 0 || y < 0 || z < 0 || x >= P || y >= P || z >= P) return;
    const id = idx(x, y, z);
    if (surface[id] || outside[id]) return;
    outside[id] = 1;
    queue[tail++] = id;
  };
  for (let a = 0; a < P; a++)
    for (let b = 0; b < P; b++) {
      push(0, a, b), push(P - 1, a, b), push(a, 0, b), push(a, P - 1, b), push(a, b, 0), push(a, b, P - 1);
    }
  while (head < tail) {
    const id = queue[head++]!;
    const z = id % P;
    const y = Math.floor(id / P) % P;
    const x = Math.floor(id / (P * P));
    push(x + 1, y, z), push(x - 1, y, z), push(x, y + 1, z), push(x, y - 1, z), push(x, y, z + 1), push(x, y, z - 1);
  }
  const solid = Uint8Array.from(outside, (o) => 1 - o);
  for (let r = 0; r < close; r++) morph(solid, P, 'erode');
  const dims: [number, number, number] = [size, size, size];
  const data = new Uint8Array(size ** 3);
  for (let x = 0; x < size; x++) for (let y = 0; y < size; y++) for (let z = 0; z < size; z++) data[voxelIndex(dims, x, y, z)] = solid[idx(x + close, y + close, z + close)]!;
  return { dims, data };
}

/** One step of 6-neighbourhood dilation or erosion, in place (outside the grid counts as empty). */
function morph(g: Uint8Array, size: number, op: 'dilate' | 'erode'): void {
  const src = g.slice();
  const at = (x: number, y: number, z: number) => (x < 0 || y < 0 || z < 0 || x >= size || y >= size || z >= size ? 0 : src[(x * size + y) * size + z]!);
  for (let x = 0; x < size; x++)
    for (let y = 0; y < size; y++)
      for (let z = 0; z < size; z++) {
        const n = [at(x + 1, y, z), at(x - 1, y, z), at(x, y + 1, z), at(x, y - 1, z), at(x, y, z + 1), at(x, y, z - 1)];
        const i = (x * size + y) * size + z;
        g[i] = op === 'dilate' ? (src[i] || n.some(Boolean) ? 1 : 0) : src[i] && n.every(Boolean) ? 1 : 0;
      }
}
