import { createNet, initBackend, langevin, netEnergy, setLogger, ShapeMismatchError, tf } from '@ebm/core';
import { blockMean, blockMeanFree, convFeatureLayers, descriptor3dCpu, descriptorFeatures, gridsToTensor, makeGrids, upsampleNearest } from '../src';

beforeAll(async () => {
  setLogger(() => {});
  await initBackend();
});

describe('super-resolution operators', () => {
  it('blockMean and upsampleNearest on a hand-computable grid', async () => {
    // 2×2×2 grid holding 0..7 (C order): one 2³ block with mean 3.5.
    const x = tf.tensor(Array.from({ length: 8 }, (_, i) => i), [1, 2, 2, 2, 1]);
    const m = blockMean(x, 2);
    expect(m.shape).toEqual([1, 1, 1, 1, 1]);
    expect((await m.data())[0]).toBeCloseTo(3.5, 6);
    const u = upsampleNearest(tf.tensor([1, 2], [1, 2, 1, 1, 1]), 2);
    expect(u.shape).toEqual([1, 4, 2, 2, 1]);
    // x runs slowest: the slabs x = 0, 1 come from the first value, x = 2, 3 from the second.
    expect(Array.from(await u.data())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]);
    [x, m, u].forEach((t) => t.dispose());
    expect(() => blockMean(tf.zeros([1, 3, 4, 4, 1]), 2)).toThrow(ShapeMismatchError);
  });

  it('blockMeanFree is an orthogonal projection that zeroes block means', async () => {
    const p = blockMeanFree(2);
    const a = tf.randomNormal([2, 4, 4, 4, 1], 0, 1, 'float32', 1);
    const b = tf.randomNormal([2, 4, 4, 4, 1], 0, 1, 'float32', 2);
    const pa = p(a);
    const ppa = p(pa);
    expect(tf.max(tf.abs(blockMean(pa, 2))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(ppa, pa))).dataSync()[0]).toBeLessThan(1e-6);
    // Self-adjoint: <P a, b> = <a, P b>.
    const pb = p(b);
    expect(tf.sum(tf.mul(pa, b)).dataSync()[0]).toBeCloseTo(tf.sum(tf.mul(a, pb)).dataSync()[0]!, 3);
    [a, b, pa, ppa, pb].forEach((t) => t.dispose());
  });

  it('Langevin with the projection keeps the low-resolution input exactly', async () => {
    const net = createNet(descriptor3dCpu(16), { seed: 3 });
    const energy = netEnergy(net);
    const hi = gridsToTensor(makeGrids('chair', 2, { size: 16, seed: 1 }));
    const low = blockMean(hi, 2);
    const x0 = upsampleNearest(low, 2);
    const before = tf.memory().numTensors;
    const { x } = await langevin(energy, x0, { numSteps: 5, stepSize: 0.3, refSigma: 0.5, project: blockMeanFree(2), seed: 1 });
    expect(tf.memory().numTensors).toBe(before + 1);
    const moved = tf.max(tf.abs(tf.sub(x, x0))).dataSync()[0]!;
    expect(moved).toBeGreaterThan(0.01);
    expect(tf.max(tf.abs(tf.sub(blockMean(x, 2), low))).dataSync()[0]).toBeLessThan(1e-5);
    [hi, low, x0, x].forEach((t) => t.dispose());
    net.dispose();
  });
});

describe('descriptorFeatures', () => {
  it('pools the activation after every conv layer to cells³ and matches a direct computation', async () => {
    const net = createNet(descriptor3dCpu(16), { seed: 2 });
    expect(convFeatureLayers(net)).toEqual([1, 3, 5]);
    const x = gridsToTensor(makeGrids('cup', 3, { size: 16, seed: 4 }), 0.05);
    const before = tf.memory().numTensors;
    const { features, numFeatures } = await descriptorFeatures(net, x, { batchSize: 2 });
    // The first call compiles the per-layer prefixes; no tensor is left behind either way.
    expect(tf.memory().numTensors).toBe(before);
    // 8³×16, 4³×32, 2³×64 activations, each pooled to 2³: (16 + 32 + 64) × 8 values.
    expect(numFeatures).toBe(896);
    expect(features.length).toBe(3 * 896);
    const a = await net.forwardTo(x, 1);
    const direct = tf.maxPool3d(a as tf.Tensor5D, 4, 4, 'valid');
    const d = await direct.data();
    // First example, first 128 features = conv1's pooled activation in the same (cell, channel) order.
    for (let i = 0; i < 128; i++) expect(features[i]).toBeCloseTo(d[i]!, 5);
    // Third example (second batch) as well.
    for (let i = 0; i < 128; i++) expect(features[2 * 896 + i]).toBeCloseTo(d[2 * 128 + i]!, 5);
    [x, a, direct].forEach((t) => t.dispose());
    net.dispose();
  });
});
