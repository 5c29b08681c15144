import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, coopStep, createNet, functionEnergy, inferLatent, loadCheckpoint, netSpec, tf, trainCoop, type NetSpec, type TrainEvent } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const M = 1.5;
const SD = 0.5;
const DELTA = 0.3;
const K = 5;

/** 1-D Gaussian family U(x) = (x − μ)²/(2 s²), s² = exp(logVar). */
const gaussianFamily = () =>
  functionEnergy((x, p) => tf.sum(tf.div(tf.square(tf.sub(x, p.mean!)), tf.mul(2, tf.exp(p.logVar!))), 1) as tf.Tensor1D, { mean: [0], logVar: [0] });

const linearGenerator = (latent: number, w: number[][], b: number[]) => {
  const g = createNet(netSpec([latent], [{ type: 'dense', units: b.length }]));
  g.setWeights({ 'layers.0.kernel': new Float32Array(w.flat()), 'layers.0.bias': new Float32Array(b) });
  return g;
};

/**
 * Variance of the revision's noise after K steps of x ← x − ½δ²(x − μ)/s² + δ·N from a point:
 * τ² = δ² Σ_{k<K} ρ^{2k}, ρ = 1 − δ²/(2s²).
 */
const revisionNoise = (s2: number): number => {
  const r = 1 - (DELTA * DELTA) / (2 * s2);
  return (DELTA * DELTA * (1 - r ** (2 * K))) / (1 - r * r);
};

