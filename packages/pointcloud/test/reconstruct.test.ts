import { functionEnergy, gaussianArray, gaussianEnergy, initBackend, InvalidOptionError, setLogger, tf } from '@ebm/core';
import { completeClouds, cutCloud, reconstructCloud } from '../src';

beforeAll(async () => {
  setLogger(() => {});
  await initBackend();
});

describe('reconstructCloud', () => {
  it('inverts a known chain: U = ‖x‖²/2 shrinks x by (1 − δ²/2) per step, so z → target / 0.9^K', async () => {
    const energy = gaussianEnergy(3);
    // 2 clouds of 4 points each; the energy is per point here, so flatten to [N·n, 3] rows.
    const target = tf.tensor2d([
      [0.2, -0.1, 0.3],
      [0.5, 0.4, -0.2],
      [-0.3, 0.1, 0.0],
      [0.1, 0.1, 0.1],
    ]);
    const sampler = { numSteps: 3, stepSize: Math.sqrt(0.2), clamp: [-1, 1] as [number, number] };
    const before = tf.memory().numTensors;
    const mses: number[] = [];
    const { z, x, mse } = await reconstructCloud(energy, target, { sampler, steps: 64, stepSize: 0.2, initStd: 0.3, seed: 1, onStep: (_, m) => mses.push(m) });
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(mse).toBeLessThan(1e-4);
    expect(mses[63]!).toBeLessThan(mses[0]! / 100);
    // Each step multiplies by 1 − δ²/2 = 0.9: z = target / 0.729.
    const want = tf.div(target, 0.729);
    expect(tf.max(tf.abs(tf.sub(z, want))).dataSync()[0]).toBeLessThan(0.02);
    [target, z, x, want].forEach((t) => t.dispose());
    energy.dispose();
  });
});

describe('cutCloud and completeClouds', () => {
  const cloud = { points: Float32Array.from({ length: 3 * 64 }, (_, i) => Math.sin(i * 1.7) + (i % 3)) };

  it('cutCloud keeps the given fraction on one side of a seeded plane through the centroid', () => {
    const flags = cutCloud(cloud, 0.5, 4);
    expect(flags.reduce((a, b) => a + b, 0)).toBe(32);
    expect(cutCloud(cloud, 0.5, 4)).toEqual(flags);
    expect(cutCloud(cloud, 0.5, 5)).not.toEqual(flags);
    expect(cutCloud(cloud, 0.25, 4).reduce((a, b) => a + b, 0)).toBe(16);
    // Kept and dropped points are separated along the plane's normal (the seeded Gaussian direction).
    const d = Array.from(gaussianArray(3, 4));
    const along = (i: number) => d.reduce((a, v, k) => a + v * cloud.points[3 * i + k]!, 0);
    const kept = [...flags.keys()].filter((i) => flags[i]).map(along);
    const dropped = [...flags.keys()].filter((i) => !flags[i]).map(along);
    expect(Math.max(...kept)).toBeLessThanOrEqual(Math.min(...dropped));
    expect(() => cutCloud(cloud, 1)).toThrow(InvalidOptionError);
  });

  it('completeClouds holds the observed points and moves the missing ones to where the energy is low', async () => {
    // U(x) = Σ ‖x − c‖²/2: the chain pulls every free point towards c.
    const c = [2, -1, 0.5];
    const energy = functionEnergy((x, p) => tf.mul(0.5, tf.sum(tf.square(tf.sub(x, p.c!)), [1, 2])) as tf.Tensor1D, { c });
    const x = tf.tensor3d([cloud.points.slice(0, 96), cloud.points.slice(96)].map((a) => Array.from({ length: 32 }, (_, i) => Array.from(a.slice(3 * i, 3 * i + 3)))));
    const observed = Uint8Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const out = await completeClouds(energy, x, observed, { sampler: { numSteps: 200, stepSize: 0.5, noiseScale: 0 }, initStd: 0.3, seed: 1 });
    const [got, given] = [await out.data(), await x.data()];
    for (let p = 0; p < 64; p++)
      for (let k = 0; k < 3; k++) {
        if (observed[p]) expect(got[3 * p + k]).toBe(given[3 * p + k]);
        else expect(got[3 * p + k]).toBeCloseTo(c[k]!, 3);
      }
    await expect(completeClouds(energy, x, observed.slice(1), { sampler: { numSteps: 1, stepSize: 0.1 } })).rejects.toThrow(/one per point \(64\)/);
    [x, out].forEach((t) => t.dispose());
    energy.dispose();
  });
});
