/**
 * Point-set distances and the generative-model scores built on them, in plain TypeScript (no CUDA
 * extension): the definitions of PointFlow's `evaluation_metrics.py`, which GPointNet's
 * `quantitative_analysis` calls. Clouds are compared point set to point set; every function is
 * O(n·m) per pair of clouds.
 */
import { InvalidOptionError, ShapeMismatchError } from '@ebm/core';
import { pointCount, type PointCloud } from './cloud';

/** Mean squared distance from each point of a to its nearest point in b. */
function nearestSq(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const nb = b.length;
  for (let i = 0; i < a.length; i += 3) {
    const x = a[i]!;
    const y = a[i + 1]!;
    const z = a[i + 2]!;
    let best = Infinity;
    for (let j = 0; j < nb; j += 3) {
      const dx = x - b[j]!;
      const dy = y - b[j + 1]!;
      const dz = z - b[j + 2]!;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) best = d;
    }
    sum += best;
  }
  return sum / (a.length / 3);
}

/**
 * Chamfer distance as PointFlow and GPointNet compute it: mean over a of the squared distance to
 * the nearest point of b, plus the same from b to a.
 */
export function chamfer(a: PointCloud, b: PointCloud): number {
  if (pointCount(a) === 0 || pointCount(b) === 0) throw new InvalidOptionError('chamfer', 'clouds', 'empty', 'at least one point each');
  return nearestSq(a.points, b.points) + nearestSq(b.points, a.points);
}

/** Chamfer distances between every cloud of `rows` and every cloud of `cols`, row-major. */
export function chamferMatrix(rows: readonly PointCloud[], cols: readonly PointCloud[]): Float64Array {
  const m = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (m[i * cols.length + j] = chamfer(r, c))));
  return m;
}

export interface EmdOptions {
  /** Entropic regularisation ε, in distance units; default 0.01. */
  epsilon?: number;
  /** Most Sinkhorn iterations; default 500. */
  iterations?: number;
  /** Stop when every column marginal is within this of 1/n (relative); default 1e-4. */
  tolerance?: number;
}

/**
 * Earth mover's distance between two clouds of equal size, approximated by log-domain Sinkhorn
 * iterations (Cuturi, 2013): the mean Euclidean distance ⟨P, C⟩ under the entropic transport plan
 * P. Its error against the exact matching is at most 2ε·ln n for the converged plan (the entropy
 * of a coupling of two uniform n-point measures is at most 2 ln n), and it is never below the
 * exact EMD up to the marginal tolerance; tests compare it with brute force on small sets.
 */
export function emd(a: PointCloud, b: PointCloud, options: EmdOptions = {}): number {
  const n = pointCount(a);
  if (pointCount(b) !== n) throw new ShapeMismatchError(`emd: clouds must have equal sizes, got ${n} and ${pointCount(b)}`);
  if (n === 0) throw new InvalidOptionError('emd', 'clouds', 'empty', 'at least one point each');
  const eps = options.epsilon ?? 0.01;
  if (!(eps > 0)) throw new InvalidOptionError('emd', 'epsilon', eps, 'a positive number');
  const iterations = options.iterations ?? 500;
  const tol = options.tolerance ?? 1e-4;
  const C = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const dx = a.points[3 * i]! - b.points[3 * j]!;
      const dy = a.points[3 * i + 1]! - b.points[3 * j + 1]!;
      const dz = a.points[3 * i + 2]! - b.points[3 * j + 2]!;
      C[i * n + j] = Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  // Potentials f, g with P_ij = exp((f_i + g_j − C_ij)/ε) and marginals 1/n.
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const logMarg = -Math.log(n);
  const col = new Float64Array(n);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < n; i++) f[i] = eps * (logMarg - logSumExp(n, (j) => (g[j]! - C[i * n + j]!) / eps));
    let worst = 0;
    for (let j = 0; j < n; j++) {
      col[j] = logSumExp(n, (i) => (f[i]! - C[i * n + j]!) / eps);
      worst = Math.max(worst, Math.abs(Math.exp(col[j]! + g[j]! / eps - logMarg) - 1));
    }
    if (worst < tol) break;
    for (let j = 0; j < n; j++) g[j] = eps * (logMarg - col[j]!);
  }
  let cost = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cost += Math.exp((f[i]! + g[j]! - C[i * n + j]!) / eps) * C[i * n + j]!;
  return cost;
}

function logSumExp(n: number, term: (k: number) => number): number {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, term(k));
  let s = 0;
  for (let k = 0; k < n; k++) s += Math.exp(term(k) - m);
  return m + Math.log(s);
}

/**
 * MMD and coverage (Achlioptas et al., 2018, as in PointFlow's `lgan_mmd_cov`) from a distance
 * matrix between generated clouds (rows) and reference clouds (columns):
 * mmd = mean over references of the distance to the closest generated cloud;
 * cov = fraction of references that are the closest reference of at least one generated cloud.
 */
export function mmdCov(distances: Float64Array, numGenerated: number, numReference: number): { mmd: number; cov: number } {
  if (distances.length !== numGenerated * numReference) throw new ShapeMismatchError(`mmdCov: ${distances.length} distances for ${numGenerated}×${numReference}`);
  let mmd = 0;
  for (let r = 0; r < numReference; r++) {
    let best = Infinity;
    for (let s = 0; s < numGenerated; s++) best = Math.min(best, distances[s * numReference + r]!);
    mmd += best / numReference;
  }
  const covered = new Set<number>();
  for (let s = 0; s < numGenerated; s++) {
    let best = 0;
    for (let r = 1; r < numReference; r++) if (distances[s * numReference + r]! < distances[s * numReference + best]!) best = r;
    covered.add(best);
  }
  return { mmd, cov: covered.size / numReference };
}

/**
 * 1-nearest-neighbour accuracy (Lopez-Paz & Oquab, 2017; PointFlow's `knn` with k = 1): every
 * cloud of the union of generated and reference clouds is labelled by its nearest other cloud;
 * the fraction labelled correctly. 0.5 means the two sets cannot be told apart; 1 means they are
 * fully separated.
 */
export function nna(generated: readonly PointCloud[], reference: readonly PointCloud[], distance: (a: PointCloud, b: PointCloud) => number = chamfer): number {
  const all = [...generated, ...reference];
  const isGen = (i: number) => i < generated.length;
  const d = new Float64Array(all.length * all.length);
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) d[i * all.length + j] = d[j * all.length + i] = distance(all[i]!, all[j]!);
  let right = 0;
  for (let i = 0; i < all.length; i++) {
    let best = -1;
    for (let j = 0; j < all.length; j++) if (j !== i && (best < 0 || d[i * all.length + j]! < d[i * all.length + best]!)) best = j;
    if (isGen(best) === isGen(i)) right++;
  }
  return right / all.length;
}
