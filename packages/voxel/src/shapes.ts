/**
 * Procedural voxel shapes: @ebm/geometry's procedural meshes (chair- and table-like box
 * assemblies, tori, cups with handles, seeded random proportions) voxelized, so the package and its
 * demo run offline on data they make themselves and the point-cloud package sees the same shapes.
 * y is up; shapes stand on y = 0 and are centred in x and z.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import { shapeMesh, SHAPE_CATEGORIES, type ShapeCategory, type TriangleMesh } from '@ebm/geometry';
import type { VoxelGrid } from './grid';
import { boundingBox, rotateY90, translate } from './transform';
import { voxelizeMesh } from './voxelize';

/**
 * A procedural mesh (about one unit across) on a size³ grid at one unit = size voxels, standing on
 * the floor, centred in x and z. The meshes are closed, so no hole closing is needed.
 */
function voxelizeShape(mesh: TriangleMesh, size: number): VoxelGrid {
  const p = Float32Array.from(mesh.positions, (v, i) => v * size + (i % 3 === 1 ? 0 : size / 2));
  return voxelizeMesh({ positions: p, triangles: mesh.triangles }, { size, fit: 'none', close: 0 });
}

/**
 * n shapes of one category on a size³ grid, reproducible from the seed. `pose: 'random'` turns each
 * shape by a random multiple of 90° about the up axis and shifts it by whole voxels within the room
 * its bounding box leaves (on the floor): the same shapes in varied positions, as in scanned data.
 * @throws InvalidOptionError for an unknown category, a size below 16 or an unknown pose.
 */
export function makeGrids(category: ShapeCategory, n: number, options: { size?: number; seed?: number; pose?: 'canonical' | 'random' } = {}): VoxelGrid[] {
  const size = options.size ?? 32;
  const pose = options.pose ?? 'canonical';
  if (!SHAPE_CATEGORIES.includes(category)) throw new InvalidOptionError('makeGrids', 'category', category, `one of ${SHAPE_CATEGORIES.join(', ')}`);
  if (!Number.isInteger(size) || size < 16) throw new InvalidOptionError('makeGrids', 'size', size, 'an integer >= 16');
  if (pose !== 'canonical' && pose !== 'random') throw new InvalidOptionError('makeGrids', 'pose', pose, "'canonical' or 'random'");
  const rand = mulberry32(options.seed ?? 0);
  const r = (lo: number, hi: number) => lo + (hi - lo) * rand();
  return Array.from({ length: n }, () => {
    const g = voxelizeShape(shapeMesh(category, Math.floor(rand() * 2 ** 31)), size);
    if (pose === 'canonical') return g;
    const turned = rotateY90(g, Math.floor(r(0, 4)));
    const box = boundingBox(turned)!;
    const shift = (axis: number) => Math.floor(r(-box[axis]![0], size - 1 - box[axis]![1] + 1));
    return translate(turned, [shift(0), 0, shift(2)]);
  });
}