describe('coopStep', () => {
  it('reaches the closed-form fixed point of a linear generator taught by a Gaussian descriptor', async () => {
    // Data N(m, v). With z known (no inference), the generator y = wz + b regresses the revision
    // Ỹ = μ + ρ_K(wz + b − μ) + τ·N onto z, so w → ρ_K·w → 0 and b → μ; the descriptor's MLE
    // step then needs the revision (now μ + τ·N) to have the data's mean and variance: μ = m and
    // τ²(s²) = v, which puts s² above v because K = 5 steps do not mix (about 10% above).
    const descriptor = gaussianFamily();
    const generator = linearGenerator(1, [[1]], [0]);
    const dOpt = new Adam({ learningRate: 0.02 });
    const gOpt = new Adam({ learningRate: 0.02 });
    const models = { descriptor, generator, descriptorOptimizer: dOpt, generatorOptimizer: gOpt };
    const data = tf.tidy(() => tf.add(tf.mul(tf.randomNormal([2000, 1], 0, 1, 'float32', 5), SD), M));
    // The fixed point of this sample: its own mean and variance.
    const values = Array.from(await data.data());
    const m = values.reduce((a, x) => a + x, 0) / values.length;
    const v = values.reduce((a, x) => a + (x - m) ** 2, 0) / values.length;
    let lo = 0.05;
    let hi = 5;
    for (let i = 0; i < 60; i++) {
      const mid = (lo + hi) / 2;
      if (revisionNoise(mid) < v) lo = mid;
      else hi = mid;
    }
    const s2Star = (lo + hi) / 2;
    expect(s2Star / v).toBeGreaterThan(1.08);
    let before = 0;
    const tail: number[][] = [];
    for (let t = 0; t < 600; t++) {
      // After the first step: the optimizers have created their moment tensors.
      if (t === 1) before = numTensors();
      const r = await coopStep(models, data, { sampler: { numSteps: K, stepSize: DELTA }, seed: t });
      if (!r.ok) throw new Error(r.problem);
      [r.proposed, r.revised, r.latent!].forEach((x) => x.dispose());
      if (t >= 500) {
        const [mu, lv, w, b] = await Promise.all([descriptor.params.mean!, descriptor.params.logVar!, generator.params['layers.0.kernel']!, generator.params['layers.0.bias']!].map(async (v) => (await v.data())[0]!));
        tail.push([mu!, Math.exp(lv!), w!, b!]);
      }
    }
    expect(numTensors()).toBe(before);
    const avg = (j: number) => tail.reduce((a, r) => a + r[j]!, 0) / tail.length;
    expect(Math.abs(avg(0) - m)).toBeLessThan(0.03);
    // s² = v (what a sampler that mixed would give) would be 10% off: the bound tells the two apart.
    expect(Math.abs(avg(1) / s2Star - 1)).toBeLessThan(0.04);
    expect(Math.abs(avg(2))).toBeLessThan(0.03);
    expect(Math.abs(avg(3) - m)).toBeLessThan(0.03);
    [data, generator].forEach((x) => x.dispose());
    descriptor.dispose();
    dOpt.dispose();
    gOpt.dispose();
  });

  it('holds observed entries fixed in a masked revision from a condition, and teaches the generator', async () => {
    const descriptor = gaussianFamily();
    const spec = netSpec([3], [{ type: 'dense', units: 3 }]);
    const generator = createNet(spec, { seed: 1 });
    const dOpt = new Adam({ learningRate: 0.01 });
    const gOpt = new Adam({ learningRate: 0.01 });
    const truth = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const cond = tf.tensor2d([[1, 0, 3], [4, 0, 6]]);
    const mask = tf.tensor2d([[1, 0, 1]]);
    const w0 = await generator.getWeights();
    // The family is 1-D: give it 3 columns by broadcasting its mean and variance.
    const r = await coopStep({ descriptor, generator, descriptorOptimizer: dOpt, generatorOptimizer: gOpt }, truth, { sampler: { numSteps: 4, stepSize: 0.1, mask }, condition: cond, seed: 2 });
    if (!r.ok) throw new Error(r.problem);
    expect(r.latent).toBeUndefined();
    const rev = (await r.revised.array()) as number[][];
    const prop = (await r.proposed.array()) as number[][];
    for (const i of [0, 1]) {
      for (const j of [0, 2]) {
        expect(rev[i]![j]).toBe((await truth.array())[i]![j]);
        expect(prop[i]![j]).toBe(rev[i]![j]);
      }
      expect(rev[i]![1]).not.toBe(prop[i]![1]);
    }
    expect(r.stats.revision).toBeGreaterThan(0);
    expect(r.stats.generatorLoss).toBeGreaterThan(0);
    const w1 = await generator.getWeights();
    expect(w1['layers.0.kernel']).not.toEqual(w0['layers.0.kernel']);
    [r.proposed, r.revised, truth, cond, mask, generator].forEach((x) => x.dispose());
    descriptor.dispose();
    dOpt.dispose();
    gOpt.dispose();
  });

  it('targetL1 pulls the generator toward the observed example it was conditioned on', async () => {
    const descriptor = gaussianFamily();
    const generator = createNet(netSpec([3], [{ type: 'dense', units: 3 }]), { seed: 1 });
    const dOpt = new Adam({ learningRate: 0.01 });
    const gOpt = new Adam({ learningRate: 0.05 });
    const truth = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const cond = tf.tensor2d([[1, 0, 3], [4, 0, 6]]);
    const models = { descriptor, generator, descriptorOptimizer: dOpt, generatorOptimizer: gOpt };
    const l1 = async () => {
      const y = await generator.forward(cond);
      const v = (await tf.tidy(() => tf.sum(tf.abs(tf.sub(y, truth)))).data())[0]!;
      y.dispose();
      return v;
    };
    const before = await l1();
    for (let t = 0; t < 20; t++) {
      const r = await coopStep(models, truth, { sampler: { numSteps: 2, stepSize: 0.1 }, condition: cond, targetL1: 1, seed: t });
      if (!r.ok) throw new Error(r.problem);
      [r.proposed, r.revised].forEach((x) => x.dispose());
    }
    expect(await l1()).toBeLessThan(0.7 * before);
    await expect(coopStep(models, truth, { sampler: { numSteps: 1, stepSize: 0.1 }, targetL1: 0.5, numSynthesized: 3 })).rejects.toThrow(/one proposal per observed example/);
    [truth, cond, generator].forEach((x) => x.dispose());
    descriptor.dispose();
    dOpt.dispose();
    gOpt.dispose();
  });
});

describe('inferLatent', () => {
  it('samples the Gaussian posterior of z for a linear generator', async () => {
    // y = w z + b + N(0, σ²), z ~ N(0, 1): z | y ~ N(w(y − b)/(w² + σ²), σ²/(w² + σ²)).
    const [w, b, sigma, y0] = [2, 0.5, 1, 3];
    const generator = linearGenerator(1, [[w]], [b]);
    const n = 4000;
    const z0 = tf.zeros([n, 1]);
    const y = tf.fill([n, 1], y0);
    const before = numTensors();
    const z = await inferLatent(generator, z0, y, sigma, { numSteps: 300, stepSize: 0.1 }, {}, 7);
    expect(numTensors()).toBe(before + 1);
    const v = Array.from(await z.data());
    const mean = v.reduce((a, x) => a + x, 0) / n;
    const variance = v.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
    expect(mean).toBeCloseTo((w * (y0 - b)) / (w * w + sigma * sigma), 1);
    expect(Math.abs(variance / ((sigma * sigma) / (w * w + sigma * sigma)) - 1)).toBeLessThan(0.15);
    [z, z0, y, generator].forEach((x) => x.dispose());
  });
});

