/**
 * The training pieces alone: noise annealing and batching in closed form, the guard rolling two
 * models back at once, the loop with a two-model step checkpointing and resuming bit for bit,
 * named projections, sampler settings refused when they are code, and format 1 checkpoints.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Adam,
  CheckpointError,
  createNet,
  deriveSeed,
  functionEnergy,
  Guard,
  InvalidOptionError,
  langevin,
  loadCheckpoint,
  netEnergy,
  netSpec,
  noiseFactor,
  observedBatches,
  persistentChains,
  resolveGuard,
  saveCheckpoint,
  Sgd,
  tf,
  trainLoop,
  trainMle,
  type Energy,
  type IterationResult,
  type TrainedModel,
  type TrainEvent,
} from '../src';
import { blockMeanFreeValues } from '../src/sampling/projection';
import { numTensors, setup } from './helpers';

beforeAll(setup);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-pieces-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function drain(it: AsyncIterable<TrainEvent>): Promise<TrainEvent[]> {
  const out: TrainEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}
const values = async (e: Energy) => Promise.all(Object.values(e.params).map(async (v) => Array.from(await v.data())));

describe('schedules and batching', () => {
  it.each([
    [{ kind: 'step', until: 10 } as const, 9, 1],
    [{ kind: 'step', until: 10 } as const, 10, 0],
    [{ kind: 'linear', until: 8 } as const, 2, 0.75],
    [{ kind: 'linear', until: 8 } as const, 20, 0],
    [undefined, 1000, 1],
  ])('noise annealing %j at t = %d is %d', (a, t, want) => {
    expect(noiseFactor(a, t)).toBe(want);
  });

  it('every row is observed once per epoch, in a seeded order that differs between epochs', () => {
    const data = tf.tidy(() => tf.reshape(tf.range(0, 10), [10, 1]));
    const b = observedBatches(data, { batchSize: 3, seed: 4 });
    expect(b.perEpoch).toBe(3);
    const epoch = (e: number) => [0, 1, 2].flatMap((k) => Array.from(tf.tidy(() => b.batch(e, k)).dataSync()));
    const e0 = epoch(0);
    expect(new Set(e0).size).toBe(9);
    expect(epoch(0)).toEqual(e0);
    expect(epoch(1)).not.toEqual(e0);
    const again = observedBatches(data, { batchSize: 3, seed: 4 });
    expect(Array.from(tf.tidy(() => again.batch(1, 2)).dataSync())).toEqual(epoch(1).slice(6));
    data.dispose();
  });
});

/** Two models fitted to targets by a noisy gradient step: enough to tell any lost state apart. */
function twoModels(seed: number, chainSeed = seed) {
  const a = functionEnergy((x, p) => tf.sum(tf.square(tf.sub(x, p.mean!)), 1) as tf.Tensor1D, { mean: [0, 0] });
  const g = functionEnergy((x, p) => tf.sum(tf.mul(x, p.w!), 1) as tf.Tensor1D, { w: [1, 1, 1] });
  const models: TrainedModel[] = [
    { name: 'descriptor', energy: a, optimizer: new Adam({ learningRate: 0.1 }) },
    { name: 'generator', energy: g, optimizer: new Sgd({ learningRate: 0.05, momentum: 0.9 }) },
  ];
  const chains = persistentChains([2], 4, undefined, { seed: chainSeed });
  const step = async ({ iteration }: { iteration: number }): Promise<IterationResult> => {
    const start = await chains.start(4, deriveSeed(seed, iteration));
    const moved = tf.tidy(() => tf.add(start.x, 0.1));
    await chains.finish(moved, start);
    start.x.dispose();
    tf.tidy(() => {
      const noise = (n: number, k: number) => tf.randomNormal([n], 0, 0.1, 'float32', deriveSeed(seed, iteration, k));
      models[0]!.optimizer.apply(a.params, { mean: tf.add(tf.mul(2, tf.sub(a.params.mean!, [1, -2])), noise(2, 0)) });
      models[1]!.optimizer.apply(g.params, { w: tf.add(tf.sub(g.params.w!, [3, 0, -1]), noise(3, 1)) });
    });
    return { ok: true, stats: { loss: iteration, energyObs: 0, energySyn: 0, gap: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0 }, samples: moved };
  };
  return { a, g, models, chains, step, dispose: () => [a, g].forEach((e) => e.dispose()) };
}

