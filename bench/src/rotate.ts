import type { TriangleMesh } from '@ebm/geometry';

/**
 * The mesh turned by a row-major 3 × 3 matrix (v' = R v). A matrix with determinant −1 mirrors
 * the mesh, so two corners of every triangle are swapped to keep the faces outward.
 */
export function rotate(m: TriangleMesh, r: readonly number[]): TriangleMesh {
  const p = new Float32Array(m.positions.length);
  for (let i = 0; i < p.length; i += 3) {
    const [x, y, z] = [m.positions[i]!, m.positions[i + 1]!, m.positions[i + 2]!];
    for (let c = 0; c < 3; c++) p[i + c] = r[3 * c]! * x + r[3 * c + 1]! * y + r[3 * c + 2]! * z;
  }
  const det = r[0]! * (r[4]! * r[8]! - r[5]! * r[7]!) - r[1]! * (r[3]! * r[8]! - r[5]! * r[6]!) + r[2]! * (r[3]! * r[7]! - r[4]! * r[6]!);
  const tri = Uint32Array.from(m.triangles);
  if (det < 0) for (let t = 0; t < tri.length; t += 3) [tri[t + 1], tri[t + 2]] = [tri[t + 2]!, tri[t + 1]!];
  return { positions: p, triangles: tri };
}
