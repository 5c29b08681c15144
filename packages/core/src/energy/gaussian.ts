import { InvalidOptionError } from '../errors';
import { tf, type Tensor, type Tensor1D } from '../tf';
import type { Energy } from './energy';

const NO_PARAMS = Object.freeze({});

/** Sums every non-batch axis: [B, ...] → [B]. */
export function sumPerExample(t: Tensor): Tensor1D {
  return (t.rank === 1 ? tf.clone(t) : tf.sum(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1))) as Tensor1D;
}

/** An energy with a closed-form gradient and no parameters. */
function analytic(energyOf: (x: Tensor) => Tensor1D, gradOf: (x: Tensor) => Tensor): Energy {
  return {
    params: NO_PARAMS,
    perExample: true,
    async energy(x) {
      return tf.tidy(() => energyOf(x));
    },
    async energyAndGrad(x) {
      return { energy: tf.tidy(() => energyOf(x)), grad: tf.tidy(() => gradOf(x)) };
    },
    async paramGrads(x) {
      return { energy: tf.tidy(() => energyOf(x)), grads: {} };
    },
    dispose() {},
  };
}

/**
 * The Gaussian reference term U(x) = ‖x‖²/(2σ²) of the generative ConvNet (Xie et al. 2016, eq. 2):
 * the log of the reference distribution q = N(0, σ²I). `σ` is the papers' `refSigma` / `refsig`.
 */
export function gaussianReference(refSigma: number): Energy {
  if (!(refSigma > 0) || !Number.isFinite(refSigma)) throw new InvalidOptionError('gaussianReference', 'refSigma', refSigma, 'a finite number > 0');
  const c = 1 / (refSigma * refSigma);
  return analytic(
    (x) => tf.mul(0.5 * c, sumPerExample(tf.square(x))),
    (x) => tf.mul(c, x),
  );
}

export interface GaussianEnergyOptions {
  /** Mean μ of the flattened example, length D; default 0. */
  mean?: number[];
  /** Covariance Σ (D×D, symmetric positive definite); default the identity. */
  covariance?: number[][];
}

/**
 * U(x) = ½ (x − μ)ᵀ Σ⁻¹ (x − μ) on examples flattened to D values: the energy of N(μ, Σ). Mostly a
 * test oracle: samplers must reproduce μ and Σ.
 */
export function gaussianEnergy(dim: number, options: GaussianEnergyOptions = {}): Energy {
  const mean = options.mean ?? new Array<number>(dim).fill(0);
  if (mean.length !== dim) throw new InvalidOptionError('gaussianEnergy', 'mean', mean, `a list of ${dim} numbers`);
  const cov = options.covariance ?? Array.from({ length: dim }, (_, i) => Array.from({ length: dim }, (_, j) => (i === j ? 1 : 0)));
  if (cov.length !== dim || cov.some((r) => r.length !== dim)) throw new InvalidOptionError('gaussianEnergy', 'covariance', cov, `a ${dim}×${dim} matrix`);
  const precision = invertSpd(cov);
  const mu = tf.keep(tf.tensor2d([mean]));
  const prec = tf.keep(tf.tensor2d(precision));
  const centred = (x: Tensor) => tf.sub(tf.reshape(x, [x.shape[0]!, dim]), mu);
  return {
    ...analytic(
      (x) => {
        const d = centred(x);
        return tf.mul(0.5, tf.sum(tf.mul(tf.matMul(d, prec), d), 1)) as Tensor1D;
      },
      (x) => tf.reshape(tf.matMul(centred(x), prec), x.shape),
    ),
    dispose() {
      mu.dispose();
      prec.dispose();
    },
  };
}

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan elimination (small D only). */
function invertSpd(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) < 1e-12) throw new InvalidOptionError('gaussianEnergy', 'covariance', a, 'a positive definite matrix');
    [m[c], m[p]] = [m[p]!, m[c]!];
    const piv = m[c]![c]!;
    for (let j = 0; j < 2 * n; j++) m[c]![j]! /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * n; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return m.map((r) => r.slice(n));
}
