import { gaussianEnergy, initBackend, setLogger, tf } from '@ebm/core';
import { reconstructCloud } from '../src';

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
