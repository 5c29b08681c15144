import { InvalidOptionError, ShapeMismatchError, tf } from '@ebm/core';
import { blockMean, blockMeanGrid, gridsToTensor, makeGrids, nearestGrids, occupyBlocks, upsampleRetrieval, upsampleTrilinear, type VoxelGrid } from '../src';

const grid = (dims: [number, number, number], f: (x: number, y: number, z: number) => number): VoxelGrid => {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let x = 0, o = 0; x < dims[0]; x++) for (let y = 0; y < dims[1]; y++) for (let z = 0; z < dims[2]; z++) data[o++] = f(x, y, z);
  return { dims, data };
};

describe('block-count decoding for super-resolution', () => {
  it('blockMeanGrid agrees with the tensor blockMean', async () => {
    const [shape] = makeGrids('chair', 1, { size: 16, seed: 3 });
    const t = gridsToTensor([shape!]);
    const m = blockMean(t, 2);
    const want = (await m.data()) as Float32Array;
    const got = blockMeanGrid(shape!, 2);
    expect(got.dims).toEqual([8, 8, 8]);
    got.data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    [t, m].forEach((x) => x.dispose());
    expect(() => blockMeanGrid({ dims: [3, 4, 4], data: new Uint8Array(48) }, 2)).toThrow(ShapeMismatchError);
    expect(() => blockMeanGrid(shape!, 0)).toThrow(InvalidOptionError);
  });

  it('occupyBlocks recovers a binary shape exactly from its block means when the values rank it', () => {
    // Any values that put the shape's voxels above the rest inside each block decode to the shape.
    const [shape] = makeGrids('table', 1, { size: 16, seed: 1 });
    const low = blockMeanGrid(shape!, 2);
    const values = { dims: shape!.dims, data: Float32Array.from(shape!.data, (v, i) => v + 0.4 * Math.sin(i)) };
    expect(Array.from(occupyBlocks(values, low, 2).data)).toEqual(Array.from(shape!.data));
    // And every block holds exactly its count, whatever the values.
    const noise = grid(shape!.dims, (x, y, z) => Math.cos(x * 7 + y * 3 + z));
    const out = blockMeanGrid(occupyBlocks(noise, low, 2), 2);
    expect(Array.from(out.data)).toEqual(Array.from(low.data));
  });

  it('occupyBlocks takes the highest values, ties to the lower index', () => {
    // One 2³ block with mean 3/8: the three largest values win; equal values go by index.
    const values = { dims: [2, 2, 2] as [number, number, number], data: Float32Array.from([0.1, 0.9, 0.5, 0.5, 0.2, 0.8, 0.5, 0]) };
    const low = { dims: [1, 1, 1] as [number, number, number], data: Float32Array.from([3 / 8]) };
    expect(Array.from(occupyBlocks(values, low, 2).data)).toEqual([0, 1, 1, 0, 0, 1, 0, 0]);
    expect(() => occupyBlocks(values, { dims: [2, 1, 1], data: new Float32Array(2) }, 2)).toThrow(ShapeMismatchError);
  });

  it('upsampleTrilinear interpolates between coarse centres and keeps the block means', () => {
    const c = upsampleTrilinear(grid([2, 3, 2], () => 0.25), 2);
    expect(c.dims).toEqual([4, 6, 4]);
    c.data.forEach((v) => expect(v).toBeCloseTo(0.25, 6));
    // A ramp along x over coarse centres 0..3 → fine centres at (j + 0.5)/2 − 0.5, clamped at the ends.
    // A ramp along x over coarse centres 0..3: fine centres at (j + 0.5)/2 − 0.5 interpolate to
    // 0, 0.25, 0.75, …, 2.75, 3 (clamped at the ends); the end blocks (means 0.125 and 2.875) are
    // then shifted back to the input's 0 and 3, the inner ones already have its means.
    const r = upsampleTrilinear(grid([4, 1, 1], (x) => x), 2);
    expect(r.dims).toEqual([8, 2, 2]);
    expect(Array.from({ length: 8 }, (_, x) => Math.round(r.data[x * 4]! * 1000) / 1000)).toEqual([-0.125, 0.125, 0.75, 1.25, 1.75, 2.25, 2.875, 3.125]);
    // Each x slab is 2 × 2 equal values, and every block mean is the input's.
    expect(Array.from(r.data).every((v, i) => v === r.data[i - (i % 4)])).toBe(true);
    Array.from(blockMeanGrid(r, 2).data).forEach((v, x) => expect(v).toBeCloseTo(x, 6));
  });

  it('upsampleRetrieval blends trilinear upsampling with the nearest references by block means, and keeps the block means', () => {
    const refs = [...makeGrids('chair', 5, { size: 16, seed: 30 }), ...makeGrids('table', 5, { size: 16, seed: 31 })];
    const [shape] = makeGrids('chair', 1, { size: 16, seed: 32 });
    const low = blockMeanGrid(shape!, 2);
    const got = upsampleRetrieval(low, 2, refs, { k: 3 });
    // Block means kept to float rounding.
    blockMeanGrid(got, 2).data.forEach((v, i) => expect(v).toBeCloseTo(low.data[i]!, 5));
    // Before the per-block shift it is ½ trilinear + ½ the mean of the 3 nearest: the shift is one
    // constant per block, so the difference from that blend is constant inside every block.
    const idx = nearestGrids(low, refs.map((r) => blockMeanGrid(r, 2)), { k: 3 });
    const tri = upsampleTrilinear(low, 2);
    const blend = tri.data.map((v, j) => 0.5 * v + (0.5 * idx.reduce((a, i) => a + refs[i]!.data[j]!, 0)) / 3);
    for (const [bx, by, bz] of [[0, 0, 0], [3, 4, 5], [7, 7, 7], [2, 6, 1]] as const) {
      const d = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [0, 1].map((l) => {
        const at = ((bx * 2 + i) * 16 + by * 2 + j) * 16 + bz * 2 + l;
        return got.data[at]! - blend[at]!;
      })));
      d.forEach((v) => expect(v).toBeCloseTo(d[0]!, 5));
    }
    // The given block means are used as they are; no references: trilinear upsampling.
    const lows = refs.map((r) => blockMeanGrid(r, 2));
    expect(Array.from(upsampleRetrieval(low, 2, refs, { k: 3, referenceLows: lows }).data)).toEqual(Array.from(got.data));
    expect(Array.from(upsampleRetrieval(low, 2, [], { k: 3 }).data)).toEqual(Array.from(tri.data));
    expect(() => upsampleRetrieval(low, 2, refs, { k: 3, referenceLows: lows.slice(1) })).toThrow(ShapeMismatchError);
    expect(() => upsampleRetrieval(low, 0, refs, { k: 3 })).toThrow(InvalidOptionError);
  });

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const [shape] = makeGrids('cup', 1, { size: 16, seed: 0 });
    occupyBlocks(upsampleTrilinear(blockMeanGrid(shape!, 2), 2), blockMeanGrid(shape!, 2), 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
