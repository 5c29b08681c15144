/**
 * Optimizers (SGD with momentum, Adam, weight decay) and learning-rate schedules in closed form;
 * trainMle applies a schedule, resumes a scheduled SGD run bit for bit, and refuses unknown options.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, createNet, InvalidOptionError, netEnergy, netSpec, persistentChains, scheduleFactor, Sgd, tf, trainMle, type TrainEvent, type TrainMleOptions } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

describe('learning-rate schedules', () => {
  it.each([
    [{ kind: 'constant' } as const, 37, 1],
    [{ kind: 'step', factor: 0.998, every: 10 } as const, 25, 0.998 ** 2],
    [{ kind: 'step', factor: 0.5, every: 3 } as const, 9, 0.125],
    [{ kind: 'exponential', factor: 0.9 } as const, 4, 0.9 ** 4],
    [{ kind: 'cosine', iterations: 100 } as const, 0, 1],
    [{ kind: 'cosine', iterations: 100, min: 0.2 } as const, 50, 0.6],
    [{ kind: 'cosine', iterations: 100, min: 0.2 } as const, 500, 0.2],
  ])('%j at t = %d is %d', (s, t, want) => {
    expect(scheduleFactor(s, t)).toBeCloseTo(want, 12);
  });
});

describe('optimizers', () => {
  const one = (v: number) => ({ w: tf.variable(tf.tensor1d([v]), true, `opt-${Math.random()}`) });
  const grad = (v: number) => ({ w: tf.tensor1d([v]) });

  it('SGD with momentum: v ← μv + g + λθ, θ ← θ − lr·v', () => {
    const p = one(2);
    const opt = new Sgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.5 });
    // Step 1: g' = 1 + 0.5·2 = 2, v = 2, θ = 2 − 0.2 = 1.8. Step 2: g' = 1 + 0.9 = 1.9, v = 0.9·2 + 1.9 = 3.7, θ = 1.8 − 0.37.
    opt.apply(p, grad(1));
    expect(p.w.dataSync()[0]).toBeCloseTo(1.8, 6);
    opt.apply(p, grad(1));
    expect(p.w.dataSync()[0]).toBeCloseTo(1.43, 6);
    opt.dispose();
    p.w.dispose();
  });

  it.each([0, 0.9])('a changed learning rate takes effect in SGD (momentum %d), and dispose frees everything', (momentum) => {
    const p = one(1);
    const g = grad(1);
    const before = numTensors();
    const opt = new Sgd({ learningRate: 0.1, momentum });
    opt.apply(p, g);
    expect(p.w.dataSync()[0]).toBeCloseTo(0.9, 6);
    // tfjs's SGD reads the rate from a scalar that setting .learningRate alone would not remake.
    opt.learningRate = 0.01;
    opt.apply(p, g);
    expect(p.w.dataSync()[0]).toBeCloseTo(0.9 - 0.01 * (1 + momentum), 6);
    opt.dispose();
    expect(numTensors()).toBe(before);
    [p.w, g.w].forEach((t) => t.dispose());
  });

  it('weight decay is the L2 gradient λθ added before the step (Adam)', () => {
    const [a, b] = [one(3), one(3)];
    const withDecay = new Adam({ learningRate: 0.1, weightDecay: 0.2 });
    const plain = new Adam({ learningRate: 0.1 });
    for (let k = 0; k < 3; k++) {
      withDecay.apply(a, grad(0.5));
      plain.apply(b, { w: tf.tensor1d([0.5 + 0.2 * b.w.dataSync()[0]!]) });
    }
    expect(a.w.dataSync()[0]).toBeCloseTo(b.w.dataSync()[0]!, 6);
    [withDecay, plain].forEach((o) => o.dispose());
    [a.w, b.w].forEach((v) => v.dispose());
  });

  it('SGD state round-trips: a restored optimizer continues like the original', async () => {
    const [a, b] = [one(1), one(1)];
    const o1 = new Sgd({ learningRate: 0.1, momentum: 0.5 });
    o1.apply(a, grad(1));
    b.w.assign(a.w);
    const o2 = new Sgd({ learningRate: 0.1, momentum: 0.5 });
    await o2.setState(b, await o1.getState());
    o1.apply(a, grad(1));
    o2.apply(b, grad(1));
    expect(b.w.dataSync()[0]).toBe(a.w.dataSync()[0]);
    const before = numTensors();
    o1.apply(a, grad(1));
    expect(numTensors()).toBe(before + 1);
    [o1, o2].forEach((o) => o.dispose());
  });

  it('refuses unknown and bad options', () => {
    expect(() => new Sgd({ learningRate: 0.1, momentun: 0.9 } as never)).toThrow(/Error in Sgd: momentun must be a known option name \(known: kind, learningRate, momentum, weightDecay\), got 0\.9/);
    expect(() => new Adam({ weightDecay: -1 })).toThrow(InvalidOptionError);
  });
});

describe('trainMle with optimizers and schedules', () => {
  const spec = netSpec([2], [{ type: 'dense', units: 8 }, { type: 'swish' }, { type: 'dense', units: 1 }]);
  const data = () => tf.tidy(() => tf.add(tf.mul(tf.randomNormal([64, 2], 0, 1, 'float32', 1), 0.3), [1, -1]));
  const opts = (extra: Partial<TrainMleOptions>): TrainMleOptions => ({
    sampler: { numSteps: 4, stepSize: 0.1, refSigma: 2 },
    init: persistentChains([2], 16),
    batchSize: 16,
    optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.9, weightDecay: 1e-3 },
    learningRateSchedule: { kind: 'step', factor: 0.5, every: 2 },
    seed: 3,
    ...extra,
  });
  const drain = async (it: AsyncIterable<TrainEvent>) => {
    const out: TrainEvent[] = [];
    for await (const e of it) out.push(e);
    return out;
  };

  it('applies the schedule to the learning rate of every update', async () => {
    const net = createNet(spec, { seed: 1 });
    const x = data();
    const ev = await drain(trainMle(netEnergy(net), x, opts({ iterations: 5 })));
    expect(ev.flatMap((e) => (e.type === 'step' ? [e.learningRate] : []))).toEqual([0.05, 0.05, 0.025, 0.025, 0.0125]);
    net.dispose();
    x.dispose();
  });

  it('resumes a scheduled SGD run bit for bit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-optim-'));
    const x = data();
    const straight = createNet(spec, { seed: 2 });
    await drain(trainMle(netEnergy(straight), x, opts({ iterations: 6 })));
    const first = createNet(spec, { seed: 2 });
    await drain(trainMle(netEnergy(first), x, opts({ iterations: 3, checkpoint: { dir: join(dir, 'ck'), every: 3 } })));
    const resumed = createNet(spec, { seed: 99 });
    await drain(trainMle(netEnergy(resumed), x, opts({ iterations: 6, init: persistentChains([2], 16), resume: join(dir, 'ck') })));
    expect(await resumed.getWeights()).toEqual(await straight.getWeights());
    [straight, first, resumed].forEach((n) => n.dispose());
    x.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses unknown option keys, naming the function', async () => {
    const net = createNet(spec);
    const x = data();
    await expect(drain(trainMle(netEnergy(net), x, { ...opts({}), iteration: 2 } as never))).rejects.toThrow(/^Error in trainMle: iteration must be a known option name \(known: sampler, init, .*\), got 2$/);
    await expect(drain(trainMle(netEnergy(net), x, opts({ sampler: { numSteps: 2, stepSize: 0.1, stepsize: 1 } as never })))).rejects.toThrow(/Error in trainMle: sampler\.stepsize must be a known option name/);
    await expect(drain(trainMle(netEnergy(net), x, opts({ learningRateSchedule: { kind: 'step', factor: 0.5 } as never })))).rejects.toThrow(/learningRateSchedule\.every must be an integer > 0, got undefined/);
    expect(() => createNet(spec, { sed: 1 } as never)).toThrow(/Error in createNet: sed must be a known option name/);
    net.dispose();
    x.dispose();
  });
});

describe('anatomy probe', () => {
  it('continues the synthesized examples and, for a model equal to the data, keeps their variance', async () => {
    const { functionEnergy, RunReport } = await import('../src');
    // U(x) = ‖x − μ‖²/(2s²) with the data's μ and s: the long run must keep var ≈ s².
    const energy = functionEnergy((x, p) => tf.div(tf.sum(tf.square(tf.sub(x, p.mean!)), 1), 2 * 0.25) as tf.Tensor1D, { mean: [1, -1] });
    const data = tf.add(tf.mul(tf.randomNormal([256, 2], 0, 1, 'float32', 5), 0.5), [1, -1]);
    const events: TrainEvent[] = [];
    for await (const e of trainMle(energy, data, {
      sampler: { numSteps: 10, stepSize: 0.1 },
      optimizer: { kind: 'sgd', learningRate: 1e-9 },
      batchSize: 256,
      iterations: 3,
      probe: { every: 3, numSteps: 300 },
      guard: false,
      seed: 1,
    })) events.push(e);
    const steps = events.filter((e): e is Extract<TrainEvent, { type: 'step' }> => e.type === 'step');
    expect(steps.map((e) => e.probe !== undefined)).toEqual([false, false, true]);
    const p = steps[2]!.probe!;
    expect(p.steps).toBe(300);
    expect(p.drift).toBeGreaterThan(0.3);
    // Per-coordinate variance around two different means: 0.25 + ((1 − (−1))/2)² = 1.25.
    expect(p.sampleVar).toBeGreaterThan(1.25 * 0.85);
    expect(p.sampleVar).toBeLessThan(1.25 * 1.15);
    const dir = await mkdtemp(join(tmpdir(), 'ebm-probe-'));
    const report = new RunReport(dir, { title: 't', task: 't', seed: 1, quick: false });
    steps.forEach((e) => report.record(e));
    await report.writeCurves();
    await rm(dir, { recursive: true, force: true });
    tf.dispose(data);
    energy.dispose();
  });
});
