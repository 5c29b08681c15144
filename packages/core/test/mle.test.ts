import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionEnergy, GradAccumulator, loadCheckpoint, mleGradients, mleStep, Adam, persistentChains, tf, trainLoop, trainMle, type IterationResult, type Tensor, type TrainEvent } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const TRUE_MEAN = [1.5, -0.5];
const TRUE_STD = [0.5, 1.2];

/** Diagonal Gaussian family: U(x) = Σ_j (x_j − μ_j)² / (2·exp(s_j)), s = log-variance (learnable). */
function gaussianFamily() {
  return functionEnergy(
    (x, p) => tf.sum(tf.div(tf.square(tf.sub(x, p.mean!)), tf.mul(2, tf.exp(p.logVar!))), 1) as tf.Tensor1D,
    { mean: [0, 0], logVar: [0, 0] },
  );
}

function data(n: number, seed: number): Tensor {
  return tf.tidy(() => tf.add(tf.mul(tf.randomNormal([n, 2], 0, 1, 'float32', seed), TRUE_STD), TRUE_MEAN));
}

describe('MLE on a Gaussian family', () => {
  it('mleGradients is mean ∂U/∂θ(obs) − mean ∂U/∂θ(syn), in closed form for the mean', async () => {
    const energy = gaussianFamily();
    const obs = tf.tensor2d([[1, 2], [3, 4]]);
    const syn = tf.tensor2d([[0, 0], [2, 2]]);
    const { grads, stats } = await mleGradients(energy, obs, syn);
    // ∂U/∂μ = −(x − μ) with unit variance and μ = 0: mean over obs = −[2, 3], over syn = −[1, 1].
    expect(Array.from(await grads.mean!.data())).toEqual([-1, -2]);
    expect(stats.energyObs).toBeCloseTo((0.5 + 2 + 4.5 + 8) / 2, 5);
    expect(stats.energySyn).toBeCloseTo((0 + 4) / 2, 5);
    expect(stats.gap).toBeCloseTo(stats.energySyn - stats.energyObs, 6);
    expect(stats.loss).toBeCloseTo(-stats.gap, 6);
    Object.values(grads).forEach((g) => g.dispose());
    [obs, syn].forEach((t) => t.dispose());
    energy.dispose();
  });

  it('trainMle recovers the mean and the variance from data', async () => {
    const energy = gaussianFamily();
    const x = data(4000, 1);
    const events: TrainEvent[] = [];
    for await (const e of trainMle(energy, x, {
      sampler: { numSteps: 20, stepSize: 0.3 },
      init: persistentChains([2], 256, { dist: 'gaussian', std: 1 }),
      batchSize: 256,
      iterations: 250,
      optimizer: { learningRate: 0.05 },
      seed: 3,
    })) events.push(e);
    const mean = Array.from(await energy.params.mean!.data());
    const std = Array.from(await energy.params.logVar!.data()).map((s) => Math.exp(s / 2));
    mean.forEach((m, i) => expect(Math.abs(m - TRUE_MEAN[i]!)).toBeLessThan(0.1));
    std.forEach((s, i) => expect(Math.abs(s / TRUE_STD[i]! - 1)).toBeLessThan(0.1));
    const steps = events.filter((e) => e.type === 'step');
    expect(steps).toHaveLength(250);
    steps.forEach((e, i) => expect(e.iteration).toBe(i + 1));
    expect(events[events.length - 1]).toMatchObject({ type: 'done', iteration: 250, aborted: false });
    x.dispose();
    energy.dispose();
  });

  it('accumulates an epoch of gradients into one update', async () => {
    const energy = gaussianFamily();
    const x = data(64, 2);
    const events: TrainEvent[] = [];
    for await (const e of trainMle(energy, x, { sampler: { numSteps: 2, stepSize: 0.1 }, batchSize: 16, iterations: 2, accumulate: 'epoch' })) events.push(e);
    expect(events.filter((e) => e.type === 'step').map((e) => (e as { epoch: number }).epoch)).toEqual([0, 1]);
    const acc = new GradAccumulator();
    acc.add({ a: tf.tensor1d([1, 2]) });
    acc.add({ a: tf.tensor1d([3, 6]) });
    const m = acc.take();
    expect(Array.from(await m.a!.data())).toEqual([2, 4]);
    x.dispose();
    energy.dispose();
  });

  it('refuses data holding NaN or Infinity before the first step', async () => {
    const energy = gaussianFamily();
    const data = tf.tensor2d([[0, 1], [2, NaN], [1, 1]]);
    const run = async () => {
      for await (const e of trainMle(energy, data, { sampler: { numSteps: 2, stepSize: 0.1 }, iterations: 1 })) void e;
    };
    await expect(run()).rejects.toThrow(/Error in trainMle: data must be finite values, got "example 1 holding NaN or Infinity"/);
    data.dispose();
    energy.dispose();
  });

  it('stops within one step when aborted', async () => {
    const energy = gaussianFamily();
    const x = data(64, 4);
    const ctl = new AbortController();
    const events: TrainEvent[] = [];
    for await (const e of trainMle(energy, x, { sampler: { numSteps: 2, stepSize: 0.1 }, batchSize: 16, iterations: 50, signal: ctl.signal })) {
      events.push(e);
      if (e.type === 'step' && e.iteration === 3) ctl.abort();
    }
    expect(events.filter((e) => e.type === 'step')).toHaveLength(3);
    expect(events[events.length - 1]).toMatchObject({ type: 'done', aborted: true, iteration: 3 });
    x.dispose();
    energy.dispose();
  });

  it('saves a checkpoint of the update it stopped at, with the chains, when aborted between checkpoints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-abort-'));
    const energy = gaussianFamily();
    const x = data(64, 4);
    const chains = persistentChains([2], 8, { dist: 'gaussian', std: 1 });
    const ctl = new AbortController();
    const events: TrainEvent[] = [];
    let paramsAt3: number[] = [];
    let chainsAt3: number[] = [];
    for await (const e of trainMle(energy, x, { sampler: { numSteps: 2, stepSize: 0.1 }, init: chains, batchSize: 16, numSynthesized: 8, iterations: 50, checkpoint: { dir, every: 2 }, signal: ctl.signal })) {
      events.push(e);
      if (e.type === 'step' && e.iteration === 3) {
        paramsAt3 = Array.from(await energy.params.mean!.data());
        chainsAt3 = Array.from(chains.state()!);
        ctl.abort();
      }
    }
    // Checkpoints every 2 updates: at 2, then at 3, where the signal stopped the run.
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.iteration)).toEqual([2, 3]);
    expect(events[events.length - 1]).toMatchObject({ type: 'done', aborted: true, iteration: 3 });
    const ck = await loadCheckpoint(dir);
    expect(ck.train?.iteration).toBe(3);
    expect(Array.from(ck.models.energy!.params.mean!.values)).toEqual(paramsAt3);
    expect(Array.from(ck.train!.chains!)).toEqual(chainsAt3);
    x.dispose();
    energy.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends with an aborted done event when a timeout signal fires inside a step', async () => {
    const signal = AbortSignal.timeout(50);
    const events: TrainEvent[] = [];
    // A step that waits like a chain on the onnx runtime and throws the signal's reason (a TimeoutError).
    const step = async (): Promise<IterationResult> => {
      await new Promise((r) => setTimeout(r, 20));
      signal.throwIfAborted();
      return { ok: true, stats: { loss: 0, energyObs: 0, energySyn: 0, gap: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0 } };
    };
    const energy = gaussianFamily();
    const optimizer = new Adam();
    for await (const e of trainLoop({ fn: 'test', models: [{ name: 'energy', energy, optimizer }], step, iterations: 1000, epochOf: (t) => t, stepSize: 0.1, learningRateSchedule: { kind: 'constant' }, samplesEvery: 0, seed: 0, signal })) events.push(e);
    const done = events[events.length - 1]!;
    expect(done).toMatchObject({ type: 'done', aborted: true, reason: signal.reason.message });
    expect((done as { iteration: number }).iteration).toBeLessThan(10);
    energy.dispose();
    optimizer.dispose();
  });

  it('does not leak tensors over 10 training steps or in mleStep', async () => {
    const energy = gaussianFamily();
    const x = data(64, 5);
    const run = async (iterations: number) => {
      for await (const e of trainMle(energy, x, { sampler: { numSteps: 3, stepSize: 0.1, method: 'mala' }, batchSize: 16, iterations, samplesEvery: 2 })) void e;
    };
    await run(1);
    const before = numTensors();
    await run(10);
    expect(numTensors()).toBe(before);
    const opt = new Adam({ learningRate: 0.01 });
    const syn = tf.randomNormal([16, 2]);
    await mleStep(energy, opt, x, syn);
    const before2 = numTensors();
    for (let i = 0; i < 10; i++) await mleStep(energy, opt, x, syn);
    expect(numTensors()).toBe(before2);
    opt.dispose();
    syn.dispose();
    x.dispose();
    energy.dispose();
  });
});

