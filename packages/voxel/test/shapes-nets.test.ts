import { createNet, initBackend, InvalidOptionError, paramCount, setLogger, tf } from '@ebm/core';
import { SHAPE_CATEGORIES, descriptor3dCpu, descriptor3dPaper, energyL2ForGrid, gridsToTensor, iou, makeGrids, occupancy, presets, tensorToGrids, threshold, voxelScaling } from '../src';
import { presetContract } from '../../core/test/preset-contract';

beforeAll(async () => {
  setLogger(() => {});
  await initBackend();
});

describe('procedural shapes', () => {
  it.each(SHAPE_CATEGORIES)('%s: reproducible from the seed, varied, plausibly filled', (category) => {
    const a = makeGrids(category, 4, { seed: 5 });
    const b = makeGrids(category, 4, { seed: 5 });
    a.forEach((g, i) => expect(Array.from(g.data)).toEqual(Array.from(b[i]!.data)));
    for (const g of a) {
      expect(g.dims).toEqual([32, 32, 32]);
      expect(occupancy(g)).toBeGreaterThan(0.01);
      expect(occupancy(g)).toBeLessThan(0.3);
    }
    // Different proportions: no two shapes of the batch are identical.
    expect(iou(a[0]!, a[1]!)).toBeLessThan(1);
  });

  it('categories differ more than shapes within a category', () => {
    const chairs = makeGrids('chair', 6, { seed: 1 });
    const tori = makeGrids('torus', 6, { seed: 1 });
    const mean = (xs: number[]) => xs.reduce((p, v) => p + v, 0) / xs.length;
    const within = mean(chairs.slice(1).map((g) => iou(g, chairs[0]!)));
    const across = mean(tori.map((g) => iou(g, chairs[0]!)));
    expect(within).toBeGreaterThan(across + 0.2);
  });

  it('rejects unknown categories and tiny grids', () => {
    expect(() => makeGrids('sofa' as never, 1)).toThrow(InvalidOptionError);
    expect(() => makeGrids('chair', 1, { size: 8 })).toThrow('size must be an integer >= 16, got 8');
  });

  it('converts grids to a [N, D, H, W, 1] tensor and back', async () => {
    const grids = makeGrids('cup', 3, { seed: 2 });
    const t = gridsToTensor(grids, 0.1);
    expect(t.shape).toEqual([3, 32, 32, 32, 1]);
    const back = await tensorToGrids(t, 0.1);
    back.forEach((g, i) => expect(iou(threshold(g), grids[i]!)).toBe(1));
    t.dispose();
  });

  it('voxelScaling gives the data the reference σ as its spread, whatever the occupancy, and round-trips', async () => {
    for (const [category, size] of [['cup', 32], ['chair', 16]] as const) {
      const grids = makeGrids(category, 4, { size, seed: 3 });
      const m = grids.reduce((a, g) => a + occupancy(g), 0) / grids.length;
      const scaling = voxelScaling(grids, 0.5);
      expect(scaling.mean).toBeCloseTo(m, 12);
      const t = gridsToTensor(grids, scaling);
      const { mean, variance } = tf.moments(t);
      expect((await mean.data())[0]).toBeCloseTo(0, 5);
      expect(Math.sqrt((await variance.data())[0]!)).toBeCloseTo(0.5, 4);
      const back = await tensorToGrids(t, scaling);
      back.forEach((g, i) => expect(iou(threshold(g), grids[i]!)).toBe(1));
      [t, mean, variance].forEach((x) => x.dispose());
    }
    // Half-full data keeps the paper's units (scale 1 at σ = 0.5); empty data is not rescaled.
    const half = { dims: [2, 1, 1] as [number, number, number], data: Uint8Array.of(1, 0) };
    expect(voxelScaling([half], 0.5)).toEqual({ mean: 0.5, scale: 1 });
    expect(voxelScaling([{ dims: [2, 1, 1], data: Uint8Array.of(0, 0) }], 0.5)).toEqual({ mean: 0, scale: 1 });
    expect(() => voxelScaling([], 0.5)).toThrow('voxelScaling: no grids given');
  });
});