describe('the training loop with two models', () => {
  const loop = (m: ReturnType<typeof twoModels>, iterations: number, extra = {}) =>
    trainLoop({ fn: 'test', models: m.models, chains: m.chains, step: m.step, iterations, epochOf: (t) => t, stepSize: 0.1, learningRateSchedule: { kind: 'step', factor: 0.5, every: 3 }, samplesEvery: 0, seed: 9, ...extra });

  it('checkpoints both models and resumes to the uninterrupted run bit for bit, with flat tensor counts', async () => {
    const straight = twoModels(1);
    const before = numTensors();
    await drain(loop(straight, 8));
    // Only the optimizers' own state (moments, momentum) is new.
    const probe = twoModels(1);
    const held = numTensors();
    await drain(loop(probe, 3));
    probe.models.forEach((m) => m.optimizer.dispose());
    expect(numTensors()).toBe(held);
    expect(numTensors()).toBeGreaterThan(before);
    probe.dispose();

    const first = twoModels(1);
    const ck = join(dir, 'ck');
    await drain(loop(first, 5, { checkpoint: { dir: ck, every: 5, meta: { run: 'first' } } }));
    const saved = await loadCheckpoint(ck);
    expect(Object.keys(saved.models)).toEqual(['descriptor', 'generator']);
    expect(saved.models.generator!.optimizer).toHaveLength(2); // step, momentum
    expect(saved.train).toMatchObject({ iteration: 5, seed: 9, stepSize: 0.1 });
    expect(saved.train!.chains).toHaveLength(8);

    const resumed = twoModels(1, 777); // other chains: they must come from the checkpoint
    const ev = await drain(loop(resumed, 8, { resume: ck }));
    expect(ev.filter((e) => e.type === 'step').map((e) => e.iteration)).toEqual([6, 7, 8]);
    expect(await values(resumed.a)).toEqual(await values(straight.a));
    expect(await values(resumed.g)).toEqual(await values(straight.g));
    expect(resumed.chains.state()).toEqual(straight.chains.state());
    [straight, first, resumed].forEach((m) => m.dispose());
  });

  it('refuses to resume a model the checkpoint does not hold', async () => {
    const m = twoModels(1);
    await saveCheckpoint(join(dir, 'ck'), { models: { descriptor: { params: { mean: { shape: [2], values: new Float32Array(2) } }, optimizer: [Float32Array.of(0)] } }, train: { iteration: 1, epoch: 0, seed: 9, stepSize: 0.1 } });
    await expect(drain(loop(m, 3, { resume: join(dir, 'ck') }))).rejects.toThrow(/resume must be a checkpoint holding model "generator" \(it holds "descriptor"\)/);
    m.dispose();
  });

  it('the guard rolls both models, both optimizers and the chains back to the last snapshot', async () => {
    const m = twoModels(2);
    const guard = new Guard(resolveGuard({}, undefined, 'test')!, m.models, m.chains);
    await drain(loop(m, 2));
    const want = { a: await values(m.a), g: await values(m.g), chains: m.chains.state()!.slice() };
    await guard.snapshot(2);
    // Two more iterations move everything, optimizer moments included.
    for (let t = 2; t < 4; t++) await m.step({ iteration: t }).then((r) => r.ok && r.samples?.dispose());
    expect(await values(m.a)).not.toEqual(want.a);
    expect(await guard.rollback(9)).toBe(2);
    expect(await values(m.a)).toEqual(want.a);
    expect(await values(m.g)).toEqual(want.g);
    expect(m.chains.state()).toEqual(want.chains);
    // The restored optimizers continue as if the two iterations had not happened.
    const twin = twoModels(2);
    await drain(loop(twin, 2));
    await m.step({ iteration: 2 });
    await twin.step({ iteration: 2 });
    expect(await values(m.g)).toEqual(await values(twin.g));
    expect(await values(m.a)).toEqual(await values(twin.a));
    [m, twin].forEach((x) => x.dispose());
  });
});

