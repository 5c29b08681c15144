/**
 * The training watch: the chains' nearest-data ratio against a brute-force computation, the rule
 * on synthetic statistics, its 'adapt' action through the loop (and a checkpoint), and trainMle
 * saying when its chains cannot reach the data — and staying quiet when they do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, functionEnergy, InvalidOptionError, loadCheckpoint, nearestDataRatio, persistentChains, resolveWatch, tf, trainLoop, trainMle, Watch, type IterationContext, type StepEvent, type TrainEvent } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const steps = async (it: AsyncIterable<TrainEvent>) => {
  const out: StepEvent[] = [];
  for await (const e of it) if (e.type === 'step') out.push(e);
  return out;
};

describe('nearestDataRatio', () => {
  const brute = (obs: number[][], syn: number[][]) => {
    const d = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    return mean(syn.map((s) => Math.min(...obs.map((o) => d(s, o))))) / mean(obs.map((o, i) => Math.min(...obs.filter((_, j) => j !== i).map((p) => d(o, p)))));
  };

  it('matches the brute-force ratio, is about 1 for chains drawn like the data and large for chains far away', async () => {
    const obs = tf.randomNormal([40, 3, 2], 0, 1, 'float32', 1);
    const like = tf.randomNormal([30, 3, 2], 0, 1, 'float32', 2);
    const far = tf.add(like, 6);
    const before = numTensors();
    const rows = async (t: tf.Tensor) => {
      const flat = tf.reshape(t, [t.shape[0]!, -1]);
      const out = (await flat.array()) as number[][];
      flat.dispose();
      return out;
    };
    for (const syn of [like, far]) {
      const r = nearestDataRatio(obs, syn);
      expect(await r.data()).toHaveLength(1);
      expect((await r.data())[0]).toBeCloseTo(brute(await rows(obs), await rows(syn)), 4);
      r.dispose();
    }
    expect(numTensors()).toBe(before);
    const r1 = (await nearestDataRatio(obs, like).data())[0]!;
    expect(r1).toBeGreaterThan(0.7);
    expect(r1).toBeLessThan(1.5);
    expect((await nearestDataRatio(obs, far).data())[0]).toBeGreaterThan(5);
    [obs, like, far].forEach((t) => t.dispose());
  });

  it("'unordered' compares point sets whatever their numbering: a renumbered cloud is at distance 0", async () => {
    const obs = tf.randomNormal([6, 50, 3], 0, 1, 'float32', 5);
    const order = tf.tensor1d(Array.from({ length: 50 }, (_, i) => (i * 17) % 50), 'int32');
    const renumbered = tf.gather(obs, order, 1);
    const fixed = (await nearestDataRatio(obs, renumbered).data())[0]!;
    const unordered = (await nearestDataRatio(obs, renumbered, 'unordered').data())[0]!;
    expect(fixed).toBeGreaterThan(0.9);
    expect(unordered).toBeCloseTo(0, 5);
    // Spread-out noise is far from unit-Gaussian clouds either way.
    const wide = tf.randomNormal([6, 50, 3], 0, 4, 'float32', 6);
    expect((await nearestDataRatio(obs, wide, 'unordered').data())[0]).toBeGreaterThan(5);
    [obs, order, renumbered, wide].forEach((t) => t.dispose());
  });

  it('is NaN with one observed example or identical ones (no scale to compare with)', async () => {
    const one = tf.ones([1, 4]);
    const same = tf.ones([3, 4]);
    expect(Number.isNaN((await nearestDataRatio(one, same).data())[0])).toBe(true);
    expect(Number.isNaN((await nearestDataRatio(same, one).data())[0])).toBe(true);
  });
});

describe('the watch rule', () => {
  const watch = (o = {}) => new Watch(resolveWatch({ window: 10, ...o }, 'test')!);

  it('speaks when the chains stay far from the data for a full window, then waits a new window', () => {
    const w = watch({ maxRatio: 3 });
    const said = Array.from({ length: 25 }, (_, i) => w.observe({ gap: i % 2 ? 5 : -5, nearestDataRatio: 4 + (i % 3) }));
    expect(said.map((s, i) => (s ? i + 1 : 0)).filter(Boolean)).toEqual([10, 20]);
    expect(said[9]).toBe("chains are not reaching the data: their nearest-data distance stayed 4.00–6.00× the data's own for 10 updates (limit 3×; energy gap U(syn) − U(obs) now 5.00)");
  });

  it('stays quiet while the chains are among the data, whatever the energy gap does (its plateau is normal for the 3D descriptor)', () => {
    const grow = watch();
    expect(Array.from({ length: 40 }, (_, i) => grow.observe({ gap: 10 * (i + 1), nearestDataRatio: 1.2 })).filter(Boolean)).toEqual([]);
    const dips = watch();
    // One update back among the data restarts the count.
    expect(Array.from({ length: 40 }, (_, i) => dips.observe({ gap: 1000, nearestDataRatio: i % 9 === 0 ? 2 : 5 })).filter(Boolean)).toEqual([]);
    const healthy = watch();
    expect(Array.from({ length: 40 }, (_, i) => healthy.observe({ gap: 3 * Math.sin(i), nearestDataRatio: 1.1 })).filter(Boolean)).toEqual([]);
    const steady = watch();
    expect(Array.from({ length: 40 }, () => steady.observe({ gap: 50, nearestDataRatio: 1.5 })).filter(Boolean)).toEqual([]);
    // Undefined ratios (a single observed example) never count as far.
    const none = watch();
    expect(Array.from({ length: 40 }, () => none.observe({ gap: 1, nearestDataRatio: NaN })).filter(Boolean)).toEqual([]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => resolveWatch({ window: 0 }, 'trainMle')).toThrow(InvalidOptionError);
    expect(() => resolveWatch({ action: 'panic' as 'warn' }, 'trainMle')).toThrow(/watch\.action/);
    expect(() => resolveWatch({ windows: 3 } as object, 'trainMle')).toThrow(/windows/);
    expect(resolveWatch(false, 'trainMle')).toBeUndefined();
    expect(resolveWatch(undefined, 'trainMle')).toEqual({ window: 50, maxRatio: 3, order: 'fixed', from: 0, action: 'warn' });
    expect(resolveWatch({}, 'trainMle', 280)!.from).toBe(280);
    expect(() => resolveWatch({ from: -1 }, 'trainMle')).toThrow(/watch\.from/);
  });
});

describe("the watch's 'adapt' action in the loop", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ebm-watch-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('halves the learning rate and doubles the chain steps up to 4×, and a checkpoint keeps the multiplier', async () => {
    const energy = functionEnergy((x, p) => tf.sum(tf.square(tf.sub(x, p.m!)), 1) as tf.Tensor1D, { m: [0] });
    const seen: IterationContext[] = [];
    const run = (iterations: number, extra = {}) =>
      trainLoop({
        fn: 'test',
        models: [{ name: 'energy', energy, optimizer: new Adam({ learningRate: 0.1 }) }],
        step: async (ctx) => (seen.push(ctx), { ok: true, stats: { loss: 0, energyObs: 0, energySyn: 0, gap: 1, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, nearestDataRatio: 10 } }),
        iterations,
        epochOf: (t) => t,
        stepSize: 0.1,
        learningRateSchedule: { kind: 'constant' },
        watch: resolveWatch({ window: 3, action: 'adapt' }, 'test'),
        samplesEvery: 0,
        seed: 0,
        ...extra,
      });
    const ev = await steps(run(9, { checkpoint: { dir, every: 9 } }));
    expect(seen.map((c) => c.stepsScale)).toEqual([1, 1, 1, 2, 2, 2, 4, 4, 4]);
    expect(ev.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    expect(ev.map((e) => (e.warning ? e.iteration : 0)).filter(Boolean)).toEqual([3, 6, 9]);
    expect(ev[2]!.warning).toMatch(/; adapting: learning rate halved, chain steps ×2$/);
    expect(ev[8]!.warning).toMatch(/as far as it goes \(chain steps ×4\)$/);
    expect((await loadCheckpoint(dir)).train!.chainStepsScale).toBe(4);
    seen.length = 0;
    await steps(run(10, { resume: dir }));
    expect(seen.map((c) => c.stepsScale)).toEqual([4]);
    energy.dispose();
  });
});

describe('trainMle with the watch', () => {
  const family = () => functionEnergy((x, p) => tf.sum(tf.div(tf.square(tf.sub(x, p.mean!)), tf.mul(2, tf.exp(p.logVar!))), 1) as tf.Tensor1D, { mean: [0, 0], logVar: [0, 0] });

  it('warns when chains cannot reach data far from where they start', async () => {
    const data = tf.add(tf.randomNormal([32, 2], 0, 1, 'float32', 3), 20);
    const energy = family();
    // One tiny step a iteration from fresh noise on [−1, 1]: the chains stay ~20 away.
    const ev = await steps(trainMle(energy, data, { sampler: { numSteps: 1, stepSize: 0.01 }, iterations: 12, watch: { window: 5 }, seed: 1 }));
    expect(ev.every((e) => e.nearestDataRatio! > 5)).toBe(true);
    expect(ev.filter((e) => e.warning).map((e) => e.iteration)).toEqual([5, 10]);
    expect(ev[4]!.warning).toMatch(/^chains are not reaching the data: their nearest-data distance stayed/);
    // With noise annealed off at 6, the watch starts there: its first full window ends at 11.
    const annealed = await steps(trainMle(energy, data, { sampler: { numSteps: 1, stepSize: 0.01 }, iterations: 12, noiseAnneal: { kind: 'step', until: 6 }, watch: { window: 5 }, seed: 1 }));
    expect(annealed.filter((e) => e.warning).map((e) => e.iteration)).toEqual([11]);
    energy.dispose();
    data.dispose();
  });

  it('stays quiet (default window) on a Gaussian family learnt with persistent chains that mix', async () => {
    const data = tf.add(tf.mul(tf.randomNormal([64, 2], 0, 1, 'float32', 4), [0.5, 1.2]), [1.5, -0.5]);
    const energy = family();
    const ev = await steps(trainMle(energy, data, { sampler: { numSteps: 30, stepSize: 0.2 }, init: persistentChains([2], 64), optimizer: { learningRate: 0.05 }, iterations: 100, seed: 2 }));
    expect(ev.filter((e) => e.warning)).toEqual([]);
    const late = ev.slice(-20).map((e) => e.nearestDataRatio!);
    expect(late.reduce((a, b) => a + b, 0) / late.length).toBeLessThan(1.6);
    energy.dispose();
    data.dispose();
  });
});
