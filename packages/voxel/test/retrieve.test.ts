import { InvalidOptionError, ShapeMismatchError } from '@ebm/core';
import { makeGrids, nearestGrid, nearestGrids, retrievalShare, type VoxelGrid } from '../src';

/** Squared distance over the known voxels, by the definition. */
function distance(a: VoxelGrid, b: VoxelGrid, known?: ArrayLike<number>): number {
  let d = 0;
  for (let j = 0; j < a.data.length; j++) if (!known || known[j]) d += (a.data[j]! - b.data[j]!) ** 2;
  return d;
}

describe('nearestGrid', () => {
  const candidates = [...makeGrids('chair', 6, { size: 16, seed: 3 }), ...makeGrids('table', 6, { size: 16, seed: 4 })];

  it('picks the candidate with the fewest disagreements on the known voxels, by brute force', () => {
    for (const [seed, category] of [[7, 'chair'], [8, 'table'], [9, 'chair']] as const) {
      const [query] = makeGrids(category, 1, { size: 16, seed });
      const known = Float32Array.from(query!.data, (_, j) => ((j * 2654435761 + seed) % 101 < 30 ? 1 : 0));
      const got = nearestGrid(query!, candidates, known);
      const distances = candidates.map((c) => distance(query!, c, known));
      expect(distances[got]).toBe(Math.min(...distances));
      expect(got).toBe(distances.indexOf(Math.min(...distances)));
    }
  });

  it('finds a candidate among noisy copies, and only the known voxels count', () => {
    // A copy (another object: the query object itself would be left out).
    const target: VoxelGrid = { dims: candidates[4]!.dims, data: candidates[4]!.data.slice() };
    expect(nearestGrid(target, candidates)).toBe(4);
    // Real-valued queries (block means, say): squared distance over every voxel.
    const soft: VoxelGrid = { dims: target.dims, data: Float32Array.from(target.data, (v, j) => v * 0.8 + (j % 3) * 0.05) };
    expect(nearestGrid(soft, candidates)).toBe(4);
    // Known only where candidate 0 agrees with the target: 0 and 4 tie at distance 0, and the tie goes to the first.
    const known = Uint8Array.from(target.data, (_, j) => (candidates[0]!.data[j] === target.data[j] ? 1 : 0));
    const tied = candidates.map((c) => distance(target, c, known));
    expect(tied[0]).toBe(0);
    expect(nearestGrid(target, candidates, known)).toBe(tied.indexOf(0));
  });

  it('refuses masks and candidates of another size, and an empty candidate list', () => {
    const small: VoxelGrid = { dims: [8, 8, 8], data: new Uint8Array(512) };
    expect(() => nearestGrid(candidates[0]!, candidates, new Uint8Array(5))).toThrow(ShapeMismatchError);
    expect(() => nearestGrid(candidates[0]!, [...candidates, small!])).toThrow(ShapeMismatchError);
    expect(() => nearestGrid(candidates[0]!, [])).toThrow(InvalidOptionError);
    // The query itself is no candidate: alone, it leaves none.
    expect(() => nearestGrid(candidates[0]!, [candidates[0]!])).toThrow(InvalidOptionError);
    expect(() => nearestGrids(candidates[0]!, candidates, { k: 0 })).toThrow(InvalidOptionError);
  });
});

describe('nearestGrids and retrievalShare', () => {
  const candidates = [...makeGrids('chair', 8, { size: 16, seed: 3 }), ...makeGrids('cup', 4, { size: 16, seed: 6 })];
  const [query] = makeGrids('chair', 1, { size: 16, seed: 21 });
  const known = Float32Array.from(query!.data, (_, j) => ((j * 40503) % 89 < 27 ? 1 : 0));

  it('ranks the k nearest by the distance on the known voxels, ties to the earlier, as a full sort does', () => {
    const sorted = candidates.map((c, i) => ({ i, d: distance(query!, c, known) })).sort((a, b) => a.d - b.d || a.i - b.i).map((e) => e.i);
    for (const k of [1, 3, 5, 12, 20]) expect(nearestGrids(query!, candidates, { k, known })).toEqual(sorted.slice(0, k));
    // A copy of the nearest, appended, ties with it and comes right after it.
    expect(distance(query!, candidates[sorted[0]!]!, known)).toBeLessThan(distance(query!, candidates[sorted[1]!]!, known));
    const dup = [...candidates, { dims: candidates[sorted[0]!]!.dims, data: candidates[sorted[0]!]!.data.slice() }];
    expect(nearestGrids(query!, dup, { k: 2, known })).toEqual([sorted[0], candidates.length]);
  });

  it('leaves the query out of its own set (leave-one-out)', () => {
    const own = candidates[2]!;
    const got = nearestGrids(own, candidates, { k: 3 });
    expect(got).not.toContain(2);
    expect(got).toHaveLength(3);
    // A copy that is another object is a candidate like any other.
    const copy: VoxelGrid = { dims: own.dims, data: own.data.slice() };
    expect(nearestGrids(copy, candidates, { k: 1 })).toEqual([2]);
  });

  it('averages the k nearest shapes voxel by voxel', () => {
    const idx = nearestGrids(query!, candidates, { k: 3, known });
    const share = retrievalShare(query!, candidates, { k: 3, known })!;
    for (const j of [0, 100, 1234, 2048, 4095])
      expect(share[j]).toBeCloseTo(idx.reduce((a, i) => a + candidates[i]!.data[j]!, 0) / 3, 6);
    expect(retrievalShare(candidates[0]!, [candidates[0]!])).toBeUndefined();
  });
});
