import { ShapeMismatchError } from '@ebm/core';
import { makeGrids, neighbourhoodShare, type VoxelGrid } from '../src';

describe('neighbourhoodShare', () => {
  it('averages the observed voxels of each 3×3×3 neighbourhood, by the definition', () => {
    const [shape] = makeGrids('chair', 1, { size: 16, seed: 2 });
    const g = shape!;
    const [d, h, w] = g.dims;
    const observed = Float32Array.from(g.data, (_, i) => ((i * 2654435761) % 97 < 30 ? 1 : 0));
    const got = neighbourhoodShare(g, observed, { fallback: -1 });
    expect(got.dims).toEqual(g.dims);
    for (const [x, y, z] of [[0, 0, 0], [5, 9, 3], [15, 15, 15], [8, 2, 14], [7, 7, 0]] as const) {
      let seen = 0;
      let on = 0;
      for (let i = x - 1; i <= x + 1; i++)
        for (let j = y - 1; j <= y + 1; j++)
          for (let k = z - 1; k <= z + 1; k++) {
            if (i < 0 || j < 0 || k < 0 || i >= d || j >= h || k >= w) continue;
            const at = (i * h + j) * w + k;
            if (observed[at]) (seen++, (on += g.data[at]!));
          }
      expect(got.data[(x * h + y) * w + z]).toBeCloseTo(seen ? on / seen : -1, 6);
    }
  });

  it('reads only observed values, and gives the fallback where none is observed', () => {
    const g: VoxelGrid = { dims: [3, 3, 3], data: new Uint8Array(27).fill(1) };
    const none = neighbourhoodShare(g, new Uint8Array(27), { fallback: 0.25 });
    expect(Array.from(none.data)).toEqual(new Array(27).fill(0.25));
    // Only the corner (0, 0, 0) is observed, and it is empty: its neighbours read 0, the far corner the fallback.
    const mask = new Uint8Array(27);
    mask[0] = 1;
    const one = neighbourhoodShare({ dims: [3, 3, 3], data: Uint8Array.from(g.data, (_, i) => (i === 0 ? 0 : 1)) }, mask, { fallback: 0.5 });
    expect(one.data[0]).toBe(0);
    expect(one.data[13]).toBe(0);
    expect(one.data[26]).toBe(0.5);
    expect(() => neighbourhoodShare(g, new Uint8Array(8))).toThrow(ShapeMismatchError);
  });
});
