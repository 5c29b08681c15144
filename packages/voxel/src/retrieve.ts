/**
 * Retrieval: the candidate shapes (training shapes, say) that best match what is known of an
 * unseen one. Completing a damaged shape by its nearest training shape is the standard retrieval
 * baseline of shape completion: a learned model that does not beat it has learned no more than a
 * lookup of the training set. apps/demo-voxel reports it beside recovery and super-resolution,
 * and its recovery chains start from the mean of the k nearest shapes blended with the local
 * neighbourhood share (`damageShapes`' `retrieval`; measured in docs/voxel.md).
 */
import { InvalidOptionError, ShapeMismatchError } from '@ebm/core';
import type { VoxelGrid } from './grid';

/**
 * Weight of the retrieved shapes in a recovery or super-resolution start, the rest the local guess
 * (the neighbourhood share; trilinear upsampling). Even weights, not tuned: the blends beat both of
 * their parts as guesses on real chairs and aircraft (docs/voxel.md, "Retrieval").
 */
export const RETRIEVAL_WEIGHT = 0.5;

export interface NearestOptions {
  /** How many candidates to return, nearest first (default 1). */
  k?: number;
  /** Nonzero where the query's voxel is known (one entry per voxel); only those are compared. Default: every voxel. */
  known?: ArrayLike<number>;
}

/**
 * The indices of the `k` candidates nearest to `query` in squared distance over its known voxels,
 * nearest first; among equals, the earlier candidate. For binary grids the distance is the
 * number of known voxels on which they disagree. A candidate that is the query object itself is
 * skipped, so passing a shape's own set gives leave-one-out retrieval. Candidates must have the
 * query's dims.
 */
export function nearestGrids(query: VoxelGrid, candidates: readonly VoxelGrid[], options: NearestOptions = {}): number[] {
  const n = query.data.length;
  const k = options.k ?? 1;
  const known = options.known;
  if (!Number.isInteger(k) || k < 1) throw new InvalidOptionError('nearestGrids', 'k', k, 'an integer >= 1');
  if (known && known.length !== n) throw new ShapeMismatchError(`nearestGrids: the mask has ${known.length} entries, the query ${n} voxels`);
  // The known voxels' indices once, so each candidate is one pass over them.
  const at = known ? Int32Array.from({ length: n }, (_, j) => j).filter((j) => known[j]) : undefined;
  const best: { index: number; distance: number }[] = [];
  candidates.forEach((c, index) => {
    if (c.data.length !== n || c.dims.some((d, i) => d !== query.dims[i])) throw new ShapeMismatchError(`nearestGrids: candidate ${index} is ${c.dims.join('×')}, the query ${query.dims.join('×')}`);
    if (c === query) return;
    // A candidate stops being summed once it cannot enter the k best.
    const bound = best.length < k ? Infinity : best[k - 1]!.distance;
    let distance = 0;
    const len = at ? at.length : n;
    for (let i = 0; i < len && distance < bound; i++) {
      const j = at ? at[i]! : i;
      const e = query.data[j]! - c.data[j]!;
      distance += e * e;
    }
    if (distance >= bound) return;
    let p = best.length;
    while (p > 0 && best[p - 1]!.distance > distance) p--;
    best.splice(p, 0, { index, distance });
    if (best.length > k) best.pop();
  });
  return best.map((b) => b.index);
}

/** The index of the candidate nearest to `query` over its known voxels (`nearestGrids` with k = 1). */
export function nearestGrid(query: VoxelGrid, candidates: readonly VoxelGrid[], known?: ArrayLike<number>): number {
  const [i] = nearestGrids(query, candidates, { k: 1, known });
  if (i === undefined) throw new InvalidOptionError('nearestGrid', 'candidates', candidates.length, 'at least one grid other than the query');
  return i;
}

/**
 * For every voxel, the mean over the `k` candidates nearest to `query` on its known voxels
 * (`nearestGrids`): for binary shapes, the share of them occupied there. Undefined when no
 * candidate other than the query itself is given.
 */
export function retrievalShare(query: VoxelGrid, candidates: readonly VoxelGrid[], options: NearestOptions = {}): Float32Array | undefined {
  const idx = nearestGrids(query, candidates, options);
  if (idx.length === 0) return undefined;
  const out = new Float32Array(query.data.length);
  for (const i of idx) {
    const d = candidates[i]!.data;
    for (let j = 0; j < out.length; j++) out[j] += d[j]!;
  }
  for (let j = 0; j < out.length; j++) out[j] /= idx.length;
  return out;
}
