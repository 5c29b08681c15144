/**
 * The Fréchet distance between two sets of feature vectors, each summarised by a Gaussian (the
 * FID of Heusel et al. 2017 when the features are Inception's; here any classifier's features,
 * e.g. @ebm/image's digit classifier):
 *
 *     d² = ‖μ₁ − μ₂‖² + Tr(C₁ + C₂ − 2 (C₁^{1/2} C₂ C₁^{1/2})^{1/2})
 *
 * The trace of the matrix square root is taken from the eigenvalues of the symmetric
 * C₁^{1/2} C₂ C₁^{1/2}, which has the same spectrum as C₁C₂ and needs no non-symmetric solver.
 */
import { InvalidOptionError } from '../errors';
import { matmul, sqrtPsd, symmetricEigen } from './linalg';

/** Mean and covariance (divided by n − 1) of feature vectors. */
export interface GaussianStats {
  mean: Float64Array;
  /** dim × dim, row-major. */
  cov: Float64Array;
  dim: number;
  count: number;
}

/** The Gaussian summary of a set of feature vectors of one length (at least two vectors). */
export function gaussianStats(features: readonly ArrayLike<number>[]): GaussianStats {
  const n = features.length;
  if (n < 2) throw new InvalidOptionError('gaussianStats', 'features', `${n} vector(s)`, 'at least two feature vectors');
  const dim = features[0]!.length;
  const mean = new Float64Array(dim);
  features.forEach((f, i) => {
    if (f.length !== dim) throw new InvalidOptionError('gaussianStats', `features[${i}]`, `${f.length} values`, `${dim} values, as features[0]`);
    for (let j = 0; j < dim; j++) mean[j]! += f[j]! / n;
  });
  const cov = new Float64Array(dim * dim);
  const d = new Float64Array(dim);
  for (const f of features) {
    for (let j = 0; j < dim; j++) d[j] = f[j]! - mean[j]!;
    for (let i = 0; i < dim; i++) {
      const di = d[i]!;
      if (di === 0) continue;
      for (let j = i; j < dim; j++) cov[i * dim + j]! += di * d[j]!;
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const c = cov[i * dim + j]! / (n - 1);
      cov[i * dim + j] = c;
      cov[j * dim + i] = c;
    }
  }
  return { mean, cov, dim, count: n };
}

/** The Fréchet distance (d², as FID reports it) between two Gaussian summaries. */
export function frechetFromStats(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new InvalidOptionError('frechetDistance', 'features', `${a.dim} and ${b.dim} dimensions`, 'feature vectors of one length');
  const n = a.dim;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (a.mean[i]! - b.mean[i]!) ** 2;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += a.cov[i * n + i]! + b.cov[i * n + i]!;
  const s = sqrtPsd(a.cov, n);
  const m = matmul(matmul(s, b.cov, n), s, n);
  // Symmetrise against rounding before the eigen-solver.
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = m[j * n + i] = (m[i * n + j]! + m[j * n + i]!) / 2;
  let rootTrace = 0;
  for (const l of symmetricEigen(m, n).values) rootTrace += Math.sqrt(Math.max(0, l));
  return Math.max(0, d2 + trace - 2 * rootTrace);
}

/** The Fréchet distance between two sets of feature vectors (each at least two vectors). */
export function frechetDistance(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  return frechetFromStats(gaussianStats(a), gaussianStats(b));
}
