/** Exact rigid moves of voxel grids: quarter turns and integer shifts (no resampling). */
import { InvalidOptionError } from '@ebm/core';
import { voxelIndex, type VoxelGrid } from './grid';

/**
 * Turns a grid by k quarter turns about the y axis (y is up in the procedural shapes), mapping
 * (x, z) → (z, n−1−x) per turn. Needs equal x and z sizes.
 */
export function rotateY90(g: VoxelGrid, k: number): VoxelGrid {
  if (!Number.isInteger(k)) throw new InvalidOptionError('rotateY90', 'k', k, 'an integer number of quarter turns');
  const [nx, ny, nz] = g.dims;
  if (nx !== nz) throw new InvalidOptionError('rotateY90', 'grid', g.dims.join('×'), 'equal x and z sizes');
  let src = g;
  for (let t = 0; t < ((k % 4) + 4) % 4; t++) {
    const out: VoxelGrid = { dims: [nx, ny, nz], data: new (src.data.constructor as Uint8ArrayConstructor)(src.data.length) };
    for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) for (let z = 0; z < nz; z++) out.data[voxelIndex(out.dims, z, y, nx - 1 - x)] = src.data[voxelIndex(src.dims, x, y, z)]!;
    src = out;
  }
  return src === g ? { dims: [nx, ny, nz], data: g.data.slice() } : src;
}

/**
 * A grid stored with z up, stood on y as the rest of the package has it: (x, y, z) → (x, z, −y),
 * the turn `voxelizeMesh({ up: 'z' })` gives meshes. A D×H×W grid becomes D×W×H.
 */
export function zUpToYUp(g: VoxelGrid): VoxelGrid {
  const [nx, ny, nz] = g.dims;
  const out: VoxelGrid = { dims: [nx, nz, ny], data: new (g.data.constructor as Uint8ArrayConstructor)(g.data.length) };
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) for (let z = 0; z < nz; z++) out.data[voxelIndex(out.dims, x, z, ny - 1 - y)] = g.data[voxelIndex(g.dims, x, y, z)]!;
  return out;
}

/** Shifts a grid by whole voxels; what leaves the grid is dropped, what enters is empty. */
export function translate(g: VoxelGrid, shift: readonly [number, number, number]): VoxelGrid {
  if (!shift.every(Number.isInteger)) throw new InvalidOptionError('translate', 'shift', shift, 'three integers');
  const [nx, ny, nz] = g.dims;
  const [dx, dy, dz] = shift;
  const out: VoxelGrid = { dims: [nx, ny, nz], data: new (g.data.constructor as Uint8ArrayConstructor)(g.data.length) };
  for (let x = Math.max(0, -dx); x < Math.min(nx, nx - dx); x++)
    for (let y = Math.max(0, -dy); y < Math.min(ny, ny - dy); y++)
      for (let z = Math.max(0, -dz); z < Math.min(nz, nz - dz); z++) out.data[voxelIndex(g.dims, x + dx, y + dy, z + dz)] = g.data[voxelIndex(g.dims, x, y, z)]!;
  return out;
}

/** Bounding box of the occupied voxels (value > 0.5), as [min, max] inclusive per axis; undefined if empty. */
export function boundingBox(g: VoxelGrid): [number, number][] | undefined {
  const [nx, ny, nz] = g.dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let x = 0; x < nx; x++)
    for (let y = 0; y < ny; y++)
      for (let z = 0; z < nz; z++) {
        if (!(g.data[voxelIndex(g.dims, x, y, z)]! > 0.5)) continue;
        [x, y, z].forEach((v, i) => ((lo[i] = Math.min(lo[i]!, v)), (hi[i] = Math.max(hi[i]!, v))));
      }
  return lo[0] === Infinity ? undefined : lo.map((l, i) => [l, hi[i]!] as [number, number]);
}
