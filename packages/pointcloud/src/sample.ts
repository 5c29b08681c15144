import { InvalidOptionError, mulberry32 } from '@ebm/core';
import type { TriangleMesh } from '@ebm/geometry';
import type { PointCloud } from './cloud';

/**
 * n points drawn uniformly from a mesh's surface: a triangle chosen with probability proportional
 * to its area (binary search in the cumulative areas), then a uniform point in it by the
 * square-root barycentric rule (Osada et al., "Shape distributions", 2002). Seeded.
 */
export function sampleSurface(mesh: TriangleMesh, n: number, seed = 0): PointCloud {
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError('sampleSurface', 'n', n, 'a positive integer');
  const p = mesh.positions;
  const t = mesh.triangles;
  const nt = t.length / 3;
  const cum = new Float64Array(nt);
  let total = 0;
  for (let i = 0; i < nt; i++) {
    const [a, b, c] = [3 * t[3 * i]!, 3 * t[3 * i + 1]!, 3 * t[3 * i + 2]!];
    const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const v = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
    total += 0.5 * Math.hypot(u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!);
    cum[i] = total;
  }
  if (!(total > 0)) throw new InvalidOptionError('sampleSurface', 'mesh', `${nt} triangles`, 'a surface of positive area');
  const rand = mulberry32(seed);
  const out = new Float32Array(3 * n);
  for (let s = 0; s < n; s++) {
    const r = rand() * total;
    let lo = 0;
    let hi = nt - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    const [a, b, c] = [3 * t[3 * lo]!, 3 * t[3 * lo + 1]!, 3 * t[3 * lo + 2]!];
    const r1 = Math.sqrt(rand());
    const r2 = rand();
    const wa = 1 - r1;
    const wb = r1 * (1 - r2);
    const wc = r1 * r2;
    for (let k = 0; k < 3; k++) out[3 * s + k] = wa * p[a + k]! + wb * p[b + k]! + wc * p[c + k]!;
  }
  return { points: out };
}
