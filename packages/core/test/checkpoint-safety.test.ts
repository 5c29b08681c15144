/**
 * Checkpoints survive crashes and refuse inconsistent folders: a process killed at random moments
 * while saving always leaves one complete save at the path; manifests that do not add up, values
 * that are not finite and file references outside the folder are refused with CheckpointError.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, loadCheckpoint, mulberry32, netSpec, saveCheckpoint, type CheckpointData } from '../src';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-ckpt-safe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const save = (k: number): CheckpointData => ({
  models: {
    descriptor: { params: { w: { shape: [4, 5000], values: new Float32Array(20000).fill(k) } }, optimizer: [Float32Array.of(k), new Float32Array(500).fill(k)] },
    generator: { params: { v: { shape: [1000], values: new Float32Array(1000).fill(k) } }, optimizer: [Float32Array.of(k)] },
  },
  meta: { k },
  train: { iteration: k, epoch: 0, seed: 1, stepSize: 0.1, chains: new Float32Array(3000).fill(k) },
});

/** Checks that a loaded checkpoint is one complete save: every part written by the same save k. */
function expectOneSave(ck: CheckpointData): number {
  const k = ck.meta!.k as number;
  expect(ck.models.descriptor!.params.w!.values.every((v) => v === k)).toBe(true);
  expect(ck.models.generator!.params.v!.values.every((v) => v === k)).toBe(true);
  expect(ck.train!.iteration).toBe(k);
  expect(ck.models.descriptor!.optimizer![1]!.every((v) => v === k)).toBe(true);
  expect(ck.train!.chains!.every((v) => v === k)).toBe(true);
  return k;
}

it('a process killed at 50 random moments while saving always leaves one complete save', async () => {
  const ck = join(dir, 'ck');
  const dist = join(__dirname, '..', 'dist', 'index.cjs');
  const child = `
    const { saveCheckpoint } = require(${JSON.stringify(dist)});
    (async () => {
      for (let k = Number(process.argv[1]); ; k++) {
        await saveCheckpoint(${JSON.stringify(ck)}, {
          models: {
            descriptor: { params: { w: { shape: [4, 5000], values: new Float32Array(20000).fill(k) } }, optimizer: [Float32Array.of(k), new Float32Array(500).fill(k)] },
            generator: { params: { v: { shape: [1000], values: new Float32Array(1000).fill(k) } }, optimizer: [Float32Array.of(k)] },
          },
          meta: { k },
          train: { iteration: k, epoch: 0, seed: 1, stepSize: 0.1, chains: new Float32Array(3000).fill(k) },
        });
        if (k === Number(process.argv[1])) process.stdout.write('ready\\n');
      }
    })();`;
  const rand = mulberry32(7);
  let last = 0;
  for (let i = 0; i < 50; i++) {
    const p = spawn(process.execPath, ['-e', child, String(last + 1)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => p.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, rand() * 60));
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    const k = expectOneSave(await loadCheckpoint(ck));
    expect(k).toBeGreaterThan(last);
    last = k;
  }
  // The next save removes every temporary folder the kills left behind.
  await saveCheckpoint(ck, save(last + 1));
  expect((await readdir(dir)).sort()).toEqual(['ck']);
}, 300000);

it('recovers a save that a crash left between its two renames', async () => {
  const ck = join(dir, 'ck');
  await saveCheckpoint(ck, save(1));
  // What a kill right after "rename the old folder away" leaves: the old save and the new complete one.
  await saveCheckpoint(join(dir, 'new'), save(2));
  await rename(join(dir, 'new'), join(dir, '.ck.tmp-1-aa'));
  await rename(ck, join(dir, '.ck.tmp-1-aa.old'));
  // The finished new save wins over the old one it was replacing.
  expect(expectOneSave(await loadCheckpoint(ck))).toBe(2);
  // A temporary folder without its manifest is an unfinished save: never recovered.
  await rm(ck, { recursive: true });
  await rm(join(dir, '.ck.tmp-1-aa.old'), { recursive: true });
  await saveCheckpoint(join(dir, 'other'), save(2));
  await rename(join(dir, 'other'), join(dir, '.ck.tmp-2-bb'));
  await rm(join(dir, '.ck.tmp-2-bb', 'checkpoint.json'));
  await expect(loadCheckpoint(ck)).rejects.toThrow(/checkpoint\.json: file is missing or unreadable/);
});

