import { InvalidOptionError } from '@ebm/core';
import { boundingBox, makeGrids, rotateY90, translate, voxelIndex, type VoxelGrid } from '../src';

const single = (n: number, x: number, y: number, z: number): VoxelGrid => {
  const g: VoxelGrid = { dims: [n, n, n], data: new Uint8Array(n ** 3) };
  g.data[voxelIndex(g.dims, x, y, z)] = 1;
  return g;
};
const count = (g: VoxelGrid) => Array.from(g.data).reduce((a, b) => a + b, 0);

describe('rigid voxel moves', () => {
  it('a quarter turn about y maps (x, z) to (z, n − 1 − x); four turns are the identity', () => {
    const g = single(4, 1, 2, 0);
    expect(boundingBox(rotateY90(g, 1))).toEqual([[0, 0], [2, 2], [2, 2]]);
    expect(boundingBox(rotateY90(g, -1))).toEqual(boundingBox(rotateY90(g, 3)));
    const chair = makeGrids('chair', 1, { size: 16 })[0]!;
    expect(Array.from(rotateY90(chair, 4).data)).toEqual(Array.from(chair.data));
    expect(Array.from(rotateY90(rotateY90(chair, 1), 3).data)).toEqual(Array.from(chair.data));
    expect(() => rotateY90(chair, 0.5)).toThrow(InvalidOptionError);
  });

  it('translate moves voxels by whole steps and drops what leaves the grid', () => {
    const g = single(4, 1, 1, 1);
    expect(boundingBox(translate(g, [2, 0, -1]))).toEqual([[3, 3], [1, 1], [0, 0]]);
    expect(count(translate(g, [3, 0, 0]))).toBe(0);
    expect(boundingBox(translate(g, [3, 0, 0]))).toBeUndefined();
  });

  it("makeGrids pose 'random' turns and shifts whole shapes, reproducibly, keeping them on the floor", () => {
    const canonical = makeGrids('cup', 6, { size: 16, seed: 3 });
    const posed = makeGrids('cup', 6, { size: 16, seed: 3, pose: 'random' });
    const again = makeGrids('cup', 6, { size: 16, seed: 3, pose: 'random' });
    posed.forEach((g, i) => {
      expect(Array.from(g.data)).toEqual(Array.from(again[i]!.data));
      expect(boundingBox(g)![1]![0]).toBe(0);
    });
    // The first shape is drawn before any pose: the same voxels, moved, none lost.
    expect(count(posed[0]!)).toBe(count(canonical[0]!));
    // Positions vary: the boxes start at several x and z offsets.
    expect(new Set(posed.map((g) => `${boundingBox(g)![0]![0]},${boundingBox(g)![2]![0]}`)).size).toBeGreaterThanOrEqual(4);
  });
});
