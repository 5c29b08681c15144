/**
 * A point cloud: n points as x, y, z triples in one Float32Array. Batches are [N, n, 3] tensors,
 * the layout of the PointNet NetSpecs (points on axis 1, coordinates on axis 2).
 */
import { InvalidOptionError, mulberry32, ShapeMismatchError, tf, type Tensor } from '@ebm/core';

export interface PointCloud {
  points: Float32Array;
}

export const pointCount = (c: PointCloud) => c.points.length / 3;

/** Stacks clouds of equal size into a [N, n, 3] tensor. Owned by the caller. */
export function cloudsToTensor(clouds: readonly PointCloud[]): Tensor {
  if (clouds.length === 0) throw new ShapeMismatchError('cloudsToTensor: no clouds given');
  const n = pointCount(clouds[0]!);
  const out = new Float32Array(clouds.length * n * 3);
  clouds.forEach((c, i) => {
    if (pointCount(c) !== n) throw new ShapeMismatchError(`cloudsToTensor: cloud ${i} has ${pointCount(c)} points, cloud 0 has ${n}`);
    out.set(c.points, i * n * 3);
  });
  return tf.tensor(out, [clouds.length, n, 3]);
}

/** Splits a [N, n, 3] tensor into clouds. */
export async function tensorToClouds(x: Tensor): Promise<PointCloud[]> {
  if (x.rank !== 3 || x.shape[2] !== 3) throw new ShapeMismatchError(`tensorToClouds: expects [N, n, 3], got [${x.shape}]`);
  const d = (await x.data()) as Float32Array;
  const size = x.shape[1]! * 3;
  return Array.from({ length: x.shape[0]! }, (_, i) => ({ points: d.slice(i * size, (i + 1) * size) }));
}

export type Normalization = 'unit-sphere' | 'per-axis' | 'none';

/**
 * Centres a cloud on its mean and scales it: 'unit-sphere' (default) so the farthest point is at
 * distance 1 (the ModelNet 2048-point sets GPointNet trains on lie in the unit ball); 'per-axis'
 * divides each axis by its largest |coordinate| (GPointNet's `per_shape` option); 'none' only
 * centres. Returns a new cloud.
 */
export function normalizeCloud(c: PointCloud, mode: Normalization = 'unit-sphere'): PointCloud {
  const n = pointCount(c);
  if (n === 0) throw new InvalidOptionError('normalizeCloud', 'cloud', 'empty', 'at least one point');
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) mean[k]! += c.points[3 * i + k]! / n;
  const out = new Float32Array(c.points.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[3 * i + k] = c.points[3 * i + k]! - mean[k]!;
  if (mode === 'none') return { points: out };
  if (mode === 'unit-sphere') {
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(out[3 * i]!, out[3 * i + 1]!, out[3 * i + 2]!));
    if (r > 0) for (let j = 0; j < out.length; j++) out[j]! /= r;
    return { points: out };
  }
  if (mode === 'per-axis') {
    const m = [0, 0, 0];
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) m[k] = Math.max(m[k]!, Math.abs(out[3 * i + k]!));
    for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) if (m[k]! > 0) out[3 * i + k]! /= m[k]!;
    return { points: out };
  }
  throw new InvalidOptionError('normalizeCloud', 'mode', mode, "'unit-sphere', 'per-axis' or 'none'");
}

/**
 * Where chains start on these clouds: Gaussian noise with their per-coordinate mean and std (over
 * every point of every cloud), a `NoiseSpec` for `noiseInit` and `sampleNoise`. The paper starts
 * from N(0, 0.3²) in every coordinate, which suits round shapes in the unit ball; thin ones
 * (aircraft: spread 0.41, 0.06, 0.31 along x, y, z) left the short-run chains to flatten a ball
 * they never got through, and the model learnt nothing (MMD-CD at the noise level).
 */
export function momentNoise(clouds: readonly PointCloud[]): { dist: 'gaussian'; mean: number[]; std: number[] } {
  if (clouds.length === 0) throw new InvalidOptionError('momentNoise', 'clouds', 'none', 'at least one cloud');
  const sum = [0, 0, 0];
  const sq = [0, 0, 0];
  let n = 0;
  for (const c of clouds) {
    for (let i = 0; i < c.points.length; i++) (sum[i % 3]! += c.points[i]!), (sq[i % 3]! += c.points[i]! ** 2);
    n += pointCount(c);
  }
  const mean = sum.map((s) => s / n);
  return { dist: 'gaussian', mean, std: sq.map((q, k) => Math.sqrt(Math.max(0, q / n - mean[k]! ** 2))) };
}

/**
 * Exactly n points of a cloud: a random subset without replacement when it has more, all of them
 * plus random repeats when it has fewer (GPointNet's data collator). Seeded.
 */
export function resample(c: PointCloud, n: number, seed = 0): PointCloud {
  const m = pointCount(c);
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError('resample', 'n', n, 'a positive integer');
  if (m === 0) throw new InvalidOptionError('resample', 'cloud', 'empty', 'at least one point');
  const rand = mulberry32(seed);
  const idx = Int32Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const s = i < m ? idx[i]! : Math.floor(rand() * m);
    out.set(c.points.subarray(3 * s, 3 * s + 3), 3 * i);
  }
  return { points: out };
}

/** Rotates a cloud about the y (up) axis by `angle` radians. */
export function rotateY(c: PointCloud, angle: number): PointCloud {
  const [co, si] = [Math.cos(angle), Math.sin(angle)];
  const out = new Float32Array(c.points.length);
  for (let i = 0; i < c.points.length; i += 3) {
    const x = c.points[i]!;
    const z = c.points[i + 2]!;
    out[i] = co * x + si * z;
    out[i + 1] = c.points[i + 1]!;
    out[i + 2] = -si * x + co * z;
  }
  return { points: out };
}
