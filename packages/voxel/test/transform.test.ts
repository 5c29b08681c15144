import { InvalidOptionError } from '@ebm/core';
import { boundingBox, iou, makeGrids, rotateY90, shapeMesh, translate, voxelIndex, voxelizeMesh, zUpToYUp, type VoxelGrid } from '../src';

const single = (n: number, x: number, y: number, z: number): VoxelGrid => {
  const g: VoxelGrid = { dims: [n, n, n], data: new Uint8Array(n ** 3) };
  g.data[voxelIndex(g.dims, x, y, z)] = 1;
  return g;
};
const count = (g: VoxelGrid) => Array.from(g.data).reduce((a, b) => a + b, 0);

describe('rigid voxel moves', () => {
  it('zUpToYUp stands a z-up grid on y: (x, y, z) → (x, z, n_y − 1 − y), as voxelizeMesh turns z-up meshes', () => {
    const g: VoxelGrid = { dims: [4, 5, 6], data: new Uint8Array(120) };
    g.data[voxelIndex(g.dims, 1, 2, 3)] = 1;
    const t = zUpToYUp(g);
    expect(t.dims).toEqual([4, 6, 5]);
    expect(count(t)).toBe(1);
    expect(t.data[voxelIndex(t.dims, 1, 3, 5 - 1 - 2)]).toBe(1);
    // A chair stored z-up, (x, y, z) → (x, −z, y): turned as a mesh and as a grid, it stands as the original.
    const mesh = shapeMesh('chair', 3);
    const p = mesh.positions;
    const zUp = { ...mesh, positions: Float32Array.from(p, (v, i) => (i % 3 === 1 ? -p[i + 1]! : i % 3 === 2 ? p[i - 1]! : v)) };
    const upright = voxelizeMesh(mesh, { size: 16 });
    expect(iou(voxelizeMesh(zUp, { size: 16, up: 'z' }), upright)).toBe(1);
    const lying = voxelizeMesh(zUp, { size: 16 });
    expect(iou(lying, upright)).toBeLessThan(0.5);
    // The grid turn stands it up too (placed in the grid differently, so the boxes' sides agree
    // to a voxel of rounding; the chair is tallest along y either way).
    const sides = (g: VoxelGrid) => boundingBox(g)!.map(([lo, hi]) => hi - lo);
    sides(zUpToYUp(lying)).forEach((d, k) => expect(Math.abs(d - sides(upright)[k]!)).toBeLessThanOrEqual(1));
    expect(sides(lying)[2]).toBe(Math.max(...sides(lying)));
  });

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
