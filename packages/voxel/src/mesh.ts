/**
 * Voxels → triangle mesh by boundary faces: every face between an occupied voxel and an empty one
 * (or the grid's edge) becomes two triangles, so results open in any 3-D viewer as OBJ or STL.
 * Coordinates are voxel units, x right, y up, z towards the viewer.
 */
import type { TriangleMesh } from '@ebm/geometry';
import { voxelIndex, type VoxelGrid } from './grid';


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
