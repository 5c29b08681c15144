/**
 * Occupancy thresholds read off the training shapes. A conditional chain's recovered values, and a
 * baseline's, are thresholded into voxels; which threshold gets the most right depends on the data
 * (thin shapes, a model's confidence), so each method gets the one that scores best on the
 * training shapes, and is scored on the unseen ones with it.
 */
import { langevin, type Energy, type LangevinOptions, type Tensor } from '@ebm/core';
import { tensorToGrids, type VoxelGrid, type VoxelScaling } from '@ebm/voxel';

/** Candidate thresholds: 0.05, 0.075, …, 0.95. */
export const THRESHOLDS: readonly number[] = Array.from({ length: 37 }, (_, k) => Math.round((0.05 + 0.025 * k) * 1000) / 1000);

/** The candidate with the highest `score`; among equals, the one nearest 0.5. */
export function bestThreshold(score: (at: number) => number): number {
  let best = { at: 0.5, score: -Infinity };
  for (const at of THRESHOLDS) {
    const s = score(at);
    if (s > best.score || (s === best.score && Math.abs(at - 0.5) < Math.abs(best.at - 0.5))) best = { at, score: s };
  }
  return best.at;
}

export interface HiddenScores {
  /** Hidden voxels whose thresholded value differs from the truth. */
  wrong: number;
  /** Hidden voxels. */
  total: number;
  /** Mean over shapes of the IoU of the occupied hidden voxels (1 when both are empty). */
  iou: number;
}

/**
 * Scores of per-shape values, occupied where over `at`, on the hidden voxels (`observed` 0; one
 * row of the grid's size per shape) against the true shapes.
 */
export function hiddenScores(values: ArrayLike<number>[], truth: VoxelGrid[], observed: ArrayLike<number>, at: number): HiddenScores {
  let wrong = 0;
  let total = 0;
  let iouSum = 0;
  truth.forEach((t, i) => {
    const n = t.data.length;
    const v = values[i]!;
    let both = 0;
    let either = 0;
    for (let j = 0; j < n; j++) {
      if (observed[i * n + j]) continue;
      total++;
      const on = v[j]! > at ? 1 : 0;
      if (on !== t.data[j]) wrong++;
      if (on && t.data[j]) both++;
      if (on || t.data[j]) either++;
    }
    iouSum += either ? both / either : 1;
  });
  return { wrong, total, iou: truth.length ? iouSum / truth.length : 1 };
}

/** At most `max` of the training shapes for choosing thresholds, evenly spaced (one chain each). */
export function calibrationShapes<T>(train: T[], max = 64): T[] {
  if (train.length <= max) return train;
  return Array.from({ length: max }, (_, k) => train[Math.floor((k * train.length) / max)]!);
}

/**
 * Where a noise-free conditional chain may be stopped: after a quarter, half, three quarters and
 * all of its `steps` (rounded, distinct, at least 1). The chain is noise-free, so a chain run in
 * these pieces is the same chain; each stop's values are scored on the training shapes.
 */
export function quarterStops(steps: number): number[] {
  return [1, 2, 3, 4].map((q) => Math.round((q * steps) / 4)).filter((v, i, a) => v > 0 && a.indexOf(v) === i);
}

/**
 * Runs a noise-free chain from `start` in pieces ending at each of `stops` (ascending) and gives
 * the grids (occupancy units) at every stop. `start` stays the caller's; the chain's own tensors
 * are disposed.
 */
export async function chainAtStops(energy: Energy, start: Tensor, sampler: LangevinOptions, scaling: VoxelScaling, stops: number[]): Promise<VoxelGrid[][]> {
  const out: VoxelGrid[][] = [];
  let x = start;
  try {
    for (let j = 0; j < stops.length; j++) {
      const next = (await langevin(energy, x, { ...sampler, numSteps: stops[j]! - (stops[j - 1] ?? 0) })).x;
      if (x !== start) x.dispose();
      x = next;
      out.push(await tensorToGrids(x, scaling));
    }
  } finally {
    if (x !== start) x.dispose();
  }
  return out;
}