describe('trainCoop', () => {
  const descriptorSpec: NetSpec = netSpec([4, 4, 1], [{ type: 'conv2d', filters: 4, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, { type: 'concat', input: 'label' }, { type: 'flatten' }, { type: 'dense', units: 1 }], 'cond-descriptor', { inputs: { label: [3] } });
  const generatorSpec: NetSpec = netSpec([2], [{ type: 'concat', input: 'label' }, { type: 'dense', units: 16 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'reshape', shape: [2, 2, 4] }, { type: 'conv2dTranspose', filters: 1, kernel: 3, stride: 2 }, { type: 'tanh' }], 'cond-generator', { inputs: { label: [3] } });

  async function run(iterations: number, extra: Record<string, unknown>) {
    const d = createNet(descriptorSpec, { seed: 1 });
    const g = createNet(generatorSpec, { seed: 2 });
    const data = tf.tidy(() => tf.tanh(tf.randomNormal([12, 4, 4, 1], 0, 1, 'float32', 3)));
    const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32'));
    const events: TrainEvent[] = [];
    for await (const e of trainCoop(d, g, data, { sampler: { numSteps: 3, stepSize: 0.05, refSigma: 1 }, labels, batchSize: 4, iterations, seed: 4, descriptorOptimizer: { learningRate: 0.01 }, generatorOptimizer: { learningRate: 0.01 }, ...extra })) events.push(e);
    const weights = { d: await d.getWeights(), g: await g.getWeights(), gState: await g.getState() };
    [d, g, data, labels].forEach((t) => t.dispose());
    return { events, weights };
  }

  it('trains a label-conditional pair, checkpoints both nets and resumes bit for bit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coop-'));
    try {
      const before = numTensors();
      const full = await run(6, {});
      expect(numTensors()).toBe(before);
      const steps = full.events.filter((e) => e.type === 'step');
      expect(steps).toHaveLength(6);
      for (const s of steps) {
        expect(Number.isFinite(s.generatorLoss)).toBe(true);
        expect(s.revision).toBeGreaterThan(0);
      }
      // A run stopped at update 3, resumed from its checkpoint, must end where the 6-update run did.
      await run(3, { checkpoint: { dir, every: 3 } });
      const ck = await loadCheckpoint(dir);
      expect(Object.keys(ck.models).sort()).toEqual(['descriptor', 'generator']);
      expect(ck.models.generator!.netSpec).toEqual(generatorSpec);
      expect(Object.keys(ck.models.generator!.params)).toContain('layers.2.runningMean');
      const resumed = await run(6, { resume: dir });
      expect(resumed.events.filter((e) => e.type === 'step')).toHaveLength(3);
      expect(resumed.weights).toEqual(full.weights);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses companions of the wrong length and labels with a plain energy', async () => {
    const d = createNet(descriptorSpec);
    const g = createNet(generatorSpec);
    const data = tf.zeros([8, 4, 4, 1]);
    const labels = tf.zeros([7, 3]);
    const drain = async (it: AsyncGenerator<TrainEvent>) => {
      for await (const _ of it);
    };
    await expect(drain(trainCoop(d, g, data, { sampler: { numSteps: 1, stepSize: 0.1 }, labels }))).rejects.toThrow(/labels has 7 rows, the data 8/);
    const plain = functionEnergy((x) => tf.sum(tf.reshape(tf.square(x), [x.shape[0]!, -1]), 1) as tf.Tensor1D);
    const eight = tf.zeros([8, 3]);
    await expect(drain(trainCoop(plain, g, data, { sampler: { numSteps: 1, stepSize: 0.1 }, labels: eight }))).rejects.toThrow(/a Net descriptor/);
    [d, g, data, labels, eight].forEach((t: { dispose(): void }) => t.dispose());
  });
});
