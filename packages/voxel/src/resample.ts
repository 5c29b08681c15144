/**
 * Voxel files of another side than the run's: ShapeNet's `.solid.binvox` are 128³, ModelNet's
 * volumes 30³ or 32³, a run at 16³. A finer grid is pooled by max, a cell occupied when any voxel
 * whose centre falls in it is: the rule `voxelizeMesh` follows (every cell a surface passes
 * through is marked), so a chair leg one fine voxel wide stays, as it would from the mesh. A
 * coarser grid is upsampled by nearest cell. A non-cubic grid is first centred in a cube of its
 * longest side, so the shape keeps its proportions. A grid a little smaller than a multiple or a
 * divisor of `size` is padded to it first (at most n/8 voxels): 3D ShapeNets' 30³ volumes become
 * 32³ as 3D DescriptorNet pads them, then pool exactly 2:1 to 16³ instead of being stretched.
 */
import { InvalidOptionError } from '@ebm/core';
import { voxelIndex, type VoxelGrid } from './grid';

export function resampleGrid(grid: VoxelGrid, size: number): VoxelGrid {
  if (!Number.isInteger(size) || size < 1 || size > 512) throw new InvalidOptionError('resampleGrid', 'size', size, 'an integer in [1, 512]');
  let cube = padToCube(grid);
  const fit = Array.from({ length: Math.floor(cube.dims[0] / 8) + 1 }, (_, k) => cube.dims[0] + k).find((m) => m % size === 0 || size % m === 0);
  if (fit !== undefined && fit > cube.dims[0]) cube = padToCube(cube, fit);
  const n = cube.dims[0];
  if (n === size) return cube;
  const float = cube.data instanceof Float32Array;
  const out = float ? new Float32Array(size ** 3) : new Uint8Array(size ** 3);
  // Source indices along one axis for each target cell: the fine voxels whose centres (i + ½)
  // lie in [t, t + 1) · n/size, or for upsampling the one voxel holding the cell's centre.
  const r = n / size;
  const span = Array.from({ length: size }, (_, t) => {
    if (r <= 1) return [Math.floor((t + 0.5) * r)];
    const lo = Math.ceil(t * r - 0.5);
    const hi = Math.min(n, Math.ceil((t + 1) * r - 0.5));
    return Array.from({ length: hi - lo }, (_, k) => lo + k);
  });
  for (let x = 0; x < size; x++)
    for (let y = 0; y < size; y++)
      for (let z = 0; z < size; z++) {
        let m = 0;
        for (const i of span[x]!) for (const j of span[y]!) for (const k of span[z]!) m = Math.max(m, cube.data[voxelIndex(cube.dims, i, j, k)]!);
        out[voxelIndex([size, size, size], x, y, z)] = m;
      }
  return { dims: [size, size, size], data: out };
}

/** The grid centred in an n³ cube (n at least its longest side; default that side). */
function padToCube(grid: VoxelGrid, side?: number): VoxelGrid {
  const [a, b, c] = grid.dims;
  const n = side ?? Math.max(a, b, c);
  if (a === n && b === n && c === n) return grid;
  const out = grid.data instanceof Float32Array ? new Float32Array(n ** 3) : new Uint8Array(n ** 3);
  const [ox, oy, oz] = [(n - a) >> 1, (n - b) >> 1, (n - c) >> 1];
  for (let x = 0; x < a; x++) for (let y = 0; y < b; y++) for (let z = 0; z < c; z++) out[voxelIndex([n, n, n], x + ox, y + oy, z + oz)] = grid.data[voxelIndex(grid.dims, x, y, z)]!;
  return { dims: [n, n, n], data: out };
}
