import { InvalidOptionError, initBackend, tf } from '@ebm/core';
import { damageShapes, makeGrids, neighbourhoodShare, recoveryStarts, retrievalShare, RETRIEVAL_WEIGHT } from '../src';

beforeAll(async () => {
  await initBackend();
});

describe('damageShapes', () => {
  const grids = makeGrids('chair', 3, { size: 16, seed: 4 });
  const scaling = { mean: 0.1, scale: 2 };

  it('keeps about the observed share, at the shapes values; hidden voxels start at the neighbourhood share', () => {
    const { start, mask, rates } = damageShapes(grids, { observed: 0.3, scaling, seed: 11 });
    expect(start.shape).toEqual([3, 16, 16, 16, 1]);
    expect(mask.shape).toEqual(start.shape);
    const x = start.dataSync();
    const m = mask.dataSync();
    const n = 16 ** 3;
    const kept = Array.from(m).reduce((a, v) => a + v, 0) / m.length;
    expect(Math.abs(kept - 0.3)).toBeLessThan(0.02);
    grids.forEach((g, i) => {
      const mi = m.subarray(i * n, (i + 1) * n);
      let seen = 0;
      let on = 0;
      mi.forEach((v, j) => v && (seen++, (on += g.data[j]!)));
      expect(rates[i]).toBeCloseTo(on / seen, 6);
      const guess = neighbourhoodShare(g, mi, { fallback: rates[i]! }).data;
      for (let j = 0; j < n; j++) {
        const want = mi[j] ? (g.data[j]! - 0.1) * 2 : (guess[j]! - 0.1) * 2;
        if (Math.abs(x[i * n + j]! - want) > 1e-6) throw new Error(`shape ${i} voxel ${j}: ${x[i * n + j]} against ${want}`);
      }
    });
    tf.dispose([start, mask]);
  });

  it('with retrieval, hidden voxels start at the even blend of the neighbourhood share and the nearest references, each shape left out of its own', () => {
    const refs = [...grids, ...makeGrids('table', 3, { size: 16, seed: 5 })];
    const plain = damageShapes(grids, { observed: 0.3, scaling, seed: 11 });
    const { start, mask } = damageShapes(grids, { observed: 0.3, scaling, seed: 11, retrieval: { references: refs, k: 2 } });
    // The masks are the seed's, whatever the start.
    expect(Array.from(mask.dataSync())).toEqual(Array.from(plain.mask.dataSync()));
    const x = start.dataSync();
    const m = mask.dataSync();
    const n = 16 ** 3;
    expect(RETRIEVAL_WEIGHT).toBe(0.5);
    let differ = 0;
    grids.forEach((g, i) => {
      const mi = m.subarray(i * n, (i + 1) * n);
      const far = retrievalShare(g, refs, { k: 2, known: mi })!;
      // Leave-one-out: shape i is refs[i]; its own copy must not be among the retrieved, so its
      // hidden voxels are not simply its truth.
      let truthAll = true;
      const local = neighbourhoodShare(g, mi, { fallback: plain.rates[i]! }).data;
      for (let j = 0; j < n; j++) {
        if (mi[j]) continue;
        const want = (0.5 * local[j]! + 0.5 * far[j]! - 0.1) * 2;
        if (Math.abs(x[i * n + j]! - want) > 1e-6) throw new Error(`shape ${i} voxel ${j}: ${x[i * n + j]} against ${want}`);
        if (far[j] !== g.data[j]) truthAll = false;
        if (far[j] !== local[j]) differ++;
      }
      expect(truthAll).toBe(false);
    });
    expect(differ).toBeGreaterThan(100);
    expect(() => damageShapes(grids, { observed: 0.3, scaling, seed: 1, retrieval: { references: refs, k: 0 } })).toThrow(InvalidOptionError);
    tf.dispose([start, mask, plain.start, plain.mask]);
  });

  it('is reproduced by its seed and changes with it', () => {
    const masks = [11, 11, 12].map((seed) => {
      const d = damageShapes(grids, { observed: 0.3, scaling, seed });
      const m = Array.from(d.mask.dataSync());
      tf.dispose([d.start, d.mask]);
      return m;
    });
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).not.toEqual(masks[0]);
  });

  it('refuses a share outside [0, 1], a fractional seed and no grids', () => {
    expect(() => damageShapes(grids, { observed: 1.5, scaling, seed: 1 })).toThrow(InvalidOptionError);
    expect(() => damageShapes(grids, { observed: 0.3, scaling, seed: 0.5 })).toThrow(InvalidOptionError);
    expect(() => damageShapes([], { observed: 0.3, scaling, seed: 1 })).toThrow(InvalidOptionError);
  });
});

describe('recoveryStarts', () => {
  const grids = makeGrids('table', 6, { size: 16, seed: 2 });
  const init = recoveryStarts(grids, { observed: 0.3, scaling: 0.2 });

  it('gives a seeded pick of the shapes under fresh masks each call, their damaged copies', () => {
    const a = init.start(4, 7) as Awaited<ReturnType<typeof init.start>>;
    const rows = Array.from(a.indices!);
    expect(rows).toHaveLength(4);
    expect(new Set(rows).size).toBe(4);
    rows.forEach((r) => expect(r >= 0 && r < 6).toBe(true));
    // The same pick and seed through damageShapes: the same starts and masks.
    const d = damageShapes(rows.map((r) => grids[r]!), { observed: 0.3, scaling: 0.2, seed: 7 });
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(d.start.dataSync()));
    expect(Array.from(a.mask!.dataSync())).toEqual(Array.from(d.mask.dataSync()));
    // Every shape, another seed: all rows, other masks.
    const b = init.start(6, 8) as Awaited<ReturnType<typeof init.start>>;
    expect(Array.from(b.indices!)).toEqual([0, 1, 2, 3, 4, 5]);
    const c = init.start(6, 9) as Awaited<ReturnType<typeof init.start>>;
    expect(Array.from(c.mask!.dataSync())).not.toEqual(Array.from(b.mask!.dataSync()));
    tf.dispose([a.x, a.mask!, b.x, b.mask!, c.x, c.mask!, d.start, d.mask]);
    expect(() => init.start(7, 1)).toThrow(InvalidOptionError);
  });

  it('holds no tensors between calls', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const s = init.start(3, i) as Awaited<ReturnType<typeof init.start>>;
      tf.dispose([s.x, s.mask!]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(init.state()).toBeUndefined();
  });
});
