import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeH5, FormatError, isH5 } from '../src';
import { mutate } from './mutate';

// Written by h5py (fixtures/h5/make.py, which says what each file holds).
const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'h5', name)));
/** make.py's clouds(n, p): (arange % 17) / 4 − 2 in C order. */
const clouds = (n: number, p: number) => Array.from({ length: n * p * 3 }, (_, i) => (i % 17) / 4 - 2);

it("reads PointNet's layout: gzip-compressed data and labels", async () => {
  const sets = await decodeH5(fixture('pointnet.h5'), 'ply_data_train0.h5');
  expect(sets.map((d) => [d.path, d.shape, d.dtype])).toEqual([
    ['data', [3, 16, 3], '<f4'],
    ['label', [3, 1], '<u1'],
  ]);
  const data = sets[0]!.read();
  expect(data.shape).toEqual([3, 16, 3]);
  expect(Array.from(data.data)).toEqual(clouds(3, 16));
  expect(Array.from(sets[1]!.read().data)).toEqual([2, 0, 2]);
});

it('walks groups, reads float64 and big-endian data, and leaves out strings and compounds', async () => {
  const sets = await decodeH5(fixture('grouped.h5'), 'g.h5');
  expect(sets.map((d) => d.path)).toEqual(['big', 'shapes/points']);
  expect(Array.from(sets[0]!.read().data)).toEqual([0, 1, 2, 3, 4, 5]);
  const points = sets[1]!.read();
  expect([points.shape, points.dtype]).toEqual([[2, 5, 3], '<f8']);
  expect(Array.from(points.data)).toEqual(clouds(2, 5));
});

it('reads boolean grids stored in shuffled, compressed chunks', async () => {
  const [voxels] = await decodeH5(fixture('voxels.h5'), 'v.h5');
  expect([voxels!.path, voxels!.shape]).toEqual(['voxels', [2, 4, 4, 4]]);
  expect(Array.from(voxels!.read().data)).toEqual(Array.from({ length: 128 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
});

it('reads a file after a user block (MATLAB 7.3 MAT-files: 512 bytes of MATLAB header first)', async () => {
  const [instance] = await decodeH5(fixture('v73.mat'), 'v73.mat');
  expect([instance!.path, instance!.shape]).toEqual(['instance', [2, 3, 4]]);
  expect(Array.from(instance!.read().data).flatMap((v, i) => (v ? [i] : []))).toEqual([4, 23]);
});

it('refuses other bytes, unsupported chunk indexes and truncation with one line naming the file', async () => {
  expect(isH5(fixture('pointnet.h5'))).toBe(true);
  await expect(decodeH5(new TextEncoder().encode('x y z\n1 2 3\n'), 'a.h5')).rejects.toThrow('a.h5: is not an HDF5 file (no HDF5 signature)');
  const [latest] = await decodeH5(fixture('latest.h5'), 'l.h5');
  expect(() => latest!.read()).toThrow(/^l\.h5: dataset "data" cannot be read \(a structure this reader does not support/);
  const cut = fixture('pointnet.h5').subarray(0, 4000);
  const read = async () => (await decodeH5(cut, 'cut.h5')).map((d) => d.read());
  await expect(read()).rejects.toThrow(FormatError);
  await expect(read()).rejects.toThrow(/^cut\.h5: /);
});

it('a damaged shape larger than the file can hold is refused before it is read', async () => {
  const bytes = fixture('pointnet.h5').slice();
  // The dataspace message of `data` stores its dims (3, 16, 3) as 64-bit little-endian integers.
  const dims = Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]);
  const at = bytes.findIndex((_, i) => dims.every((b, j) => bytes[i + j] === b));
  expect(at).toBeGreaterThan(0);
  bytes.set([0, 0, 0, 1], at + 8); // 16 → 2^24 points
  const [data] = await decodeH5(bytes, 'p.h5');
  expect(data!.shape).toEqual([3, 2 ** 24, 3]);
  expect(() => data!.read()).toThrow(/^p\.h5: dataset "data" claims shape \(3, 16777216, 3\), more than this file of \d+ bytes can hold/);
});

it('damaged files give a FormatError naming the file or values of the right size, quickly', async () => {
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const valid = fixture('pointnet.h5');
  for (let i = 0; i < 200; i++) {
    const bytes = mutate(valid, rand);
    const t = performance.now();
    try {
      for (const d of await decodeH5(bytes, `case-${i}`)) expect(d.read().data.length).toBe(d.shape.reduce((a, b) => a * b, 1));
    } catch (e) {
      if (!(e instanceof FormatError) || !e.message.includes(`case-${i}`)) throw new Error(`case ${i}: ${(e as Error).name}: ${(e as Error).message}`);
    }
    expect(performance.now() - t).toBeLessThan(1000);
  }
});
