/**
 * Procedural voxel shapes: @ebm/geometry's procedural shapes (chair- and table-like box
 * assemblies, tori, cups with handles, seeded random proportions) on a grid, so the package and
 * its demo run offline on data they make themselves and the point-cloud package sees the same
 * shapes. A voxel is occupied when its centre is inside the shape. y is up; shapes stand on y = 0
 * and are centred in x and z.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import { proceduralShape, SHAPE_CATEGORIES, type ProceduralShape, type ShapeCategory } from '@ebm/geometry';
import { voxelIndex, type VoxelGrid } from './grid';
import { boundingBox, rotateY90, translate } from './transform';

/** A shape (about one unit across) on a size³ grid at one unit = size voxels, centred in x and z. */
function fill(shape: ProceduralShape, size: number): VoxelGrid {
  const g: VoxelGrid = { dims: [size, size, size], data: new Uint8Array(size ** 3) };
  for (let x = 0; x < size; x++)
    for (let y = 0; y < size; y++)
      for (let z = 0; z < size; z++) if (shape.contains((x + 0.5) / size - 0.5, (y + 0.5) / size, (z + 0.5) / size - 0.5)) g.data[voxelIndex(g.dims, x, y, z)] = 1;
  return g;
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
    const g = fill(proceduralShape(category, Math.floor(rand() * 2 ** 31)), size);
    if (pose === 'canonical') return g;
    const turned = rotateY90(g, Math.floor(r(0, 4)));
    const box = boundingBox(turned)!;
    const shift = (axis: number) => Math.floor(r(-box[axis]![0], size - 1 - box[axis]![1] + 1));
    return translate(turned, [shift(0), 0, shift(2)]);
  });
}