describe('3D descriptor nets', () => {
  it('the paper preset has the paper layers (200 @ 16³ s3, 100 @ 6³ s2, dense)', () => {
    const spec = descriptor3dPaper();
    expect(spec.layers.filter((l) => l.type === 'conv3d').map((l) => [(l as { filters: number }).filters, (l as { kernel: number }).kernel, (l as { stride: number }).stride])).toEqual([
      [200, 16, 3],
      [100, 6, 2],
    ]);
    expect(paramCount(spec)).toBe(1 * 200 * 16 ** 3 + 200 + 200 * 100 * 6 ** 3 + 100 + 100 * 6 ** 3 + 1);
  });

  it('the CPU variant scores a batch of shapes on the tfjs and onnx runtimes alike', async () => {
    const spec = descriptor3dCpu();
    // 16 → 32 → 64 channels by default; the dense layer sees 4³ × 64 at 32³.
    expect(paramCount(spec)).toBe(4 ** 3 * 16 + 16 + 27 * 16 * 32 + 32 + 27 * 32 * 64 + 64 + 4 ** 3 * 64 + 1);
    const x = gridsToTensor(makeGrids('chair', 2, { seed: 1 }));
    const a = createNet(spec, { seed: 1 });
    const b = createNet(spec, { seed: 1, runtime: 'onnx' });
    const ya = await a.forward(x);
    const yb = await b.forward(x);
    expect(ya.shape).toEqual([2, 1]);
    expect(tf.norm(tf.sub(ya, yb)).dataSync()[0]! / tf.norm(ya).dataSync()[0]!).toBeLessThan(1e-4);
    [a, b].forEach((n) => n.dispose());
    [x, ya, yb].forEach((t) => t.dispose());
  });
});

describe('descriptor3dCpu channels', () => {
  it('takes the conv channels; the synthesis preset uses 32 → 64 → 128 at 16³', () => {
    const spec = descriptor3dCpu(16, [8, 12, 20]);
    expect(spec.layers.filter((l) => l.type === 'conv3d').map((l) => (l as { filters: number }).filters)).toEqual([8, 12, 20]);
    expect(paramCount(presets.descriptor3dCpu.net)).toBe(4 ** 3 * 32 + 32 + 27 * 32 * 64 + 64 + 27 * 64 * 128 + 128 + 2 ** 3 * 128 + 1);
    expect(() => descriptor3dCpu(16, [8, 12] as unknown as [number, number, number])).toThrow(/filters must be three channel counts/);
    expect(() => descriptor3dCpu(16, [8, 0, 20])).toThrow(/filters/);
  });
});

describe('energyL2ForGrid', () => {
  it("scales the preset's 16³ penalty by the number of voxels, so the gap it allows (1/α) grows with the reference energy", () => {
    expect(energyL2ForGrid(16)).toBe(presets.descriptor3dCpu.train.energyL2);
    expect(energyL2ForGrid(32)).toBe(1.25e-4);
    expect(1 / energyL2ForGrid(64) / (1 / energyL2ForGrid(16))).toBe(64);
    expect(energyL2ForGrid(32, 8e-3)).toBe(1e-3);
    expect(() => energyL2ForGrid(0)).toThrow(/size/);
    expect(() => energyL2ForGrid(16.5)).toThrow(/size/);
    expect(() => energyL2ForGrid(32, -1)).toThrow(/at16/);
  });
});

describe('meanNearestIou', () => {
  it('is 1 for samples that are training shapes, and sees collapse and diversity', async () => {
    const { meanNearestIou } = await import('../src');
    const train = makeGrids('chair', 4, { seed: 7 });
    expect(meanNearestIou(train.slice(0, 2), train)).toBe(1);
    const collapsed = [train[0]!, train[0]!, train[0]!];
    expect(meanNearestIou(collapsed, collapsed, { excludeSelf: true })).toBe(1);
    const varied = meanNearestIou(train, train, { excludeSelf: true });
    expect(varied).toBeLessThan(1);
    expect(varied).toBeGreaterThan(0.3);
    expect(meanNearestIou(makeGrids('torus', 2, { seed: 1 }), train)).toBeLessThan(0.3);
  });
});

presetContract(() => import('@ebm/core'), presets);
