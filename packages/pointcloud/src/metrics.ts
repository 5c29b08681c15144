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
  /**
   * Accuracy in distance units: the result is at most `epsilon` above the exact EMD (the mean
   * matched distance of an optimal matching) and never below it; default 1e-3 (0.1% of the unit
   * ball's radius, where normalised clouds live).
   */
  epsilon?: number;
}

/** EMD between every row cloud and every column cloud, row-major [rows × cols] (see `emd`). */
export function emdMatrix(rows: readonly PointCloud[], cols: readonly PointCloud[], options: EmdOptions = {}): Float64Array {
  const m = new Float64Array(rows.length * cols.length);
  rows.forEach((r, i) => cols.forEach((c, j) => (m[i * cols.length + j] = emd(r, c, options))));
  return m;
}

/** ε shrinks by this factor per phase (3 to 12 measured alike on 2048-point clouds). */
const SCALE = 5;

/**
 * Earth mover's distance between two clouds of equal size: the mean Euclidean distance of an
 * optimal one-to-one matching of their points, by Bertsekas' auction algorithm with ε-scaling
 * (Bertsekas 1988; Bertsekas & Castañon 1989). Each point of `a` bids for its best point of `b`,
 * raising that point's price by the margin over its second best plus ε; ε shrinks ×1/SCALE per phase,
 * prices carried over. A complete assignment at ε is within n·ε of the optimal total (ε-complementary
 * slackness), so the mean is within ε of the exact EMD and never below it (it is a matching).
 * Two 2048-point clouds take about 0.9 s on one core (docs/performance.md); tests compare the
 * result with brute force and with the Hungarian algorithm.
 */
export function emd(a: PointCloud, b: PointCloud, options: EmdOptions = {}): number {
  const n = pointCount(a);
  if (pointCount(b) !== n) throw new ShapeMismatchError(`emd: clouds must have equal sizes, got ${n} and ${pointCount(b)}`);
  if (n === 0) throw new InvalidOptionError('emd', 'clouds', 'empty', 'at least one point each');
  const target = options.epsilon ?? 1e-3;
  if (!(target > 0)) throw new InvalidOptionError('emd', 'epsilon', target, 'a positive number');
  // Costs as float64 negated benefits would double the memory; float32 distances lose < 1e-7 relative.
  const C = new Float32Array(n * n);
  let maxC = 0;
  const pa = a.points;
  const pb = b.points;
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [pa[3 * i]!, pa[3 * i + 1]!, pa[3 * i + 2]!];
    for (let j = 0; j < n; j++) {
      const dx = x - pb[3 * j]!;
      const dy = y - pb[3 * j + 1]!;
      const dz = z - pb[3 * j + 2]!;
      const c = Math.sqrt(dx * dx + dy * dy + dz * dz);
      C[i * n + j] = c;
      if (c > maxC) maxC = c;
    }
  }
  if (n === 1) return C[0]!;
  if (maxC === 0) return 0;
  const price = new Float64Array(n);
  const owner = new Int32Array(n); // object j → person, −1 when free
  const assigned = new Int32Array(n); // person i → object, −1 when unassigned
  const queue = new Int32Array(n);
  // Phases at ε = maxC/SCALE, /SCALE², … down to `target`: the last one leaves a total error ≤ n·ε.
  for (let eps = Math.max(target, maxC / SCALE); ; eps = Math.max(target, eps / SCALE)) {
    owner.fill(-1);
    assigned.fill(-1);
    for (let i = 0; i < n; i++) queue[i] = i;
    let head = 0;
    let count = n;
    while (count > 0) {
      const i = queue[head]!;
      head = (head + 1) % n;
      count--;
      // Best and second best value −C_ij − p_j over all objects.
      let best = -1;
      let v1 = -Infinity;
      let v2 = -Infinity;
      const row = i * n;
      for (let j = 0; j < n; j++) {
        const v = -C[row + j]! - price[j]!;
        if (v > v1) {
          v2 = v1;
          v1 = v;
          best = j;
        } else if (v > v2) v2 = v;
      }
      price[best] = price[best]! + (v1 - v2) + eps;
      const prev = owner[best]!;
      owner[best] = i;
      assigned[i] = best;
      if (prev >= 0) {
        assigned[prev] = -1;
        queue[(head + count) % n] = prev;
        count++;
      }
    }
    if (eps <= target) break;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += C[i * n + assigned[i]!]!;
  return total / n;
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
