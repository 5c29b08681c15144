import type { TriangleMesh } from './parse';

/** Wavefront OBJ text of a mesh. */
export function encodeObj(mesh: TriangleMesh, comment = 'ebm mesh'): string {
  const lines = [`# ${comment}`];
  for (let i = 0; i < mesh.positions.length; i += 3) lines.push(`v ${mesh.positions[i]} ${mesh.positions[i + 1]} ${mesh.positions[i + 2]}`);
  for (let i = 0; i < mesh.triangles.length; i += 3) lines.push(`f ${mesh.triangles[i]! + 1} ${mesh.triangles[i + 1]! + 1} ${mesh.triangles[i + 2]! + 1}`);
  return `${lines.join('\n')}\n`;
}

/** Binary STL bytes of a mesh (80-byte header, triangle count, 50 bytes per triangle). */
export function encodeStl(mesh: TriangleMesh, header = 'ebm mesh'): Uint8Array {
  const n = mesh.triangles.length / 3;
  const out = new Uint8Array(84 + 50 * n);
  out.set(new TextEncoder().encode(header.slice(0, 80)));
  const v = new DataView(out.buffer);
  v.setUint32(80, n, true);
  const p = mesh.positions;
  for (let t = 0; t < n; t++) {
    const [a, b, c] = [mesh.triangles[3 * t]! * 3, mesh.triangles[3 * t + 1]! * 3, mesh.triangles[3 * t + 2]! * 3];
    const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
    const w = [p[c]! - p[a]!, p[c + 1]! - p[a + 1]!, p[c + 2]! - p[a + 2]!];
    const nx = u[1]! * w[2]! - u[2]! * w[1]!;
    const ny = u[2]! * w[0]! - u[0]! * w[2]!;
    const nz = u[0]! * w[1]! - u[1]! * w[0]!;
    const len = Math.hypot(nx, ny, nz) || 1;
    const o = 84 + 50 * t;
    [nx / len, ny / len, nz / len, p[a]!, p[a + 1]!, p[a + 2]!, p[b]!, p[b + 1]!, p[b + 2]!, p[c]!, p[c + 1]!, p[c + 2]!].forEach((val, k) => v.setFloat32(o + 4 * k, val, true));
  }
  return out;
}

/** OFF text of a mesh (Object File Format: counts, vertices, then faces as "3 a b c"). */
export function encodeOff(mesh: TriangleMesh): string {
  const nv = mesh.positions.length / 3;
  const nt = mesh.triangles.length / 3;
  const lines = ['OFF', `${nv} ${nt} 0`];
  for (let i = 0; i < mesh.positions.length; i += 3) lines.push(`${mesh.positions[i]} ${mesh.positions[i + 1]} ${mesh.positions[i + 2]}`);
  for (let i = 0; i < mesh.triangles.length; i += 3) lines.push(`3 ${mesh.triangles[i]} ${mesh.triangles[i + 1]} ${mesh.triangles[i + 2]}`);
  return `${lines.join('\n')}\n`;
}

/** Binary little-endian PLY bytes of a mesh (float vertices, uchar-counted int faces). */
export function encodePlyMesh(mesh: TriangleMesh): Uint8Array {
  const nv = mesh.positions.length / 3;
  const nt = mesh.triangles.length / 3;
  const header = new TextEncoder().encode(
    `ply\nformat binary_little_endian 1.0\ncomment ebm mesh\nelement vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\nelement face ${nt}\nproperty list uchar int vertex_indices\nend_header\n`,
  );
  const out = new Uint8Array(header.length + 12 * nv + 13 * nt);
  out.set(header);
  const v = new DataView(out.buffer);
  let o = header.length;
  for (let i = 0; i < mesh.positions.length; i++, o += 4) v.setFloat32(o, mesh.positions[i]!, true);
  for (let t = 0; t < nt; t++) {
    v.setUint8(o++, 3);
    for (let k = 0; k < 3; k++, o += 4) v.setInt32(o, mesh.triangles[3 * t + k]!, true);
  }
  return out;
}
