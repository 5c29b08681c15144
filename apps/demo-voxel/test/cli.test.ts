import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractTests, demoCli } from '@ebm/demo-kit/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-voxel-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = demoCli(MAIN);

it('synthesize --smoke writes the whole run folder', async () => {
  const out = join(dir, 'smoke');
  const r = await cli('--', 'synthesize', '--smoke', '--out', out, '--category', 'table');
  expect(r.code).toBe(0);
  const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  expect(m).toMatchObject({ task: 'synthesize', quick: false, seed: 0 });
  for (const k of ['iouNearestTrain', 'iouNearestHeldOut', 'iouNearestTrainLast', 'iouNearestSample', 'iouNoise', 'iouNoiseHeldOut', 'occupancySamples', 'occupancyTrain']) expect(typeof m[k]).toBe('number');
  // Smoke: 5 updates, noise for 2, a held-out check at each of the last 3.
  expect([3, 4, 5]).toContain(m.selectedUpdate);
  expect((await readFile(join(out, 'heldout.csv'), 'utf8')).trim().split('\n').map((l) => l.split(',')[0])).toEqual(['update', '3', '4', '5']);
  for (const f of ['samples.png', 'heldout.png', 'training.png', 'curves.png', 'report.html', 'sample-0.obj', 'checkpoint/checkpoint.json']) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
});

