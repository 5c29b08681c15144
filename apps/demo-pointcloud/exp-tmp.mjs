// Experiment: GPointNet CPU settings on the real airplanes, with chains started from noise whose per-axis mean/std match the data.
import { langevin, RunReport, tf } from '@ebm/core';
import { readDataFolder, holdOut, trainWithReport } from '@ebm/demo-kit';
import { chamferMatrix, cloudsToTensor, gpointnetCpu, loadCloud, mmdCov, presets, tensorToClouds } from '@ebm/pointcloud';
const [dir, mode, lrArg] = process.argv.slice(2);
const CPU = presets.gpointnetCpu;
const P = 256;
let i = 0;
const d = await readDataFolder(dir, ['.off'], (p) => loadCloud(p, { points: P, seed: i++ }), {});
const { train, held } = holdOut(d.items);
const data = cloudsToTensor(train);
const { mean, variance } = tf.moments(data, [0, 1]);
const mu = await mean.data(); const sd = Array.from(await variance.data()).map(Math.sqrt);
console.log('per-axis mean', Array.from(mu).map((v) => v.toFixed(3)), 'std', sd.map((v) => v.toFixed(3)));
const noise = (n, seed) => mode === 'matched'
  ? tf.tidy(() => tf.add(tf.mul(tf.randomNormal([n, P, 3], 0, 1, 'float32', seed), sd), Array.from(mu)))
  : tf.randomNormal([n, P, 3], 0, CPU.init.noise.std, 'float32', seed);
const init = { kind: 'noise', start: async (n, seed) => ({ x: noise(n, seed) }), finish: async () => {}, state: () => undefined, setState: () => {}, reset: () => {} };
const sampler = { ...CPU.sampler, clamp: [...CPU.sampler.clamp] };
const report = new RunReport('/tmp/exp-' + mode, { title: 'exp', task: 'generate', seed: 0, quick: true });
const lr = Number(lrArg ?? 1e-3);
const { energy, net } = await trainWithReport({ label: mode, spec: gpointnetCpu(P), data, train: { sampler, init, batchSize: Math.min(train.length, 16), numSynthesized: Math.min(train.length, 16), iterations: 700, optimizer: { learningRate: lr, beta1: CPU.train.optimizer.beta1 }, energyL2: 0, dataNoise: CPU.train.dataNoise, seed: 0 } }, report);
const x0 = noise(16, 1);
const { x } = await langevin(energy, x0, { ...sampler, seed: 2 });
const gen = await tensorToClouds(x);
const nz = await tensorToClouds(noise(16, 3));
const sc = (c) => mmdCov(chamferMatrix(c, held), c.length, held.length);
console.log(JSON.stringify({ mode, lr, gen: sc(gen), noise: sc(nz), train: sc(train.slice(0, 16)) }));
await report.writeCurves();
