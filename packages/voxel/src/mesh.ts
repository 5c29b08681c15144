/**
 * Voxels → triangle mesh by boundary faces: every face between an occupied voxel and an empty one
 * (or the grid's edge) becomes two triangles, so results open in any 3-D viewer as OBJ or STL.
 * Coordinates are voxel units, x right, y up, z towards the viewer.
 */
import { voxelIndex, type VoxelGrid } from './grid';

export interface TriangleMesh {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  triangles: Uint32Array;
}

// For each face direction: the neighbour offset and the 4 corners (unit cube), counter-clockwise from outside.
const FACES: [number[], number[][]][] = [
  [[1, 0, 0], [[1, 0, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1]]],
  [[-1, 0, 0], [[0, 0, 0], [0, 0, 1], [0, 1, 1], [0, 1, 0]]],
  [[0, 1, 0], [[0, 1, 0], [0, 1, 1], [1, 1, 1], [1, 1, 0]]],
  [[0, -1, 0], [[0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]]],
  [[0, 0, 1], [[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]]],
  [[0, 0, -1], [[0, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0]]],
];

/** The boundary surface of the occupied voxels (values > 0.5), with shared vertices. */
export function voxelsToMesh(grid: VoxelGrid): TriangleMesh {
  const [dx, dy, dz] = grid.dims;
  const on = (x: number, y: number, z: number) => x >= 0 && y >= 0 && z >= 0 && x < dx && y < dy && z < dz && grid.data[voxelIndex(grid.dims, x, y, z)]! > 0.5;
  const ids = new Map<number, number>();
  const pos: number[] = [];
  const tri: number[] = [];
  const vertex = (x: number, y: number, z: number) => {
    const key = (x * (dy + 1) + y) * (dz + 1) + z;
    let id = ids.get(key);
    if (id === undefined) {
      id = pos.length / 3;
      ids.set(key, id);
      pos.push(x, y, z);
    }
    return id;
  };
  for (let x = 0; x < dx; x++)
    for (let y = 0; y < dy; y++)
      for (let z = 0; z < dz; z++) {
        if (!on(x, y, z)) continue;
        for (const [[ox, oy, oz], corners] of FACES) {
          if (on(x + ox!, y + oy!, z + oz!)) continue;
          const [a, b, c, d] = corners.map(([cx, cy, cz]) => vertex(x + cx!, y + cy!, z + cz!)) as [number, number, number, number];
          tri.push(a, b, c, a, c, d);
        }
      }
  return { positions: Float32Array.from(pos), triangles: Uint32Array.from(tri) };
}

/** Wavefront OBJ text of a mesh. */
export function encodeObj(mesh: TriangleMesh, comment = 'ebm voxel mesh'): string {
  const lines = [`# ${comment}`];
  for (let i = 0; i < mesh.positions.length; i += 3) lines.push(`v ${mesh.positions[i]} ${mesh.positions[i + 1]} ${mesh.positions[i + 2]}`);
  for (let i = 0; i < mesh.triangles.length; i += 3) lines.push(`f ${mesh.triangles[i]! + 1} ${mesh.triangles[i + 1]! + 1} ${mesh.triangles[i + 2]! + 1}`);
  return `${lines.join('\n')}\n`;
}

/** Binary STL bytes of a mesh (80-byte header, triangle count, 50 bytes per triangle). */
export function encodeStl(mesh: TriangleMesh, header = 'ebm voxel mesh'): Uint8Array {
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
