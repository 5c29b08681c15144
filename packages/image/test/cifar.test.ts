import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCifarBatch, ImageFormatError, isCifarPath, loadCifar } from '../src';

// core/test/fixtures/pickle/make.py: a CIFAR-10 python batch as Python 2's cPickle wrote it (4
// images, byte i = i * 7 % 256, labels 6 9 9 4) and a batches.meta.
const pickles = join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'pickle');
const byte = (i: number) => ((i * 7) % 256) / 255;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-cifar-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('reads the python version: planes of R, G, B turned into 32×32 RGB images, labels and class names', async () => {
  const py = join(dir, 'cifar-10-batches-py');
  await mkdir(py);
  await copyFile(join(pickles, 'cifar-py2.pkl'), join(py, 'data_batch_1'));
  await copyFile(join(pickles, 'cifar-py2.pkl'), join(py, 'data_batch_2'));
  await copyFile(join(pickles, 'cifar-meta.pkl'), join(py, 'batches.meta'));
  await writeFile(join(py, 'readme.html'), '<html></html>');
  expect(await isCifarPath(py)).toBe(true);
  const set = await loadCifar(py);
  expect(set.files.map((f) => f.slice(py.length + 1))).toEqual(['data_batch_1', 'data_batch_2']);
  expect([set.images.length, Array.from(set.labels)]).toEqual([8, [6, 9, 9, 4, 6, 9, 9, 4]]);
  expect(set.classes?.slice(0, 3)).toEqual(['airplane', 'automobile', 'bird']);
  const img = set.images[1]!;
  expect([img.width, img.height, img.channels]).toEqual([32, 32, 3]);
  // Pixel (row 0, column 5) of image 1: red at 3072 + 5, green 1024 later, blue 2048 later.
  expect(Array.from(img.data.subarray(15, 18))).toEqual([byte(3072 + 5), byte(3072 + 1024 + 5), byte(3072 + 2048 + 5)].map(Math.fround));
  await expect(loadCifar(py, { part: 'test' })).rejects.toThrow(`${py}: holds no CIFAR test batches`);
});

it('reads the binary version, CIFAR-10 records (label, 3072 bytes) and CIFAR-100 ones (coarse, fine, 3072 bytes)', () => {
  const records = (labelBytes: number[][]) => Uint8Array.from(labelBytes.flatMap((l, i) => [...l, ...Array.from({ length: 3072 }, (_, j) => (i + j) % 256)]));
  const ten = decodeCifarBatch(records([[3], [8]]), 'data_batch_1.bin');
  expect([ten.images.length, Array.from(ten.labels)]).toEqual([2, [3, 8]]);
  expect(ten.images[1]!.data[0]).toBe(Math.fround(1 / 255));
  const hundred = decodeCifarBatch(records([[11, 42], [2, 97], [5, 0]]), 'train.bin');
  expect(Array.from(hundred.labels)).toEqual([42, 97, 0]);
  expect(() => decodeCifarBatch(records([[3]]).subarray(0, 3000), 'data_batch_1.bin')).toThrow(ImageFormatError);
  expect(() => decodeCifarBatch(records([[3]]).subarray(0, 3000), 'data_batch_1.bin')).toThrow('data_batch_1.bin: is not a CIFAR batch: neither a pickle nor records of 3073 (CIFAR-10) or 3074 (CIFAR-100) bytes (it has 3000 bytes; truncated?)');
});

it('refuses a pickle that is not a batch, naming the file', async () => {
  const meta = new Uint8Array(await readFile(join(pickles, 'cifar-meta.pkl')));
  expect(() => decodeCifarBatch(meta, 'data_batch_3')).toThrow('data_batch_3: is a pickle without the `data` array of a CIFAR batch');
});
