/**
 * Procedural voxel shapes in a few categories, so the package and its demo run offline on data it
 * makes itself: chair-like and table-like box assemblies, tori and cups, each with seeded random
 * proportions. y is up; shapes stand on y = 0 and are centred in x and z.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import { voxelIndex, type VoxelGrid } from './grid';
import { boundingBox, rotateY90, translate } from './transform';

export const CATEGORIES = ['chair', 'table', 'torus', 'cup'] as const;
export type Category = (typeof CATEGORIES)[number];

type Rand = (lo: number, hi: number) => number;

function fillBox(g: VoxelGrid, x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): void {
  const [dx, dy, dz] = g.dims;
  for (let x = Math.max(0, Math.round(x0)); x < Math.min(dx, Math.round(x1)); x++)
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(dy, Math.round(y1)); y++)
      for (let z = Math.max(0, Math.round(z0)); z < Math.min(dz, Math.round(z1)); z++) g.data[voxelIndex(g.dims, x, y, z)] = 1;
}

function fillWhere(g: VoxelGrid, inside: (x: number, y: number, z: number) => boolean): void {
  const [dx, dy, dz] = g.dims;
  for (let x = 0; x < dx; x++) for (let y = 0; y < dy; y++) for (let z = 0; z < dz; z++) if (inside(x + 0.5, y + 0.5, z + 0.5)) g.data[voxelIndex(g.dims, x, y, z)] = 1;
}

/** Four square legs of side `thick`, centred at (c ± ax, c ± az), from the floor to `height`. */
function legs(g: VoxelGrid, c: number, ax: number, az: number, thick: number, height: number): void {
  for (const sx of [-1, 1]) for (const sz of [-1, 1]) {
    const x = c + sx * ax;
    const z = c + sz * az;
    fillBox(g, x - thick / 2, x + thick / 2, 0, height, z - thick / 2, z + thick / 2);
  }
}

const MAKERS: Record<Category, (g: VoxelGrid, r: Rand) => void> = {
  chair(g, r) {
    const n = g.dims[0];
    const c = n / 2;
    const half = r(0.25, 0.32) * n;
    const seatY = r(0.36, 0.46) * n;
    const thick = r(0.07, 0.1) * n;
    legs(g, c, half - thick / 2, half - thick / 2, thick, seatY);
    fillBox(g, c - half, c + half, seatY, seatY + thick, c - half, c + half);
    fillBox(g, c - half, c + half, seatY, Math.min(n, seatY + r(0.38, 0.5) * n), c - half, c - half + thick);
  },
  table(g, r) {
    const n = g.dims[0];
    const c = n / 2;
    const half = r(0.36, 0.46) * n;
    const depth = r(0.26, 0.4) * n;
    const topY = r(0.5, 0.65) * n;
    const thick = r(0.06, 0.09) * n;
    legs(g, c, half - thick, depth - thick, thick, topY);
    fillBox(g, c - half, c + half, topY, topY + thick, c - depth, c + depth);
  },
  torus(g, r) {
    const n = g.dims[0];
    const c = n / 2;
    const major = r(0.25, 0.34) * n;
    const minor = r(0.08, 0.13) * n;
    const cy = minor + 1;
    fillWhere(g, (x, y, z) => (Math.hypot(x - c, z - c) - major) ** 2 + (y - cy) ** 2 <= minor * minor);
  },
  cup(g, r) {
    const n = g.dims[0];
    const c = n / 2;
    const outer = r(0.2, 0.3) * n;
    const wall = r(0.07, 0.1) * n;
    const height = r(0.5, 0.8) * n;
    fillWhere(g, (x, y, z) => {
      const d = Math.hypot(x - c, z - c);
      return y < height && d <= outer && (d >= outer - wall || y < wall);
    });
    // Handle: a half ring on the +x side.
    const hr = r(0.12, 0.18) * n;
    const ht = wall * 0.9;
    const hy = height * 0.55;
    fillWhere(g, (x, y, z) => x > c + outer - 1 && Math.abs(z - c) < ht && (Math.hypot(x - (c + outer), y - hy) - hr) ** 2 <= (ht / 1.5) ** 2);
  },
};

/**
 * n shapes of one category on a size³ grid, reproducible from the seed. `pose: 'random'` turns each
 * shape by a random multiple of 90° about the up axis and shifts it by whole voxels within the room
 * its bounding box leaves (on the floor): the same shapes in varied positions, as in scanned data.
 * @throws InvalidOptionError for an unknown category, a size below 16 or an unknown pose.
 */
export function makeShapes(category: Category, n: number, options: { size?: number; seed?: number; pose?: 'canonical' | 'random' } = {}): VoxelGrid[] {
  const size = options.size ?? 32;
  const pose = options.pose ?? 'canonical';
  if (!CATEGORIES.includes(category)) throw new InvalidOptionError('makeShapes', 'category', category, `one of ${CATEGORIES.join(', ')}`);
  if (!Number.isInteger(size) || size < 16) throw new InvalidOptionError('makeShapes', 'size', size, 'an integer >= 16');
  if (pose !== 'canonical' && pose !== 'random') throw new InvalidOptionError('makeShapes', 'pose', pose, "'canonical' or 'random'");
  const rand = mulberry32(options.seed ?? 0);
  const r: Rand = (lo, hi) => lo + (hi - lo) * rand();
  return Array.from({ length: n }, () => {
    const g: VoxelGrid = { dims: [size, size, size], data: new Uint8Array(size * size * size) };
    MAKERS[category](g, r);
    if (pose === 'canonical') return g;
    const turned = rotateY90(g, Math.floor(r(0, 4)));
    const box = boundingBox(turned)!;
    const shift = (axis: number) => Math.floor(r(-box[axis]![0], size - 1 - box[axis]![1] + 1));
    return translate(turned, [shift(0), 0, shift(2)]);
  });
}
