import { chamfer, chamferMatrix, emd, makeClouds, mmdCov, nna, type PointCloud } from '../src';

const cloud = (...pts: number[][]): PointCloud => ({ points: Float32Array.from(pts.flat()) });

/** Exact EMD of equal-size sets by trying every matching (n ≤ 7). */
function bruteEmd(a: PointCloud, b: PointCloud): number {
  const n = a.points.length / 3;
  const d = (i: number, j: number) => Math.hypot(a.points[3 * i]! - b.points[3 * j]!, a.points[3 * i + 1]! - b.points[3 * j + 1]!, a.points[3 * i + 2]! - b.points[3 * j + 2]!);
  let best = Infinity;
  const perm = Array.from({ length: n }, (_, i) => i);
  const go = (k: number, sum: number) => {
    if (sum >= best) return;
    if (k === n) return void (best = sum);
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
      go(k + 1, sum + d(k, perm[k]!));
      [perm[k], perm[i]] = [perm[i]!, perm[k]!];
    }
  };
  go(0, 0);
  return best / n;
}

/** Exact minimum mean matching cost by the Hungarian algorithm (shortest augmenting paths, O(n³)). */
function hungarianEmd(a: PointCloud, b: PointCloud): number {
  const n = a.points.length / 3;
  const c = (i: number, j: number) => Math.hypot(a.points[3 * i]! - b.points[3 * j]!, a.points[3 * i + 1]! - b.points[3 * j + 1]!, a.points[3 * i + 2]! - b.points[3 * j + 2]!);
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // column j → row (1-based), 0 free
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = c(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) (minv[j] = cur), (way[j] = j0);
        if (minv[j]! < delta) (delta = minv[j]!), (j1 = j);
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) (u[p[j]!] = u[p[j]!]! + delta), (v[j] = v[j]! - delta);
        else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  let total = 0;
  for (let j = 1; j <= n; j++) total += c(p[j]! - 1, j - 1);
  return total / n;
}

describe('chamfer', () => {
  it('matches a hand computation', () => {
    // a = {(0,0,0), (2,0,0)}, b = {(0,0,0)}: a→b mean of 0 and 4 = 2; b→a = 0.
    expect(chamfer(cloud([0, 0, 0], [2, 0, 0]), cloud([0, 0, 0]))).toBeCloseTo(2, 10);
    // Shifted copies: every nearest neighbour is the shifted point, 0.1² each way.
    const a = cloud([0, 0, 0], [1, 0, 0], [0, 1, 0]);
    const b = cloud([0, 0, 0.1], [1, 0, 0.1], [0, 1, 0.1]);
    expect(chamfer(a, b)).toBeCloseTo(0.02, 6);
    expect(chamfer(a, a)).toBe(0);
  });

  it('does not depend on the order of the points', () => {
    const a = cloud([0, 0, 0], [1, 2, 3], [-1, 0.5, 2]);
    const b = cloud([0.3, 0, 0], [1, 2, 2]);
    const a2 = cloud([-1, 0.5, 2], [0, 0, 0], [1, 2, 3]);
    expect(chamfer(a2, b)).toBeCloseTo(chamfer(a, b), 10);
  });

  it('fills a matrix row by row', () => {
    const xs = [cloud([0, 0, 0]), cloud([1, 0, 0])];
    const ys = [cloud([0, 0, 0]), cloud([0, 3, 0]), cloud([1, 0, 0])];
    expect(Array.from(chamferMatrix(xs, ys))).toEqual([0, 18, 2, 2, 20, 0]);
  });
});

describe('emd (auction)', () => {
  it('is exact on a permutation and on a rigid shift', () => {
    const a = cloud([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]);
    const b = cloud([0, 0, 1], [0, 1, 0], [0, 0, 0], [1, 0, 0]);
    expect(emd(a, b)).toBe(0);
    const shifted = cloud([0.5, 0, 0], [1.5, 0, 0], [0.5, 1, 0], [0.5, 0, 1]);
    expect(emd(a, shifted)).toBeCloseTo(0.5, 6);
    expect(emd(cloud([1, 2, 3]), cloud([1, 2, 5]))).toBeCloseTo(2, 6);
  });

  it.each([1e-3, 0.05])('is within ε = %d above the exact matching, never below, on random sets', (eps) => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let trial = 0; trial < 12; trial++) {
      const n = 7;
      const a = cloud(...Array.from({ length: n }, () => [rnd(), rnd(), rnd()]));
      const b = cloud(...Array.from({ length: n }, () => [rnd(), rnd(), rnd()]));
      const exact = bruteEmd(a, b);
      const approx = emd(a, b, { epsilon: eps });
      expect(approx).toBeGreaterThanOrEqual(exact - 1e-6);
      expect(approx - exact).toBeLessThanOrEqual(eps + 1e-6);
    }
  });

  it('is within ε of the exact (Hungarian) matching on 300-point clouds of one shape', () => {
    const [a, b] = makeClouds('chair', 2, { points: 300, seed: 4 });
    const exact = hungarianEmd(a!, b!);
    const approx = emd(a!, b!, { epsilon: 1e-3 });
    expect(exact).toBeGreaterThan(0.01);
    expect(approx).toBeGreaterThanOrEqual(exact - 1e-6);
    expect(approx - exact).toBeLessThanOrEqual(1e-3 + 1e-6);
    // Brute force agrees with the Hungarian reference on small sets.
    const [s1, s2] = makeClouds('cup', 2, { points: 7, seed: 2 });
    expect(hungarianEmd(s1!, s2!)).toBeCloseTo(bruteEmd(s1!, s2!), 9);
  });

  it('refuses clouds of different sizes and a bad epsilon', () => {
    const a = cloud([0, 0, 0], [1, 0, 0]);
    expect(() => emd(a, cloud([0, 0, 0]))).toThrow(/equal sizes/);
    expect(() => emd(a, a, { epsilon: 0 })).toThrow(/epsilon/);
  });
});

describe('MMD, COV and 1-NNA', () => {
  it('mmdCov on a hand-made distance matrix', () => {
    // 2 generated (rows) × 3 references (columns).
    const d = Float64Array.from([1, 5, 3, 2, 4, 9]);
    // Per reference, the closest generated: min(1,2) = 1, min(5,4) = 4, min(3,9) = 3 → mean 8/3.
    // Closest reference of each generated: row 0 → ref 0, row 1 → ref 0: one of three covered.
    expect(mmdCov(d, 2, 3)).toEqual({ mmd: 8 / 3, cov: 1 / 3 });
  });

  it('1-NNA is 1 for separated sets and 0 when each cloud has its twin in the other set', () => {
    const near = [cloud([0, 0, 0]), cloud([0.1, 0, 0])];
    const far = [cloud([5, 0, 0]), cloud([5.1, 0, 0])];
    expect(nna(near, far)).toBe(1);
    const twins = [cloud([0, 0, 0]), cloud([5, 0, 0])];
    const twins2 = [cloud([0.01, 0, 0]), cloud([5.01, 0, 0])];
    expect(nna(twins, twins2)).toBe(0);
  });
});