describe('inconsistent checkpoints are refused', () => {
  const spec = netSpec([3], [{ type: 'dense', units: 2 }]);
  const good = (): CheckpointData => ({
    models: {
      energy: {
        params: { 'layers.0.kernel': { shape: [3, 2], values: new Float32Array(6).fill(0.5) }, 'layers.0.bias': { shape: [2], values: new Float32Array(2) } },
        netSpec: spec,
        optimizer: [Float32Array.of(3)],
        learningRate: 0.1,
      },
    },
    train: { iteration: 3, epoch: 0, seed: 1, stepSize: 0.1 },
  });
  const edit = async (file: string, f: (j: Record<string, unknown>) => void) => {
    const path = join(dir, 'ck', file);
    const j = JSON.parse(await readFile(path, 'utf8'));
    f(j);
    await writeFile(path, JSON.stringify(j));
  };

  it.each<[string, string, (j: Record<string, any>) => void, RegExp]>([
    ['manifest values null', 'checkpoint.json', (j) => (j.models.energy.params = null), /\(model "energy"\): has no parameter manifest/],
    ['a weights reference of null', 'checkpoint.json', (j) => (j.models.energy.weights = null), /has a bad binary file reference null/],
    ['a blob length that is not a multiple of 4', 'checkpoint.json', (j) => (j.models.energy.weights.bytes = 30), /says energy\.weights\.bin has 30 bytes, not a whole number of float32 values/],
    ['per-parameter lengths that disagree with the shape', 'checkpoint.json', (j) => (j.models.energy.params[0].length = 5), /parameter "layers\.0\.kernel" has length 5, its shape \[3,2\] needs 6/],
    ['a manifest that disagrees with the NetSpec', 'checkpoint.json', (j) => ((j.models.energy.params[0].shape = [2, 3]), (j.models.energy.params[0].length = 6)), /parameter "layers\.0\.kernel" has shape \[2,3\], its NetSpec says \[3,2\]/],
    ['a shape of 1e39', 'checkpoint.json', (j) => (j.models.energy.params[0].shape = [1e39]), /parameter "layers\.0\.kernel" has a bad shape \[1e\+39\]/],
    ['a file outside the folder', 'checkpoint.json', (j) => (j.models.energy.weights.file = '../outside.bin'), /has a bad binary file reference "\.\.\/outside\.bin"/],
    ['a model name that is a path', 'checkpoint.json', (j) => ((j.models['../x'] = j.models.energy), delete j.models.energy), /model name "\.\.\/x" is not allowed/],
    ['no models', 'checkpoint.json', (j) => (j.models = {}), /holds no models/],
    ['version 3', 'checkpoint.json', (j) => (j.version = 3), /version 3 is not supported/],
    ['iteration −5', 'checkpoint.json', (j) => (j.train.iteration = -5), /iteration must be an integer >= 0, got -5/],
    ['iteration 2.5', 'checkpoint.json', (j) => (j.train.iteration = 2.5), /iteration must be an integer >= 0, got 2\.5/],
    ['iteration 1e300', 'checkpoint.json', (j) => (j.train.iteration = 1e300), /iteration must be an integer >= 0, got 1e\+300/],
    ['a step size of null', 'checkpoint.json', (j) => (j.train.stepSize = null), /stepSize must be a finite number > 0, got null/],
    ['a learning rate of 0', 'checkpoint.json', (j) => (j.models.energy.learningRate = 0), /learningRate must be a finite number > 0, got 0/],
    ['optimizer lengths that are not counts', 'checkpoint.json', (j) => (j.models.energy.optimizer.lengths = [-1]), /optimizer\.lengths must be a list of counts, got \[-1\]/],
  ])('%s', async (_, file, f, msg) => {
    await saveCheckpoint(join(dir, 'ck'), good());
    await edit(file, f);
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(msg);
  });

  it.each([['weights', 'layers.0.kernel'], ['optimizer state', 'optimizer']])('non-finite %s', async (_, what) => {
    const data = good();
    if (what === 'optimizer') data.models.energy!.optimizer = [Float32Array.of(NaN)];
    else data.models.energy!.params['layers.0.kernel']!.values[2] = Infinity;
    await saveCheckpoint(join(dir, 'ck'), data);
    await expect(loadCheckpoint(join(dir, 'ck'))).rejects.toThrow(what === 'optimizer' ? /energy\.optimizer\.bin: value 0 is NaN \(not finite\)/ : /energy\.weights\.bin: value 2 is Infinity \(not finite\)/);
  });
});
