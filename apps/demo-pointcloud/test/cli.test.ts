import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractTests, demoCli, expectFiles, readMetrics } from '@ebm/demo-kit/testing';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-pointcloud-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = demoCli(MAIN);


it('generate --smoke on the bunny writes the whole run folder', async () => {
  const out = join(dir, 'generate');
  const r = await cli('--', 'generate', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('the Stanford bunny (stl-models)');
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'generate', points: 64, generated: 4, references: 4 });
  for (const k of ['mmdCD', 'covCD', 'mmdEMD', 'covEMD', 'nna', 'mmdCDNoise', 'covCDNoise', 'mmdEMDNoise', 'mmdCDTrain', 'mmdEMDTrain']) expect(typeof m[k]).toBe('number');
  await expectFiles(out, ['samples.png', 'training.png', 'curves.png', 'report.html', 'sample-0.ply', 'checkpoint/checkpoint.json']);
});

it('reconstruct, interpolate and classify --smoke report their metrics', async () => {
  const rec = join(dir, 'rec');
  expect((await cli('reconstruct', '--smoke', '--category', 'cup', '--out', rec)).code).toBe(0);
  expect(await readMetrics(rec)).toMatchObject({ task: 'reconstruct', clouds: 4 });
  await expectFiles(rec, ['reconstruction.png', 'reconstruction-0.ply']);
  const itp = join(dir, 'itp');
  expect((await cli('interpolate', '--smoke', '--out', itp)).code).toBe(0);
  expect((await readMetrics(itp)).frames).toBe(8);
  await expectFiles(itp, ['interpolation.png']);
  const cls = join(dir, 'cls');
  expect((await cli('classify', '--smoke', '--out', cls)).code).toBe(0);
  const m = await readMetrics(cls);
  expect(m).toMatchObject({ task: 'classify', classes: 5, trainClouds: 20, valClouds: 20, testClouds: 20 });
  for (const k of ['accuracy', 'accuracyRawBaseline', 'accuracyUntrainedNet', 'accuracyMajority']) expect(m[k]).toBeGreaterThanOrEqual(0);
  await expectFiles(cls, ['classify.png']);
});

it('reads a folder of clouds and meshes', async () => {
  const { encodePly, encodeStl, makeClouds } = await import('@ebm/pointcloud');
  const data = join(dir, 'tori');
  await mkdir(data);
  for (const [i, c] of makeClouds('torus', 3, { points: 100, seed: 1 }).entries()) await writeFile(join(data, `t${i}.ply`), encodePly(c));
  await writeFile(join(data, 'square.stl'), encodeStl({ positions: Float32Array.of(0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0), triangles: Uint32Array.of(0, 1, 2, 0, 2, 3) }));
  const r = await cli('generate', '--smoke', '--data', data, '--out', join(dir, 'tori-run'));
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`4 clouds from ${data}, 1 held out`);
});

it("reads PointNet's labelled HDF5 files: classes from their labels and shape_names.txt, one class with --category", async () => {
  // fixtures/labelled-h5/make.py: sphere, cube, rod; 5 training and 2 test clouds each.
  const data = join(__dirname, 'fixtures', 'labelled-h5');
  const cls = join(dir, 'h5-cls');
  const r = await cli('classify', '--smoke', '--data', data, '--out', cls);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain(`3 classes from the labels of 2 HDF5 files in ${data} (12 training, 3 validation, 6 test clouds; test clouds from the files named "test")`);
  expect(await readMetrics(cls)).toMatchObject({ classes: 3, trainClouds: 12, valClouds: 3, testClouds: 6 });
  const gen = await cli('generate', '--smoke', '--data', data, '--category', 'rod', '--out', join(dir, 'h5-rod'));
  expect(gen.code).toBe(0);
  expect(gen.stderr).toContain(`7 rod clouds of 3 classes in ${data}, 1 held out`);
  // The list files beside the HDF5 files are not taken for point files.
  const all = await cli('generate', '--smoke', '--data', data, '--out', join(dir, 'h5-all'));
  expect(all.stderr).toContain(`21 clouds from ${data}, 5 held out`);
  expect(all.stderr).not.toContain('skipped');
  // Beside other cloud files, HDF5 files are clouds like the rest: a cloud folder, not PointNet's.
  const mixed = join(dir, 'h5-mixed');
  await mkdir(mixed);
  for (const f of ['ply_data_train0.h5', 'shape_names.txt']) await copyFile(join(data, f), join(mixed, f));
  await copyFile(join(__dirname, '..', '..', '..', 'packages', 'pointcloud', 'test', 'fixtures', 'pcd', 'cup-binary.pcd'), join(mixed, 'cup.pcd'));
  expect((await cli('generate', '--smoke', '--data', mixed, '--out', join(dir, 'h5-mixed-run'))).stderr).toContain(`16 clouds from ${mixed} (1 unreadable file skipped), 4 held out`);
  const bad = await cli('generate', '--smoke', '--data', data, '--category', 'cone');
  expect([bad.code, bad.stderr.trim().split('\n').pop()]).toEqual([2, `demo-pointcloud: --category cone: not a class of ${data} (sphere, cube, rod)`]);
});

it.each([
  [['generate', '--category', 'sofa'], /^demo-pointcloud: unknown --category "sofa" \(bunny, chair, table, torus, cup\)$/],
  [['classify', '--category', 'cup'], /^demo-pointcloud: --category does not apply to classify/],
  [['generate', '--data', 'no-such-dir'], /^demo-pointcloud: no-such-dir: cannot read the file or folder \(ENOENT\)$/],
  [['generate', '--seed=-1'], /^demo-pointcloud: --seed must be a non-negative integer, got "-1"$/],
])('%j fails with one line and exit code 2', async (args, msg) => {
  const r = await cli(...args);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n').pop()).toMatch(msg);
});

it('a --data folder of damaged files only fails in one line naming the first, exit 2; --strict names it directly', async () => {
  const data = join(dir, 'bad');
  await mkdir(data);
  await writeFile(join(data, 'broken.xyz'), '0 0 0\nnot a point\n');
  const r = await cli('generate', '--smoke', '--data', data);
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n').pop()).toBe(`demo-pointcloud: ${data}: none of its 1 point-cloud or mesh files could be used (first: ${join(data, 'broken.xyz')}: line 2: expected "x y z", got "not a point")`);
  const strict = await cli('generate', '--smoke', '--strict', '--data', data);
  expect(strict.stderr.trim().split('\n').pop()).toBe(`demo-pointcloud: ${join(data, 'broken.xyz')}: line 2: expected "x y z", got "not a point"`);
});

contractTests({ name: 'demo-pointcloud', cli, tasks: ['generate', 'reconstruct', 'interpolate', 'classify'], smoke: ['generate', '--smoke'], dir: () => dir });