describe('mleGradients on per-example energies', () => {
  it('one call on [obs; syn] equals two separate calls', async () => {
    const { createNet, netEnergy, netSpec } = await import('../src');
    const net = createNet(netSpec([3], [{ type: 'dense', units: 8 }, { type: 'tanh' }, { type: 'dense', units: 1 }]), { seed: 2 });
    const joint = netEnergy(net);
    expect(joint.perExample).toBe(true);
    const separate = { ...joint, perExample: false };
    const obs = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const syn = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    const a = await mleGradients(joint, obs, syn);
    const b = await mleGradients(separate, obs, syn);
    for (const n of Object.keys(net.params)) expect(tf.max(tf.abs(tf.sub(a.grads[n]!, b.grads[n]!))).dataSync()[0]).toBeLessThan(1e-6);
    expect(a.stats.energyObs).toBeCloseTo(b.stats.energyObs, 5);
    expect(a.stats.energySyn).toBeCloseTo(b.stats.energySyn, 5);
    const before = numTensors();
    const c = await mleGradients(joint, obs, syn);
    Object.values(c.grads).forEach((g) => g.dispose());
    expect(numTensors()).toBe(before);
    net.dispose();
  });
});

describe('energy L2 penalty', () => {
  it('adds 2α·mean(U·∂U/∂θ) over both batches to the gradient', async () => {
    // U(x) = Σ (x − μ)²/2 with μ = 0: ∂U/∂μ = −(x − μ), so the penalty's gradient is (2α/B) Σ U_i · (−x_i).
    const energy = functionEnergy((x, p) => tf.mul(0.5, tf.sum(tf.square(tf.sub(x, p.mean!)), 1)) as tf.Tensor1D, { mean: [0, 0] });
    const obs = tf.tensor2d([[1, 0], [0, 2]]);
    const syn = tf.tensor2d([[1, 1]]);
    const plain = await mleGradients(energy, obs, syn);
    const pen = await mleGradients(energy, obs, syn, { energyL2: 0.5 });
    // U(obs) = [0.5, 2], U(syn) = [1]; penalty gradient = (2·0.5/2)·(0.5·[−1, 0] + 2·[0, −2]) + (2·0.5/1)·(1·[−1, −1]).
    const extra = [0.5 * -0.5 + -1, 0.5 * -4 + -1];
    const got = Array.from(await pen.grads.mean!.data());
    const base = Array.from(await plain.grads.mean!.data());
    got.forEach((v, i) => expect(v - base[i]!).toBeCloseTo(extra[i]!, 5));
    await expect(mleGradients(energy, obs, syn, { energyL2: -1 })).rejects.toThrow('energyL2 must be a number >= 0, got -1');
    energy.dispose();
  });
});

