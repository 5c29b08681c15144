/**
 * The training watch: the chains' nearest-data and diversity ratios against brute-force
 * computations, the rules on synthetic statistics, the 'adapt' actions through the loop (and a
 * checkpoint), and trainMle saying when its chains cannot reach the data or have collapsed — and
 * staying quiet when they do neither.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Adam, diversityRatio, functionEnergy, InvalidOptionError, loadCheckpoint, nearestDataRatio, persistentChains, reachRatios, resolveWatch, RunReport, tf, trainLoop, trainMle, Watch, type IterationContext, type StepEvent, type TrainEvent } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const steps = async (it: AsyncIterable<TrainEvent>) => {
  const out: StepEvent[] = [];
  for await (const e of it) if (e.type === 'step') out.push(e);
  return out;
};

/** trainLoop on one model with a constant learning rate and the watch adapting over `window` updates. */
const adaptingLoop = (energy: Parameters<typeof trainLoop>[0]['models'][0]['energy'], optimizer: Adam, step: Parameters<typeof trainLoop>[0]['step'], iterations: number, window: number, extra = {}) =>
  trainLoop({ fn: 'test', models: [{ name: 'energy', energy, optimizer }], step, iterations, epochOf: (t) => t, stepSize: 0.1, learningRateSchedule: { kind: 'constant' }, watch: resolveWatch({ window, action: 'adapt' }, 'test'), samplesEvery: 0, seed: 0, ...extra });

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

describe('diversityRatio', () => {
  const d = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));
  const meanNearestOther = (x: number[][]) => x.map((a, i) => Math.min(...x.filter((_, j) => j !== i).map((b) => d(a, b)))).reduce((p, q) => p + q, 0) / x.length;

  it('matches the brute-force ratio on the first min(n, m) of each, about 1 for chains like the data, near 0 for collapsed ones', async () => {
    const obs = tf.randomNormal([40, 6], 0, 1, 'float32', 11);
    const like = tf.randomNormal([30, 6], 0, 1, 'float32', 12);
    // Every chain one example, up to a little noise: the collapse the nearest-data ratio misses.
    const collapsed = tf.add(tf.tile(tf.slice(obs, 0, 1), [30, 1]), tf.randomNormal([30, 6], 0, 0.01, 'float32', 13));
    const before = numTensors();
    const [o, l] = [(await obs.array()) as number[][], (await like.array()) as number[][]];
    const r = diversityRatio(obs, like);
    expect((await r.data())[0]).toBeCloseTo(meanNearestOther(l) / meanNearestOther(o.slice(0, 30)), 4);
    r.dispose();
    expect(numTensors()).toBe(before);
    const ratio = async (t: tf.Tensor) => (await diversityRatio(obs, t).data())[0]!;
    expect(await ratio(like)).toBeGreaterThan(0.7);
    expect(await ratio(like)).toBeLessThan(1.4);
    expect(await ratio(collapsed)).toBeLessThan(0.05);
    // Collapsed chains sit on a datum: the nearest-data ratio calls them among the data.
    expect((await nearestDataRatio(obs, collapsed).data())[0]).toBeLessThan(0.1);
    [obs, like, collapsed].forEach((t) => t.dispose());
  });

  it("'unordered' sees a renumbered cloud as the same cloud, and is NaN with fewer than two of either", async () => {
    const obs = tf.randomNormal([5, 40, 3], 0, 1, 'float32', 14);
    // One cloud, numbered five ways: one cloud five times, a collapse that only 'unordered' sees.
    const cloud = tf.slice(obs, 0, 1);
    const copies = tf.concat([1, 3, 7, 9, 11].map((k) => tf.gather(cloud, tf.tensor1d(Array.from({ length: 40 }, (_, i) => (i * k) % 40), 'int32'), 1)));
    // Zero up to float32 rounding in |a|² + |b|² − 2a·b.
    expect((await diversityRatio(obs, copies, 'unordered').data())[0]).toBeLessThan(0.01);
    expect((await diversityRatio(obs, copies).data())[0]).toBeGreaterThan(0.5);
    const one = tf.ones([1, 4]);
    const same = tf.ones([3, 4]);
    expect(Number.isNaN((await diversityRatio(one, same).data())[0])).toBe(true);
    expect(Number.isNaN((await diversityRatio(same, one).data())[0])).toBe(true);
    expect(Number.isNaN((await diversityRatio(same, same).data())[0])).toBe(true);
    [obs, cloud, copies, one, same].forEach((t) => t.dispose());
  });
});

