/**
 * Reconstruction by inferring the initial noise of the short-run chain (GPointNet §5.3,
 * `_reconstruction` in model_point_torch.py): find z such that the noise-free Langevin chain
 * started at z ends at the observed cloud. The official code differentiates the squared error
 * through the chain without the energy's second derivatives, so the chain's Jacobian is a positive
 * scale times the "not clamped" indicator, and only the sign of the gradient is used:
 * z ← z − η·0.9^i·sign((x(z) − target)·[|x(z)| < clip]). We take the same step.
 */
import { deriveSeed, InvalidOptionError, langevin, tf, tfSeed, type Energy, type LangevinOptions, type Tensor } from '@ebm/core';

export interface ReconstructOptions {
  /** The model's sampler (its clamp marks where the gradient is cut); noise is turned off. */
  sampler: Omit<LangevinOptions, 'seed' | 'signal' | 'noiseScale' | 'mask'>;
  /** Sign-gradient steps on z; default 64 (the paper). */
  steps?: number;
  /** Step size η; default 0.2 (the paper). */
  stepSize?: number;
  /** Step decay per iteration; default 0.9 (the paper). */
  decay?: number;
  /** Std of the initial z; default the sampler's refSigma (or 1). */
  initStd?: number;
  seed?: number;
  /** Called after each step with the mean squared error of x(z). */
  onStep?: (step: number, mse: number) => void;
}

/**
 * Reconstructs `target` ([N, n, 3]). Returns the inferred noise z and the chain's end point x(z),
 * both owned by the caller, with the final mean squared error.
 */
export async function reconstructCloud(energy: Energy, target: Tensor, options: ReconstructOptions): Promise<{ z: Tensor; x: Tensor; mse: number }> {
  const steps = options.steps ?? 64;
  if (!Number.isInteger(steps) || steps < 1) throw new InvalidOptionError('reconstructCloud', 'steps', steps, 'a positive integer');
  const eta = options.stepSize ?? 0.2;
  const decay = options.decay ?? 0.9;
  const clip = options.sampler.clamp?.[1] ?? Infinity;
  const seed = options.seed ?? 0;
  const chain = { ...options.sampler, noiseScale: 0 };
  let z = tf.randomNormal(target.shape, 0, options.initStd ?? options.sampler.refSigma ?? 1, 'float32', tfSeed(seed));
  let mse = Infinity;
  for (let i = 0; i < steps; i++) {
    const { x } = await langevin(energy, z, { ...chain, seed: deriveSeed(seed, i) });
    const next = tf.tidy(() => {
      const err = tf.sub(x, target);
      const live = tf.cast(tf.less(tf.abs(x), clip), 'float32');
      return { z: tf.sub(z, tf.mul(eta * decay ** i, tf.mul(tf.sign(err), live))), mse: tf.mean(tf.square(err)) };
    });
    mse = (await next.mse.data())[0]!;
    options.onStep?.(i, mse);
    [x, z, next.mse].forEach((t) => t.dispose());
    z = next.z;
  }
  const { x } = await langevin(energy, z, { ...chain, seed: deriveSeed(seed, steps) });
  const err = tf.tidy(() => tf.mean(tf.square(tf.sub(x, target))));
  mse = (await err.data())[0]!;
  err.dispose();
  return { z, x, mse };
}