describe('fixedStarts', () => {
  it('starts every iteration from the same points and holds no tensors', async () => {
    const { fixedStarts, InvalidOptionError } = await import('../src');
    const pts = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const before = tf.memory().numTensors;
    const init = fixedStarts(pts);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 2; i++) {
      const s = await init.start(2, i);
      expect(await s.x.array()).toEqual([
        [1, 2],
        [3, 4],
      ]);
      await init.finish(s.x, s);
      s.x.dispose();
    }
    expect(() => init.start(3, 0)).toThrow(InvalidOptionError);
    expect(tf.memory().numTensors).toBe(before);
    pts.dispose();
  });

  it('starts minibatches from rows picked by the seed', async () => {
    const { fixedStarts } = await import('../src');
    const pts = tf.tensor2d([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4]]);
    const init = fixedStarts(pts);
    pts.dispose();
    const rowsOf = async (seed: number) => {
      const s = await init.start(3, seed);
      const v = (await s.x.array()) as number[][];
      s.x.dispose();
      v.forEach((r, i) => expect(r).toEqual([s.indices![i], s.indices![i]]));
      return Array.from(s.indices!);
    };
    const a = await rowsOf(7);
    expect(new Set(a).size).toBe(3);
    expect(await rowsOf(7)).toEqual(a);
    const seen = new Set<number>();
    for (let k = 0; k < 20; k++) (await rowsOf(k)).forEach((r) => seen.add(r));
    expect(seen.size).toBe(5);
  });
  it('carries the mask rows of each start with it, and refuses a mask of another shape', async () => {
    const { fixedStarts, ShapeMismatchError } = await import('../src');
    const pts = tf.tensor3d([0, 1, 2, 3, 4].map((i) => [[i, i, i], [i, i, i]]));
    // Row i of the mask observes channel i % 3 and is shared by the two positions.
    const mask = tf.tensor3d([0, 1, 2, 3, 4].map((i) => [[0, 1, 2].map((c) => (c === i % 3 ? 1 : 0))]));
    const before = tf.memory().numTensors;
    const init = fixedStarts(pts, { mask });
    expect(tf.memory().numTensors).toBe(before);
    for (const n of [3, 5]) {
      const s = await init.start(n, 4);
      const x = (await s.x.array()) as number[][][];
      const m = (await s.mask!.array()) as number[][][];
      expect(s.mask!.shape).toEqual([n, 1, 3]);
      x.forEach((row, k) => expect(m[k]![0]).toEqual([0, 1, 2].map((c) => (c === row[0]![0]! % 3 ? 1 : 0))));
      s.x.dispose();
      s.mask!.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const wrong = tf.zeros([4, 1, 3]);
    expect(() => fixedStarts(pts, { mask: wrong })).toThrow(ShapeMismatchError);
    [pts, mask, wrong].forEach((t) => t.dispose());
  });

  it('fills the hidden entries of each start with fresh noise (fill), keeping the observed ones', async () => {
    const { fixedStarts, InvalidOptionError } = await import('../src');
    const pts = tf.tensor2d([0, 1, 2, 3].map((i) => [10 + i, 20 + i, 30 + i, 40 + i]));
    // Row i observes entries 0 and 2 when i is even, 1 and 3 when odd.
    const mask = tf.tensor2d([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => ((i + j) % 2 === 0 ? 1 : 0))));
    const before = tf.memory().numTensors;
    const init = fixedStarts(pts, { mask, fill: { dist: 'uniform', low: -1, high: 1 } });
    const take = async (n: number, seed: number) => {
      const s = await init.start(n, seed);
      const [x, m] = [(await s.x.array()) as number[][], (await s.mask!.array()) as number[][]];
      [s.x, s.mask!].forEach((t) => t.dispose());
      return { x, m, rows: s.indices ? Array.from(s.indices) : [0, 1, 2, 3] };
    };
    for (const n of [2, 4]) {
      const a = await take(n, 5);
      a.x.forEach((row, k) =>
        row.forEach((v, j) => {
          if (a.m[k]![j]) expect(v).toBe(10 * (j + 1) + a.rows[k]!);
          else expect(Math.abs(v)).toBeLessThanOrEqual(1);
        }),
      );
      expect((await take(n, 5)).x).toEqual(a.x);
    }
    // Another seed, other noise in the same rows.
    const [a, b] = [await take(4, 1), await take(4, 2)];
    expect(a.x[0]![1]).not.toBe(b.x[0]![1]);
    expect(a.x[0]![0]).toBe(b.x[0]![0]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => fixedStarts(pts, { fill: { dist: 'uniform' } })).toThrow(InvalidOptionError);
    [pts, mask].forEach((t) => t.dispose());
  });

  it('trains a conditional model on minibatches of starts, each chain holding its own observed entries', async () => {
    const { fixedStarts } = await import('../src');
    const energy = gaussianFamily();
    // Start i is (10 + i, 10 + i); it observes coordinate i % 2. The chains move the other one.
    const n = 8;
    const starts = tf.tensor2d(Array.from({ length: n }, (_, i) => [10 + i, 10 + i]));
    const mask = tf.tensor2d(Array.from({ length: n }, (_, i) => (i % 2 ? [0, 1] : [1, 0])));
    const obs = data(32, 1);
    const before = numTensors();
    let checked = 0;
    for await (const e of trainMle(energy, obs, { sampler: { numSteps: 5, stepSize: 0.5 }, init: fixedStarts(starts, { mask }), batchSize: 8, numSynthesized: 3, iterations: 4, samplesEvery: 1, seed: 3 })) {
      if (e.type !== 'samples') continue;
      for (const row of (await e.x.array()) as number[][]) {
        // Exactly one coordinate is a start's value (10 + i): the observed one, and for start i
        // that is coordinate i % 2.
        const kept = [0, 1].filter((k) => Number.isInteger(row[k]) && row[k]! >= 10 && row[k]! < 10 + n);
        expect(kept).toHaveLength(1);
        expect(kept[0]).toBe((row[kept[0]!]! - 10) % 2);
        checked++;
      }
    }
    expect(checked).toBe(12);
    expect(numTensors()).toBe(before);
    [starts, mask, obs].forEach((t) => t.dispose());
    energy.dispose();
  });

  it("runs the anatomy probe with the mask rows of the chains it continues", async () => {
    const { fixedStarts } = await import('../src');
    const energy = gaussianFamily();
    // Every start observes coordinate 0 only: the probe may move coordinate 1, never coordinate 0.
    const n = 6;
    const starts = tf.tensor2d(Array.from({ length: n }, (_, i) => [10 + i, 10 + i]));
    const mask = tf.tensor2d(Array.from({ length: n }, () => [1, 0]));
    const full = tf.tensor2d(Array.from({ length: n }, () => [1, 1]));
    const obs = data(32, 1);
    const before = numTensors();
    const drifts = [];
    for (const m of [mask, full]) {
      for await (const e of trainMle(energy, obs, { sampler: { numSteps: 5, stepSize: 0.5 }, init: fixedStarts(starts, { mask: m }), batchSize: 8, numSynthesized: 3, iterations: 2, probe: { every: 2, numSteps: 50 }, seed: 3 }))
        if (e.type === 'step' && e.probe) drifts.push(e.probe.drift);
    }
    // Half the entries free: drift > 0; all observed: the probe cannot move anything.
    expect(drifts).toHaveLength(2);
    expect(drifts[0]).toBeGreaterThan(0.1);
    expect(drifts[1]).toBe(0);
    expect(numTensors()).toBe(before);
    [starts, mask, full, obs].forEach((t) => t.dispose());
    energy.dispose();
  });
});
