import { mkdtemp, readFile, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  createNet,
  DivergenceError,
  functionEnergy,
  InvalidOptionError,
  loadCheckpoint,
  netEnergy,
  netSpec,
  persistentChains,
  restoreParams,
  saveCheckpoint,
  snapshotParams,
  tf,
  trainMle,
  type TrainEvent,
  type TrainMleOptions,
} from '../src';
import { setup } from './helpers';

beforeAll(setup);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-ckpt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = netSpec([2], [{ type: 'dense', units: 16 }, { type: 'swish' }, { type: 'dense', units: 1 }], 'mlp');
const data = () => tf.tidy(() => tf.add(tf.mul(tf.randomNormal([128, 2], 0, 1, 'float32', 1), 0.3), [1, -1]));
const opts = (extra: Partial<TrainMleOptions>): TrainMleOptions => ({
  sampler: { numSteps: 5, stepSize: 0.1, refSigma: 2 },
  init: persistentChains([2], 32),
  batchSize: 32,
  optimizer: { learningRate: 0.01 },
  seed: 42,
  ...extra,
});

async function drain(it: AsyncIterable<TrainEvent>): Promise<TrainEvent[]> {
  const out: TrainEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('checkpoints', () => {
  it('round-trips a net with its spec, sampler settings and preprocessing', async () => {
    const net = createNet(spec, { seed: 1 });
    const energy = netEnergy(net);
    await saveCheckpoint(join(dir, 'ck'), { models: { energy: { params: await snapshotParams(energy), netSpec: spec } }, sampler: { stepSize: 0.1, project: { kind: 'blockMeans', factor: 2 } }, preprocessing: { mean: 0.5 } });
    const back = await loadCheckpoint(join(dir, 'ck'));
    expect(back.models.energy!.netSpec).toEqual(spec);
    expect(back.sampler).toEqual({ stepSize: 0.1, project: { kind: 'blockMeans', factor: 2 } });
    expect(back.preprocessing).toEqual({ mean: 0.5 });
    const net2 = createNet(back.models.energy!.netSpec!, { seed: 99 });
    restoreParams(netEnergy(net2), back.models.energy!.params);
    expect(await net2.getWeights()).toEqual(await net.getWeights());
    expect((await readdir(dir)).filter((f) => f.includes('tmp'))).toEqual([]);
    net.dispose();
    net2.dispose();
  });

  it('resuming with the same seed reproduces the same steps exactly', async () => {
    const x = data();
    const straight = createNet(spec, { seed: 7 });
    await drain(trainMle(netEnergy(straight), x, opts({ iterations: 6 })));

    const first = createNet(spec, { seed: 7 });
    const ev = await drain(trainMle(netEnergy(first), x, opts({ iterations: 3, checkpoint: { dir: join(dir, 'ck'), every: 3, netSpec: spec } })));
    expect(ev.filter((e) => e.type === 'checkpoint')).toEqual([{ type: 'checkpoint', iteration: 3, dir: join(dir, 'ck') }]);

    const resumed = createNet(spec, { seed: 123 }); // different init: everything must come from the checkpoint
    const ev2 = await drain(trainMle(netEnergy(resumed), x, opts({ iterations: 6, init: persistentChains([2], 32), resume: join(dir, 'ck') })));
    expect(ev2.filter((e) => e.type === 'step').map((e) => e.iteration)).toEqual([4, 5, 6]);
    expect(await resumed.getWeights()).toEqual(await straight.getWeights());
    [straight, first, resumed].forEach((n) => n.dispose());
    x.dispose();
  });

  it('rejects a damaged weights file, naming it', async () => {
    const net = createNet(spec);
    await saveCheckpoint(join(dir, 'ck'), { models: { energy: { params: await snapshotParams(netEnergy(net)) } } });
    const w = join(dir, 'ck', 'energy.weights.bin');
    const bytes = await readFile(w);
    bytes[5] = bytes[5]! ^ 0xff;
    await writeFile(w, bytes);
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(`Checkpoint ${w}: sha256 does not match checkpoint.json (damaged)`);
    await writeFile(w, bytes.subarray(0, 10));
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(/has 10 bytes, checkpoint\.json says \d+ \(truncated or damaged\)/);
    net.dispose();
  });

  it('rejects missing folders, broken JSON and mismatched models with typed errors', async () => {
    await expect(loadCheckpoint(join(dir, 'nope'))).rejects.toThrow(`Checkpoint ${join(dir, 'nope', 'checkpoint.json')}: file is missing or unreadable`);
    const net = createNet(spec);
    await saveCheckpoint(join(dir, 'ck'), { models: { energy: { params: await snapshotParams(netEnergy(net)) } } });
    const other = createNet(netSpec([2], [{ type: 'dense', units: 8 }, { type: 'swish' }, { type: 'dense', units: 1 }]));
    const ck = await loadCheckpoint(join(dir, 'ck'));
    expect(() => restoreParams(netEnergy(other), ck.models.energy!.params, join(dir, 'ck'))).toThrow(/parameter "layers.0.kernel" has shape \[2,16\], the model needs \[2,8\]/);
    await writeFile(join(dir, 'ck', 'checkpoint.json'), '{"format": "ebm.checkpoint",');
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(/checkpoint\.json: is not valid JSON/);
    [net, other].forEach((n) => n.dispose());
  });

  it('refuses to resume from a checkpoint without training state', async () => {
    const net = createNet(spec);
    const energy = netEnergy(net);
    await saveCheckpoint(join(dir, 'ck'), { models: { energy: { params: await snapshotParams(energy) } } });
    const x = data();
    await expect(drain(trainMle(energy, x, opts({ iterations: 2, resume: join(dir, 'ck') })))).rejects.toThrow(InvalidOptionError);
    await expect(drain(trainMle(energy, x, opts({ iterations: 2, resume: join(dir, 'ck') })))).rejects.toThrow(/resume must be a checkpoint saved by a trainer/);
    x.dispose();
    net.dispose();
  });
});

describe('trainMle options and the divergence guard', () => {
  const family = () => functionEnergy((x, p) => tf.sum(tf.div(tf.square(tf.sub(x, p.mean!)), tf.mul(2, tf.exp(p.logVar!))), 1) as tf.Tensor1D, { mean: [0, 0], logVar: [0, 0] });
  let energy: ReturnType<typeof family>;
  beforeAll(() => {
    energy = family();
  });
  afterAll(() => energy.dispose());

  it.each<[Partial<TrainMleOptions>, RegExp]>([
    [{ batchSize: 0 }, /Error in trainMle: batchSize must be an integer > 0, got 0/],
    [{ batchSize: 1000 }, /batchSize must be at most the number of examples \(128\), got 1000/],
    [{ accumulate: 'never' as never }, /accumulate must be one of 'batch', 'epoch', got "never"/],
    [{ sampler: { numSteps: 5, stepSize: 0 } }, /stepSize must be a finite number > 0, got 0/],
    [{ seed: -1 }, /seed must be an integer in \[0, 2\^32\), got -1/],
  ])('rejects %j naming the option and value', async (extra, msg) => {
    const x = data();
    await expect(drain(trainMle(energy, x, { ...opts({ init: undefined }), ...extra }))).rejects.toThrow(msg);
    x.dispose();
  });

  it('rolls back with smaller steps, then gives up with a clear DivergenceError', async () => {
    const x = data();
    const events: TrainEvent[] = [];
    const run = async () => {
      for await (const e of trainMle(energy, x, { ...opts({ init: undefined }), iterations: 5, guard: { varianceBound: 1e-6, maxRetries: 2 } })) events.push(e);
    };
    await expect(run()).rejects.toThrow(DivergenceError);
    const div = events.filter((e) => e.type === 'diverged');
    expect(div).toHaveLength(2);
    expect(div[1]).toMatchObject({ retry: 2, rolledBackTo: 0, learningRate: 0.0025 });
    expect((div[1] as { stepSize: number }).stepSize).toBeCloseTo(0.025, 10);
    x.dispose();
  });

  it('with guard: false, checks no variance bound and throws only on non-finite values', async () => {
    const x = data();
    // δ = 2.5 makes the chains explode (see below): without the guard training goes on until the values stop being finite.
    const events: TrainEvent[] = [];
    const run = async () => {
      for await (const e of trainMle(energy, x, { ...opts({ init: undefined }), sampler: { numSteps: 30, stepSize: 2.5, refSigma: 1 }, iterations: 3, guard: false })) events.push(e);
    };
    await expect(run()).rejects.toThrow(/non-finite synthesized values|non-finite loss/);
    expect(events.some((e) => e.type === 'diverged')).toBe(false);
    x.dispose();
  });

  it('recovers from a Langevin step that blows the chains up', async () => {
    const fam = family();
    const x = data();
    const events = await drain(trainMle(fam, x, { ...opts({ init: undefined }), sampler: { numSteps: 30, stepSize: 2.5 }, optimizer: { learningRate: 0.05 }, iterations: 30, guard: { varianceBound: 4, maxRetries: 10, snapshotEvery: 1 } }));
    const steps = events.filter((e) => e.type === 'step');
    // ULA on a unit-precision Gaussian multiplies x by (1 − δ²/2) each step: at δ = 2.5 that is −2.1,
    // so the very first chains explode; halving δ to 1.25 makes them contract.
    const div = events.filter((e) => e.type === 'diverged');
    expect(div[0]).toMatchObject({ iteration: 1, rolledBackTo: 0, stepSize: 1.25 });
    steps.forEach((s) => expect((s as { sampleVar: number }).sampleVar).toBeLessThanOrEqual(4));
    expect(steps[steps.length - 1]!.iteration).toBe(30);
    steps.forEach((s) => expect(Number.isFinite((s as { loss: number }).loss)).toBe(true));
    x.dispose();
    fam.dispose();
  });
});