describe('reachRatios', () => {
  it('gives both ratios as the two functions do, fixed and unordered, more chains than data or fewer, and NaN without a scale', async () => {
    const obs = tf.randomNormal([12, 10, 3], 0, 1, 'float32', 21);
    const before = numTensors();
    for (const m of [8, 12, 20])
      for (const order of ['fixed', 'unordered'] as const) {
        const syn = tf.randomNormal([m, 10, 3], 0, 1.5, 'float32', m);
        const both = reachRatios(obs, syn, order);
        const [r, d] = [nearestDataRatio(obs, syn, order), diversityRatio(obs, syn, order)];
        const [b, rv, dv] = [await both.data(), (await r.data())[0]!, (await d.data())[0]!];
        expect(b[0]).toBeCloseTo(rv, 5);
        expect(b[1]).toBeCloseTo(dv, 5);
        [both, r, d, syn].forEach((t) => t.dispose());
      }
    expect(numTensors()).toBe(before);
    const one = tf.ones([1, 4]);
    const spread = tf.randomNormal([5, 4], 0, 1, 'float32', 22);
    const r = await reachRatios(one, spread).data();
    expect(Number.isNaN(r[0])).toBe(true);
    expect(Number.isNaN(r[1])).toBe(true);
    [obs, one, spread].forEach((t) => t.dispose());
  });
});

