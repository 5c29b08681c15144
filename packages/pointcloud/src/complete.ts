/**
 * Shape completion with a learned energy: the observed points of a partial cloud are held fixed
 * and the missing ones start as noise and follow the model's Langevin chain (the conditional
 * sampling of the descriptor papers, as in 3D DescriptorNet's recovery, on points). Unlike
 * reconstruction by inferring the chain's initial noise, which any chain that barely moves can
 * pass, the missing points here only land on the missing part if the energy knows the shape.
 */
import { gaussianArray, InvalidOptionError, langevin, sampleNoise, tf, tfSeed, type Energy, type LangevinOptions, type NoiseSpec, type Tensor } from '@ebm/core';
import { pointCount, type PointCloud } from './cloud';

/**
 * The points of `cloud` on one side of a plane through its centroid, with a seeded random normal:
 * a flag per point, 1 for the `keep` fraction kept (observed), 0 for the rest (missing), as a
 * scanner that sees one side of an object.
 */
export function cutCloud(cloud: PointCloud, keep = 0.5, seed = 0): Uint8Array {
  if (!(keep > 0 && keep < 1)) throw new InvalidOptionError('cutCloud', 'keep', keep, 'a fraction in (0, 1)');
  const n = pointCount(cloud);
  const p = cloud.points;
  // A Gaussian vector has a uniform direction (its length does not matter here).
  const d = Array.from(gaussianArray(3, seed));
  const c = [0, 1, 2].map((k) => p.reduce((a, v, i) => (i % 3 === k ? a + v : a), 0) / n);
  const along = Array.from({ length: n }, (_, i) => (p[3 * i]! - c[0]!) * d[0]! + (p[3 * i + 1]! - c[1]!) * d[1]! + (p[3 * i + 2]! - c[2]!) * d[2]!);
  const order = along.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const flags = new Uint8Array(n);
  for (let k = 0; k < Math.round(keep * n); k++) flags[order[k]![1]] = 1;
  return flags;
}

export interface CompleteOptions {
  /** The model's chain (noise as in training); `mask` is set here. */
  sampler: Omit<LangevinOptions, 'seed' | 'signal' | 'mask'>;
  /** Where the missing points start (`momentNoise(trainingClouds)` for the demo's chains); default N(0, initStd²). */
  noise?: NoiseSpec;
  /** Std of the missing points' starting noise when `noise` is not given; default the sampler's refSigma, else 0.3 (GPointNet's start). */
  initStd?: number;
  seed?: number;
}

/**
 * Completes partial clouds: `x` [N, n, 3] holds the observed points where `observed` (one flag
 * per point, N·n) is 1; the other points start as N(0, initStd²) and run the chain while the
 * observed ones stay put. Returns the completed clouds, owned by the caller.
 */
export async function completeClouds(energy: Energy, x: Tensor, observed: Uint8Array, options: CompleteOptions): Promise<Tensor> {
  const [n, p] = x.shape as number[];
  if (x.rank !== 3 || x.shape[2] !== 3) throw new InvalidOptionError('completeClouds', 'x', `[${x.shape}]`, 'a [N, n, 3] batch of clouds');
  if (observed.length !== n! * p!) throw new InvalidOptionError('completeClouds', 'observed', `${observed.length} flags`, `one per point (${n! * p!})`);
  const seed = options.seed ?? 0;
  const mask = tf.tidy(() => tf.reshape(tf.tensor1d(Float32Array.from(observed)), [n!, p!, 1]));
  const start = tf.tidy(() => {
    const noise = options.noise ? sampleNoise(n!, [p!, 3], options.noise, seed) : tf.randomNormal(x.shape, 0, options.initStd ?? options.sampler.refSigma ?? 0.3, 'float32', tfSeed(seed));
    return tf.add(tf.mul(mask, x), tf.mul(tf.sub(1, mask), noise));
  });
  try {
    const { x: done } = await langevin(energy, start, { ...options.sampler, mask, seed: seed + 1 });
    return done;
  } finally {
    [mask, start].forEach((t) => t.dispose());
  }
}
