/** Async chain starts that run a net: from a generator (CoopNets) and from a coarser grid (multigrid). */
import { createNet, fromCoarser, fromGenerator, gaussianArray, InvalidOptionError, netEnergy, netSpec, sampleNoise, tf, trainMle } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

it('fromGenerator starts chains at g(z) and records z', async () => {
  const gen = createNet(netSpec([3], [{ type: 'dense', units: 4 }, { type: 'tanh' }, { type: 'reshape', shape: [2, 2, 1] }]), { seed: 1 });
  const init = fromGenerator(gen);
  const s = await init.start(5, 7);
  expect(s.latent!.shape).toEqual([5, 3]);
  expect(Array.from(s.latent!.dataSync())).toEqual(Array.from(gaussianArray(15, 7)));
  const want = await gen.forward(s.latent!);
  expect(s.x.shape).toEqual([5, 2, 2, 1]);
  expect(Array.from(s.x.dataSync())).toEqual(Array.from(want.dataSync()));
  tf.dispose([s.x, s.latent!, want]);
  gen.dispose();
});

it('fromCoarser upsamples a coarser model\'s samples by nearest replication', async () => {
  const coarse = async (n: number) => tf.tensor4d(Float32Array.from({ length: n * 4 }, (_, i) => i), [n, 2, 2, 1]);
  const s = await fromCoarser(coarse, 2).start(1, 0);
  expect(s.x.shape).toEqual([1, 4, 4, 1]);
  expect(Array.from(s.x.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
  s.x.dispose();
  await expect(fromCoarser(async () => tf.zeros([1, 2, 2, 2, 1]), [2, 2]).start(1, 0)).rejects.toThrow(/fromCoarser: coarse samples \[1,2,2,2,1\] need 2 spatial axes/);
});

it('trainMle runs with a generator start, with a flat tensor count', async () => {
  const gen = createNet(netSpec([2], [{ type: 'dense', units: 4 }, { type: 'tanh' }]), { seed: 2, mode: 'eval' });
  const net = createNet(netSpec([4], [{ type: 'dense', units: 8 }, { type: 'swish' }, { type: 'dense', units: 1 }]), { seed: 3 });
  const data = tf.randomNormal([16, 4], 0, 0.5, 'float32', 4);
  const run = async (iterations: number) => {
    for await (const e of trainMle(netEnergy(net), data, { sampler: { numSteps: 3, stepSize: 0.1, refSigma: 1 }, init: fromGenerator(gen), batchSize: 8, iterations, seed: 1 })) void e;
  };
  await run(1);
  const before = numTensors();
  await run(4);
  expect(numTensors()).toBe(before);
  tf.dispose(data);
  [gen, net].forEach((n) => n.dispose());
});

describe('per-channel Gaussian starts', () => {
  it('draw each entry of the last axis with its own mean and std, and refuse a wrong count', async () => {
    const x = sampleNoise(4000, [2, 3], { dist: 'gaussian', mean: [1, -2, 0], std: [0.5, 2, 0] }, 7);
    const { mean, variance } = tf.moments(x, [0, 1]);
    const [m, v] = [Array.from(await mean.data()), Array.from(await variance.data())];
    [1, -2, 0].forEach((mu, k) => expect(m[k]).toBeCloseTo(mu, 1));
    [0.25, 4, 0].forEach((s2, k) => expect(Math.abs(v[k]! - s2)).toBeLessThan(0.05 * s2 + 1e-6));
    [x, mean, variance].forEach((t) => t.dispose());
    // A scalar std with per-channel means is fine; two values for three channels is not.
    sampleNoise(2, [3], { dist: 'gaussian', mean: [0, 1, 2], std: 1 }, 1).dispose();
    expect(() => sampleNoise(2, [3], { dist: 'gaussian', std: [1, 2] }, 1)).toThrow(/noise\.std must be one or one per entry of the last axis \(3\)/);
    expect(() => sampleNoise(2, [3], { dist: 'gaussian', std: [1, -1, 1] }, 1)).toThrow(InvalidOptionError);
  });
});
