/**
 * A local guess for hidden voxels of a partly observed shape: the share of occupied voxels among
 * the observed ones in each voxel's 3×3×3 neighbourhood. It is the recovery baseline of
 * apps/demo-voxel, and the start its recovery chains take for the hidden voxels (measured there
 * against the paper's start at the observed occupancy rate: docs/voxel.md).
 */
import { ShapeMismatchError } from '@ebm/core';
import type { VoxelGrid } from './grid';

export interface NeighbourhoodShareOptions {
  /** The value of a voxel with no observed neighbour (default 0). */
  fallback?: number;
}

/**
 * For every voxel, the mean of `grid` over the observed voxels (`observed` nonzero, one entry per
 * voxel in the grid's order) of its 3×3×3 neighbourhood, itself included; `fallback` where none is
 * observed. Only observed values are read.
 */
export function neighbourhoodShare(grid: VoxelGrid, observed: ArrayLike<number>, options: NeighbourhoodShareOptions = {}): VoxelGrid & { data: Float32Array } {
  const [d, h, w] = grid.dims;
  if (observed.length !== grid.data.length) throw new ShapeMismatchError(`neighbourhoodShare: the mask has ${observed.length} entries, the grid ${grid.data.length} voxels`);
  const fallback = options.fallback ?? 0;
  const out = new Float32Array(grid.data.length);
  for (let x = 0; x < d; x++)
    for (let y = 0; y < h; y++)
      for (let z = 0; z < w; z++) {
        let seen = 0;
        let on = 0;
        for (let i = Math.max(0, x - 1); i <= Math.min(d - 1, x + 1); i++)
          for (let j = Math.max(0, y - 1); j <= Math.min(h - 1, y + 1); j++)
            for (let k = Math.max(0, z - 1); k <= Math.min(w - 1, z + 1); k++) {
              const at = (i * h + j) * w + k;
              if (observed[at]) (seen++, (on += grid.data[at]!));
            }
        out[(x * h + y) * w + z] = seen > 0 ? on / seen : fallback;
      }
  return { dims: [d, h, w], data: out };
}