describe('the watch rule', () => {
  const watch = (o = {}) => new Watch(resolveWatch({ window: 10, ...o }, 'test')!);
  /** A real run's (iteration, nearestDataRatio, diversityRatio) rows, from its training.csv. */
  const curve = async (name: string) => (await readFile(join(__dirname, 'fixtures/watch', name), 'utf8')).trim().split('\n').slice(1).map((l) => l.split(',').map(Number) as [number, number, number]);

  it('speaks when the chains stay far from the data for a full window, then waits a new window', () => {
    const w = watch({ maxRatio: 3 });
    const said = Array.from({ length: 25 }, (_, i) => w.observe({ gap: i % 2 ? 5 : -5, nearestDataRatio: 4 + (i % 3) }));
    expect(said.map((s, i) => (s ? i + 1 : 0)).filter(Boolean)).toEqual([10, 20]);
    expect(said[9]!.kind).toBe('reach');
    expect(said[9]!.message).toBe("chains are not reaching the data: their nearest-data distance stayed 4.00–6.00× the data's own for 10 updates (limit 3×; energy gap U(syn) − U(obs) now 5.00)");
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

  it('says the samples have collapsed when the diversity ratio falls below the limit on at least half of a window, and not on fewer', () => {
    const w = watch({ minDiversity: 0.1 });
    // One sound window, then low on 5 of every 10 updates (a broken-down model swings): speaks at 20 and 30.
    const said = Array.from({ length: 35 }, (_, i) => w.observe({ gap: 0, nearestDataRatio: 1.1, diversityRatio: i < 10 ? 0.9 : i % 2 ? 0.02 : 0.6 }));
    expect(said.map((s, i) => (s ? i + 1 : 0)).filter(Boolean)).toEqual([20, 30]);
    expect(said[19]).toEqual({ kind: 'collapse', message: "samples have collapsed: the chains' distance to each other was under 0.1× the data's own on 5 of the last 10 updates (median 0.600×); they repeat a few examples" });
    const rare = watch();
    expect(Array.from({ length: 40 }, (_, i) => rare.observe({ gap: 0, nearestDataRatio: 1, diversityRatio: i < 10 || i % 3 ? 0.8 : 0.01 })).filter(Boolean)).toEqual([]);
    const healthy = watch();
    expect(Array.from({ length: 40 }, () => healthy.observe({ gap: 0, nearestDataRatio: 1, diversityRatio: 0.35 })).filter(Boolean)).toEqual([]);
    const undefinedRatios = watch();
    expect(Array.from({ length: 40 }, () => undefinedRatios.observe({ gap: 0, nearestDataRatio: NaN, diversityRatio: NaN })).filter(Boolean)).toEqual([]);
  });

  it('watches for a fall: chains that start alike and spread out (persistent chains) are not called collapsed', () => {
    const w = watch();
    // 0.02 rising to 0.9 over 30 updates, as object digits' persistent chains do over ~150.
    expect(Array.from({ length: 40 }, (_, i) => w.observe({ gap: 0, nearestDataRatio: 1, diversityRatio: Math.min(0.9, 0.02 + 0.03 * i) })).filter(Boolean)).toEqual([]);
    // Once they have spread, a fall is seen.
    expect(Array.from({ length: 10 }, () => w.observe({ gap: 0, nearestDataRatio: 1, diversityRatio: 0.05 })).filter(Boolean)).toHaveLength(1);
  });

  it('after a noise phase, says the samples have collapsed when the chains never spread out on their own (a real 32³ run)', async () => {
    // Updates 701–1200 of `demo-voxel synthesize --data <Sweet Home 3D chairs>` at 32³, noise off
    // at 800 (docs/voxel.md): the diversity fell from 1.5 to 0.008 and stayed near 0.1.
    const rows = await curve('voxel-chairs-32-collapsed.csv');
    const run = (o: object, from = 800, r = rows) => {
      const w = new Watch(resolveWatch({ ...o }, 'trainMle', from)!);
      // As the loop does: observed from the first update after `from`.
      return r.filter(([i]) => i > from).map(([i, near, spread]) => [i, w.observe({ gap: 1000, nearestDataRatio: near, diversityRatio: spread })] as const).filter(([, f]) => f);
    };
    const said = run({});
    // Never a sound window; 4 windows after the noise the rule stops waiting, and speaks every window.
    expect(said.map(([i]) => i)).toEqual([1000, 1050, 1100, 1150, 1200]);
    expect(said[0]![1]!.message).toMatch(/^samples have collapsed: the chains' distance to each other was under 0\.3× the data's own on 50 of the last 50 updates \(median 0\.0\d+×\); they repeat a few examples; they have not spread out in the 200 updates since update 800, the end of the noise phase$/);
    expect(run({ spreadWithin: 100 }).map(([i]) => i)[0]).toBe(900);
    // `demo-voxel synthesize --quick` on procedural chairs (16³, noise off at 280): the diversity
    // fell to 0.10 within 10 updates and spread out again, past 0.3 by update 342. Not warned.
    expect(run({}, 280, await curve('voxel-chairs-16-learnt.csv'))).toEqual([]);
    // Without a noise phase the rule still waits for the chains to spread out first.
    const noNoise = new Watch(resolveWatch({}, 'trainMle', 0)!);
    expect(rows.filter(([i]) => i > 800).map(([, near, spread]) => noNoise.observe({ gap: 1000, nearestDataRatio: near, diversityRatio: spread })).filter((f) => f?.kind === 'collapse')).toEqual([]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => resolveWatch({ window: 0 }, 'trainMle')).toThrow(InvalidOptionError);
    expect(() => resolveWatch({ action: 'panic' as 'warn' }, 'trainMle')).toThrow(/watch\.action/);
    expect(() => resolveWatch({ windows: 3 } as object, 'trainMle')).toThrow(/windows/);
    expect(resolveWatch(false, 'trainMle')).toBeUndefined();
    expect(resolveWatch(undefined, 'trainMle')).toEqual({ window: 50, maxRatio: 3, minDiversity: 0.3, order: 'fixed', from: 0, spreadWithin: 200, action: 'warn' });
    expect(resolveWatch({ window: 10 }, 'trainMle')!.spreadWithin).toBe(40);
    expect(() => resolveWatch({ spreadWithin: 0 }, 'trainMle')).toThrow(/watch\.spreadWithin/);
    expect(resolveWatch({}, 'trainMle', 280)!.from).toBe(280);
    expect(() => resolveWatch({ from: -1 }, 'trainMle')).toThrow(/watch\.from/);
    expect(() => resolveWatch({ minDiversity: 0 }, 'trainMle')).toThrow(/watch\.minDiversity/);
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
      adaptingLoop(energy, new Adam({ learningRate: 0.1 }), async (ctx) => (seen.push(ctx), { ok: true, stats: { loss: 0, energyObs: 0, energySyn: 0, gap: 1, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, nearestDataRatio: 10 } }), iterations, 3, extra);
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

describe("the watch's 'adapt' action on a collapse", () => {
  const stats = (diversityRatio: number) => ({ loss: 0, energyObs: 0, energySyn: 0, gap: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, nearestDataRatio: 1, diversityRatio });
  // diversity(iteration, learning rate) says how spread the chains of an update are.
  const loop = (energy: ReturnType<typeof functionEnergy>, diversity: (iteration: number, learningRate: number) => number, iterations: number) => {
    const optimizer = new Adam({ learningRate: 0.16 });
    // Each update adds 1 to the parameter: a rollback shows in its value.
    const step = async (ctx: IterationContext) => {
      const v = energy.params.m as tf.Variable;
      v.assign(tf.tidy(() => tf.add(v, 1)));
      return { ok: true as const, stats: stats(diversity(ctx.iteration, optimizer.learningRate)) };
    };
    return adaptingLoop(energy, optimizer, step, iterations, 2);
  };
  const energyOf = () => functionEnergy((x, p) => tf.sum(tf.square(tf.sub(x, p.m!)), 1) as tf.Tensor1D, { m: [0] });

  it('rolls the models back to the older of the last two sound windows and halves the learning rate, until the chains stay spread', async () => {
    const energy = energyOf();
    const values: number[] = [];
    const ev: StepEvent[] = [];
    // Sound for the first 6 updates; from then on collapsed while the learning rate is above 0.05.
    for await (const e of loop(energy, (it, rate) => (it >= 6 && rate > 0.05 ? 0.01 : 0.9), 14)) {
      if (e.type !== 'step') continue;
      ev.push(e);
      values.push((await energy.params.m!.data())[0]!);
    }
    // Windows of 2 end sound at 2, 4, 6 (states kept: 4 and 6); collapsed at 7: back to 4, rate 0.08.
    expect(ev[6]!.iteration).toBe(7);
    expect(ev[6]!.warning).toMatch(/^samples have collapsed: .*; adapting: rolled back to update 4, learning rate halved$/);
    expect(ev[7]!.iteration).toBe(5);
    expect(values[7]).toBe(5);
    expect(ev[7]!.learningRate).toBe(0.08);
    // Still collapsed at 0.08 (update 7 again): back to 4 once more; at 0.04 the chains stay spread.
    expect(ev.filter((e) => e.warning).map((e) => e.iteration)).toEqual([7, 7]);
    expect(ev[9]!.warning).toMatch(/rolled back to update 4, learning rate halved$/);
    expect(ev[10]!.iteration).toBe(5);
    expect(values[10]).toBe(5);
    expect(ev.at(-1)!.iteration).toBe(14);
    expect(ev.at(-1)!.learningRate).toBe(0.04);
    energy.dispose();
  });

  it('stops rolling back once the learning rate is down to 1/16 of the configured rate, and keeps saying so', async () => {
    const energy = energyOf();
    const ev = await steps(loop(energy, (it) => (it >= 6 ? 0.01 : 0.9), 10));
    const warned = ev.filter((e) => e.warning);
    // Back to 4 at 0.16, 0.08, 0.04 and 0.02 (each halving the rate); at 0.01 it goes on collapsed.
    expect(warned.map((e) => [e.iteration, e.learningRate])).toEqual([[7, 0.16], [7, 0.08], [7, 0.04], [7, 0.02], [7, 0.01], [9, 0.01]]);
    expect(warned.slice(0, 4).every((e) => /rolled back to update 4, learning rate halved$/.test(e.warning!))).toBe(true);
    expect(warned[4]!.warning).toMatch(/as far as it goes \(learning rate ×0\.0625\)$/);
    expect(ev.at(-1)!.iteration).toBe(10);
    energy.dispose();
  });

  it('says nothing of chains that never spread out: the rule watches for a fall', async () => {
    const energy = energyOf();
    expect((await steps(loop(energy, () => 0.01, 12))).filter((e) => e.warning)).toEqual([]);
    energy.dispose();
  });
});

describe("the watch's 'adapt' action when the chains never spread out after the noise phase", () => {
  it('says it has no sound state to return to, and the run goes on', async () => {
    const energy = functionEnergy((x, p) => tf.sum(tf.square(tf.sub(x, p.m!)), 1) as tf.Tensor1D, { m: [0] });
    const step = async () => ({ ok: true as const, stats: { loss: 0, energyObs: 0, energySyn: 0, gap: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, nearestDataRatio: 1, diversityRatio: 0.01 } });
    const watch = resolveWatch({ window: 2, spreadWithin: 4, from: 3, action: 'adapt' }, 'test');
    const ev = await steps(adaptingLoop(energy, new Adam({ learningRate: 0.1 }), step, 10, 2, { watch }));
    // Observed from update 4; 4 updates later (7) the rule stops waiting; then every window.
    expect(ev.filter((e) => e.warning).map((e) => e.iteration)).toEqual([7, 9]);
    expect(ev[6]!.warning).toMatch(/not spread out in the 4 updates since update 3, the end of the noise phase; the watch cannot adapt: no sound state was kept to return to$/);
    expect(ev.map((e) => e.iteration)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ev.at(-1)!.learningRate).toBe(0.1);
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

  it('says the samples have collapsed when, the noise switched off, the chains all run into the energy minimum', async () => {
    const data = tf.randomNormal([32, 2], 0, 1, 'float32', 7);
    const energy = family();
    // Langevin with noise for 6 updates (chains as spread as the data), then gradient descent
    // without noise: every chain ends at the learnt mean, whatever the variance. Watched from 0.
    const ev = await steps(trainMle(energy, data, { sampler: { numSteps: 60, stepSize: 0.5 }, noiseAnneal: { kind: 'step', until: 6 }, iterations: 14, watch: { window: 5, from: 0 }, seed: 3 }));
    expect(ev.slice(0, 6).every((e) => e.diversityRatio! > 0.5)).toBe(true);
    expect(ev.slice(6).every((e) => e.diversityRatio! < 0.05)).toBe(true);
    // Updates 7 on are noise-free: the window ending at 9 holds 3 collapsed updates of 5; the next full one ends at 14.
    expect(ev.filter((e) => e.warning).map((e) => e.iteration)).toEqual([9, 14]);
    expect(ev[8]!.warning).toMatch(/^samples have collapsed: /);
    // The run folder keeps the numbers behind the curves, warnings included.
    const out = await mkdtemp(join(tmpdir(), 'ebm-watch-csv-'));
    const report = new RunReport(out, { title: 't', task: 't', seed: 3, quick: true });
    ev.forEach((e) => report.record(e));
    await report.writeTrainingCsv();
    const csv = (await readFile(join(out, 'training.csv'), 'utf8')).trimEnd().split('\n');
    await rm(out, { recursive: true, force: true });
    const header = csv[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['iteration', 'epoch', 'seconds']);
    expect(header).toEqual(expect.arrayContaining(['gap', 'nearestDataRatio', 'diversityRatio', 'warning']));
    expect(csv).toHaveLength(15);
    expect(Number(csv[9]!.split(',')[header.indexOf('diversityRatio')])).toBeCloseTo(ev[8]!.diversityRatio!, 6);
    expect(csv[9]!.endsWith(`"${ev[8]!.warning!.replace(/"/g, '""')}"`)).toBe(true);
    expect(csv[8]!.endsWith(',')).toBe(true);
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
    const spread = ev.slice(-20).map((e) => e.diversityRatio!);
    expect(Math.min(...spread)).toBeGreaterThan(0.5);
    energy.dispose();
    data.dispose();
  });
});
