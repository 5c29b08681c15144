/**
 * A voxel grid: occupancy (or any scalar) on a dims[0] × dims[1] × dims[2] lattice, stored in
 * C order over (x, y, z) — z runs fastest. Values are 0/1 for shapes; float grids hold model output.
 */
import { ShapeMismatchError, tf, type Tensor } from '@ebm/core';

export interface VoxelGrid {
  dims: [number, number, number];
  data: Uint8Array | Float32Array;
}

export const voxelCount = (g: VoxelGrid) => g.dims[0] * g.dims[1] * g.dims[2];

/** Index of (x, y, z) in a grid's data. */
export const voxelIndex = (dims: readonly number[], x: number, y: number, z: number) => (x * dims[1]! + y) * dims[2]! + z;

/** Occupied fraction of a grid (values > 0.5). */
export function occupancy(g: VoxelGrid): number {
  let n = 0;
  for (let i = 0; i < g.data.length; i++) if (g.data[i]! > 0.5) n++;
  return n / g.data.length;
}

/**
 * Stacks grids into a [N, D, H, W, 1] float tensor (the layout of the voxel NetSpecs), optionally
 * subtracting a mean (the 3D DescriptorNet subtracts the mean voxel value). Owned by the caller.
 */
export function gridsToTensor(grids: readonly VoxelGrid[], scaling: number | VoxelScaling = 0): Tensor {
  const { mean, scale } = typeof scaling === 'number' ? { mean: scaling, scale: 1 } : scaling;
  if (grids.length === 0) throw new ShapeMismatchError('gridsToTensor: no grids given');
  const [d, h, w] = grids[0]!.dims;
  const n = d * h * w;
  const out = new Float32Array(grids.length * n);
  grids.forEach((g, i) => {
    if (g.dims[0] !== d || g.dims[1] !== h || g.dims[2] !== w) throw new ShapeMismatchError(`gridsToTensor: grid ${i} is ${g.dims.join('×')}, grid 0 is ${d}×${h}×${w}`);
    for (let j = 0; j < n; j++) out[i * n + j] = (g.data[j]! - mean) * scale;
  });
  return tf.tensor(out, [grids.length, d, h, w, 1]);
}

/** Splits a [N, D, H, W, 1] (or [N, D, H, W]) tensor into float grids, undoing `gridsToTensor`'s scaling (or adding a `mean` back). */
export async function tensorToGrids(t: Tensor, scaling: number | VoxelScaling = 0): Promise<VoxelGrid[]> {
  const { mean, scale } = typeof scaling === 'number' ? { mean: scaling, scale: 1 } : scaling;
  const [n, d, h, w] = t.shape as number[];
  const all = (await t.data()) as Float32Array;
  const size = d! * h! * w!;
  return Array.from({ length: n! }, (_, i) => ({ dims: [d!, h!, w!] as [number, number, number], data: all.slice(i * size, (i + 1) * size).map((v) => v / scale + mean) }));
}

/** Voxel values v in a model's units: x = (v − mean) · scale. */
export interface VoxelScaling {
  mean: number;
  scale: number;
}

/**
 * The data-dependent scaling of voxel training data, by a fixed rule: subtract the mean
 * occupancy m (3D DescriptorNet subtracts the mean voxel value) and scale so the voxels' standard
 * deviation √(m(1 − m)) equals the Langevin reference σ. The sampler's N(0, σ²) reference and its
 * noise then match the data whatever its occupancy: at m = 0.5 the scale is 2σ (1 for the paper's
 * σ = 0.5); thin shapes (aircraft at 16³: m ≈ 0.04, std 0.2) are scaled up ×2.5 instead of being
 * drowned by chain noise of std 0.5, which the energy then learns to reject faster than the
 * chains move. Empty or full data sets keep scale 1.
 */
export function voxelScaling(grids: readonly VoxelGrid[], refSigma: number): VoxelScaling {
  if (grids.length === 0) throw new ShapeMismatchError('voxelScaling: no grids given');
  const mean = grids.reduce((a, g) => a + occupancy(g), 0) / grids.length;
  const std = Math.sqrt(mean * (1 - mean));
  return { mean, scale: std > 0 ? refSigma / std : 1 };
}

/** 0/1 grid from a float grid. */
export function threshold(g: VoxelGrid, at = 0.5): VoxelGrid {
  return { dims: g.dims, data: Uint8Array.from(g.data, (v) => (v > at ? 1 : 0)) };
}

/** Intersection over union of the occupied voxels of two grids of the same dims (1 when both are empty). */
export function iou(a: VoxelGrid, b: VoxelGrid): number {
  if (a.data.length !== b.data.length) throw new ShapeMismatchError(`iou: grids differ in size (${a.dims.join('×')} vs ${b.dims.join('×')})`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]! > 0.5;
    const y = b.data[i]! > 0.5;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/**
 * Mean over `samples` of the IoU with the nearest grid of `references` — the 3D DescriptorNet
 * issue's `iouNearestTrain`. Passing the samples as references with `excludeSelf` gives
 * `iouNearestSample`, the collapse check (near 1 when every sample is the same shape).
 */
export function meanNearestIou(samples: readonly VoxelGrid[], references: readonly VoxelGrid[], options: { excludeSelf?: boolean } = {}): number {
  if (samples.length === 0) return NaN;
  let sum = 0;
  samples.forEach((s, i) => {
    let best = 0;
    references.forEach((r, j) => {
      if (options.excludeSelf && i === j) return;
      best = Math.max(best, iou(s, r));
    });
    sum += best;
  });
  return sum / samples.length;
}