describe('sampler settings are data', () => {
  it('a named blockMeans projection keeps every block mean and moves within blocks', async () => {
    const energy = functionEnergy((x) => tf.sum(tf.square(tf.reshape(x, [x.shape[0]!, -1])), 1) as tf.Tensor1D);
    const x0 = tf.randomUniform([2, 4, 4, 4, 1], -1, 1, 'float32', 3);
    const means = (t: tf.Tensor) => tf.tidy(() => tf.mean(tf.reshape(t, [2, 2, 2, 2, 2, 2, 2, 1]), [2, 4, 6]));
    const { x } = await langevin(energy, x0, { numSteps: 5, stepSize: 0.3, project: { kind: 'blockMeans', factor: 2 }, seed: 1 });
    const [m0, m1] = [means(x0), means(x)];
    expect(Array.from(m1.dataSync()).every((v, i) => Math.abs(v - m0.dataSync()[i]!) < 1e-5)).toBe(true);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(x, x0)))).dataSync()[0]).toBeGreaterThan(0.05);
    // Images too: [N, H, W, C].
    const img = tf.randomUniform([1, 6, 6, 2], -1, 1, 'float32', 4);
    const r = await langevin(energy, img, { numSteps: 3, stepSize: 0.3, project: { kind: 'blockMeans', factor: 3 }, seed: 1 });
    const bm = (t: tf.Tensor) => tf.tidy(() => Array.from(tf.mean(tf.reshape(t, [1, 2, 3, 2, 3, 2]), [2, 4]).dataSync()));
    bm(r.x).forEach((v, i) => expect(v).toBeCloseTo(bm(img)[i]!, 5));
    await expect(langevin(energy, img, { numSteps: 1, stepSize: 0.1, project: { kind: 'blockMeans', factor: 4 } })).rejects.toThrow(/project\.factor must be a factor that divides every spatial size of \[1,6,6,2\]/);
    await expect(langevin(energy, img, { numSteps: 1, stepSize: 0.1, project: { kind: 'rows' } as never })).rejects.toThrow(/project\.kind must be 'blockMeans' \(or a function of the move\)/);
    [x0, x, m0, m1, img, r.x].forEach((t) => t.dispose());
    energy.dispose();
  });

  it('the CPU blockMeans projection equals the definition, block by block, for several channels', () => {
    const [n, spatial, c, f] = [2, [4, 6, 2], 3, 2];
    const v = Float32Array.from({ length: n * 48 * c }, (_, i) => Math.sin(i * 1.7) * 3);
    const at = (e: number, y: number, x: number, z: number, ch: number) => (((e * 4 + y) * 6 + x) * 2 + z) * c + ch;
    const expected = new Float32Array(v.length);
    for (let e = 0; e < n; e++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 6; x++)
          for (let z = 0; z < 2; z++)
            for (let ch = 0; ch < c; ch++) {
              let sum = 0;
              const [y0, x0, z0] = [y - (y % f), x - (x % f), z - (z % f)];
              for (let a = 0; a < f; a++) for (let b = 0; b < f; b++) for (let d = 0; d < f; d++) sum += v[at(e, y0 + a, x0 + b, z0 + d, ch)]!;
              expected[at(e, y, x, z, ch)] = v[at(e, y, x, z, ch)]! - sum / 8;
            }
    const got = blockMeanFreeValues(v, n, spatial, c, f);
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 5));
  });

  it('trainMle refuses a project function before training when it must checkpoint, and saves a named one', async () => {
    const spec = netSpec([4, 4, 1], [{ type: 'reshape', shape: [16] }, { type: 'dense', units: 1 }]);
    const net = createNet(spec, { seed: 1 });
    const data = tf.randomUniform([4, 4, 4, 1], -1, 1, 'float32', 2);
    const opts = (project: unknown) => ({ sampler: { numSteps: 2, stepSize: 0.1, project: project as never }, iterations: 2, batchSize: 4, checkpoint: { dir: join(dir, 'ck'), netSpec: spec } });
    const steps: TrainEvent[] = [];
    const run = async () => {
      for await (const e of trainMle(netEnergy(net), data, opts((m: tf.Tensor) => m))) steps.push(e);
    };
    await expect(run()).rejects.toThrow(InvalidOptionError);
    await expect(run()).rejects.toThrow(/trainMle: sampler\.project must be a named projection such as \{ kind: 'blockMeans', factor: 2 \} when checkpointing/);
    expect(steps).toEqual([]);
    const badName = trainMle(netEnergy(net), data, { ...opts({ kind: 'blockMeans', factor: 2 }), checkpoint: { dir: join(dir, 'ck'), name: '../up' } });
    await expect(badName.next()).rejects.toThrow(/checkpoint\.name must be a letter, then up to 63 letters/);
    await drain(trainMle(netEnergy(net), data, opts({ kind: 'blockMeans', factor: 2 })));
    const ck = await loadCheckpoint(join(dir, 'ck'));
    expect(ck.sampler).toEqual({ numSteps: 2, stepSize: 0.1, project: { kind: 'blockMeans', factor: 2 } });
    expect(ck.models.energy!.netSpec).toEqual(spec);
    net.dispose();
    data.dispose();
  });

  it('saveCheckpoint refuses functions and tensors in the sampler settings, naming the key', async () => {
    const models = { energy: { params: { w: { shape: [1], values: Float32Array.of(1) } } } };
    const t = tf.zeros([2]);
    await expect(saveCheckpoint(join(dir, 'ck'), { models, sampler: { project: () => 1 } })).rejects.toThrow(CheckpointError);
    await expect(saveCheckpoint(join(dir, 'ck'), { models, sampler: { project: () => 1 } })).rejects.toThrow(/sampler\.project is a function; a checkpoint holds data only/);
    await expect(saveCheckpoint(join(dir, 'ck'), { models, sampler: { mask: t } })).rejects.toThrow(/sampler\.mask is a tensor/);
    await expect(saveCheckpoint(join(dir, 'ck'), { models: { '../up': models.energy } })).rejects.toThrow(/model name "\.\.\/up"/);
    t.dispose();
  });
});