it('recover --smoke reports the error rate on hidden voxels against the fill-by-rate baseline', async () => {
  const out = join(dir, 'recover');
  const r = await cli('recover', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  expect(m).toMatchObject({ task: 'recover', hiddenFraction: 0.7, shapes: 4 });
  expect(m.errorRate).toBeGreaterThanOrEqual(0);
  expect(m.errorRateBaseline).toBeGreaterThan(0);
  for (const k of ['errorRateNeighbours', 'errorRateRetrieval', 'errorRateStart', 'errorRateAtHalf', 'iouHidden', 'iouHiddenNeighbours', 'iouHiddenRetrieval', 'iouHiddenStart']) expect(typeof m[k]).toBe('number');
  // Smoke trains on 4 shapes: k of 0 (none), 1, 2 or 3 retrieved shapes, chosen on them.
  expect([0, 1, 2, 3]).toContain(m.retrievalK);
  // Smoke chains take 3 steps: stopped after 1, 2 or 3 of them.
  expect([1, 2, 3]).toContain(m.chainSteps);
  expect(typeof m.errorRateAllSteps).toBe('number');
  for (const k of ['threshold', 'thresholdIou']) expect(m[k] >= 0.05 && m[k] <= 0.95).toBe(true);
  for (const f of ['recovery.png', 'curves.png', 'report.html', 'checkpoint/checkpoint.json']) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
});

it('superres --smoke reports IoU against nearest upsampling', async () => {
  const out = join(dir, 'superres');
  const r = await cli('superres', '--smoke', '--out', out, '--category', 'torus');
  expect(r.code).toBe(0);
  const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  expect(m).toMatchObject({ task: 'superres', lowSize: 8, size: 16, shapes: 4 });
  for (const k of ['iou', 'iouUpsampleBaseline', 'iouBlockCounts', 'iouBlockCountsTrilinear', 'iouRetrieval', 'iouStart', 'iouBlockCountsStart', 'iouAllSteps', 'iouAtHalf']) expect(m[k]).toBeGreaterThan(0);
  // Smoke chains take 3 steps: stopped after 1, 2 or 3 of them.
  expect([1, 2, 3]).toContain(m.chainSteps);
  expect([0, 1, 2, 3]).toContain(m.retrievalK);
  for (const k of ['threshold', 'thresholdBaseline']) expect(m[k] >= 0.05 && m[k] <= 0.95).toBe(true);
  for (const f of ['superres.png', 'curves.png', 'report.html', 'checkpoint/checkpoint.json']) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
});

it('classify --smoke reports accuracy against the raw-voxel and untrained-net baselines', async () => {
  const out = join(dir, 'classify');
  const r = await cli('classify', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
  expect(m).toMatchObject({ task: 'classify', classes: 4, trainShapes: 16, valShapes: 8, testShapes: 8 });
  for (const k of ['accuracy', 'accuracyRawBaseline', 'accuracyUntrainedNet', 'accuracyMajority', 'accuracyVal']) expect(m[k]).toBeGreaterThanOrEqual(0);
  expect(m.features).toMatch(/^(conv1\+conv2|all convs), max-pooled to [12]³$/);
  for (const f of ['classify.png', 'curves.png', 'report.html']) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
});

it('classify reads one subfolder per class, with a ModelNet-style train/test split', async () => {
  const { encodeBinvox, makeGrids } = await import('@ebm/voxel');
  const data = join(dir, 'classes');
  for (const c of ['cup', 'torus'] as const) {
    for (const part of ['train', 'test']) {
      await mkdir(join(data, c, part), { recursive: true });
      for (const [i, g] of makeGrids(c, part === 'train' ? 5 : 2, { size: 16, seed: part === 'train' ? 1 : 2 }).entries()) await writeFile(join(data, c, part, `${c}${i}.binvox`), encodeBinvox(g));
    }
  }
  const r = await cli('classify', '--smoke', '--data', data, '--out', join(dir, 'classes-run'));
  expect(r.code).toBe(0);
  // A fifth of each class's training shapes (here 1 of 5) is kept for validation.
  expect(r.stderr).toContain(`2 classes from ${data} (8 training, 2 validation, 4 test shapes)`);
  expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toMatchObject({ classes: 2, trainShapes: 8, valShapes: 2, testShapes: 4 });
});

it('reads a folder of voxel files, resampling those of another side', async () => {
  const { encodeBinvox, makeGrids } = await import('@ebm/voxel');
  const data = join(dir, 'cups');
  await mkdir(data);
  for (const [i, g] of makeGrids('cup', 3, { size: 16, seed: 1 }).entries()) await writeFile(join(data, `cup${i}.binvox`), encodeBinvox(g));
  await writeFile(join(data, 'fine-cup.binvox'), encodeBinvox(makeGrids('cup', 1, { size: 32, seed: 2 })[0]!));
  const r = await cli('synthesize', '--smoke', '--data', data, '--out', join(dir, 'cups-run'));
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`4 shapes from ${data} (1 resampled from 32×32×32 to 16³)`);
});

it.each([
  [['classify', '--category', 'cup'], /^demo-voxel: --category does not apply to classify/],
  [['classify', '--data', 'no-such-dir'], /^demo-voxel: no-such-dir: cannot read the folder \(ENOENT\)$/],
  [['synthesize', '--category', 'sofa'], /^demo-voxel: unknown --category "sofa" \(chair, table, torus, cup\)$/],
  [['synthesize', '--data', 'no-such-dir'], /^demo-voxel: no-such-dir: cannot read the file or folder \(ENOENT\)$/],
])('%j fails with one line and exit code 2', async (args, msg) => {
  const r = await cli(...args);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n').pop()).toMatch(msg);
});

it('skips a damaged file in --data with a warning naming it; --strict stops there; no usable file is exit 2', async () => {
  const { encodeBinvox, makeGrids } = await import('@ebm/voxel');
  const data = join(dir, 'bad');
  // ShapeNet-like: one folder per model, files of one model side by side, a damaged one among them.
  for (const [i, g] of makeGrids('cup', 2, { size: 16, seed: 1 }).entries()) {
    await mkdir(join(data, `model-${i}`, 'models'), { recursive: true });
    await writeFile(join(data, `model-${i}`, 'models', 'model_normalized.solid.binvox'), encodeBinvox(g));
    await writeFile(join(data, `model-${i}`, 'models', 'model_normalized.mtl'), 'newmtl a\n');
  }
  await writeFile(join(data, 'broken.binvox'), '#binvox 1\ndim 16 16 16\ndata\n\u0001');
  const r = await cli('synthesize', '--smoke', '--data', data, '--out', join(dir, 'bad-run'));
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('[ebm] skipped broken.binvox: 16×16×16 grid needs 4096 voxels but its 1 data bytes hold at most 0 (truncated)');
  expect(r.stderr).toContain(`2 shapes from ${data} (1 unreadable file skipped)`);
  const strict = await cli('synthesize', '--smoke', '--strict', '--data', data);
  expect(strict.code).toBe(2);
  expect(strict.stderr.trim().split('\n').pop()).toBe(`demo-voxel: ${join(data, 'broken.binvox')}: 16×16×16 grid needs 4096 voxels but its 1 data bytes hold at most 0 (truncated)`);
  const only = join(dir, 'only-bad');
  await mkdir(only);
  await writeFile(join(only, 'broken.binvox'), '#binvox 1\ndim 16 16 16\ndata\n\u0001');
  const none = await cli('synthesize', '--smoke', '--data', only);
  expect(none.code).toBe(2);
  expect(none.stderr.trim().split('\n').pop()).toMatch(/^demo-voxel: \S+only-bad: none of its 1 voxel or mesh files could be used \(first: \S+broken\.binvox: 16×16×16 grid needs/);
});

contractTests({ name: 'demo-voxel', cli, tasks: ['synthesize', 'recover', 'superres', 'classify'], smoke: ['synthesize', '--smoke', '--category', 'table'], dir: () => dir });