describe('format 1 checkpoints (saved by the previous release) still load', () => {
  const fixture = join(__dirname, 'fixtures', 'checkpoint-v1');
  const spec = netSpec([2], [{ type: 'dense', units: 4 }, { type: 'swish' }, { type: 'dense', units: 1 }], 'mlp');
  const x = () => tf.tidy(() => tf.add(tf.mul(tf.randomNormal([16, 2], 0, 1, 'float32', 1), 0.3), [1, -1]));
  const opts = { sampler: { numSteps: 3, stepSize: 0.1, refSigma: 2 }, batchSize: 8, optimizer: { kind: 'sgd', momentum: 0.9, learningRate: 0.01 } as const, seed: 3 };

  it('as one model named energy, with its optimizer state, chains and extras', async () => {
    const ck = await loadCheckpoint(fixture);
    expect(Object.keys(ck.models)).toEqual(['energy']);
    expect(ck.models.energy!.netSpec).toEqual(spec);
    expect(ck.models.energy!.optimizer!.length).toBe(5); // step and the momentum of four parameters
    expect(ck.train).toMatchObject({ iteration: 2, seed: 3, stepSize: 0.1 });
    expect(ck.train!.chains).toHaveLength(16);
    expect(ck.preprocessing).toEqual({ mean: 0.5 });
    expect(JSON.parse(await readFile(join(fixture, 'model.json'), 'utf8')).version).toBe(1);
  });

  it('and resume exactly where an uninterrupted run of this release would be', async () => {
    const data = x();
    const straight = createNet(spec, { seed: 5 });
    await drain(trainMle(netEnergy(straight), data, { ...opts, init: persistentChains([2], 8), iterations: 4 }));
    const resumed = createNet(spec, { seed: 11 });
    await cp(fixture, join(dir, 'v1'), { recursive: true });
    const ev = await drain(trainMle(netEnergy(resumed), data, { ...opts, init: persistentChains([2], 8), iterations: 4, resume: join(dir, 'v1') }));
    expect(ev.filter((e) => e.type === 'step').map((e) => e.iteration)).toEqual([3, 4]);
    expect(await resumed.getWeights()).toEqual(await straight.getWeights());
    [straight, resumed].forEach((n) => n.dispose());
    data.dispose();
  });

  it('a damaged format 1 train.json is refused, naming it', async () => {
    await cp(fixture, join(dir, 'v1'), { recursive: true });
    const p = join(dir, 'v1', 'train.json');
    const j = JSON.parse(await readFile(p, 'utf8'));
    j.learningRate = -1;
    await (await import('node:fs/promises')).writeFile(p, JSON.stringify(j));
    await expect(loadCheckpoint(join(dir, 'v1'))).rejects.toThrow(/train\.json: learningRate must be a finite number > 0, got -1/);
  });
});
