import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy, decodeNpyObjects, decodePickle, FormatError, isObjectNpy, type NpyArray } from '../src';
import { fuzzReader } from './mutate';

// fixtures/pickle/make.py writes each file and checks it against Python's own unpickler.
const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'pickle', name)));

it("reads a CIFAR-10 python batch as Python 2's cPickle wrote it", () => {
  const batch = decodePickle(fixture('cifar-py2.pkl'), 'data_batch_1') as Record<string, unknown>;
  expect(Object.keys(batch)).toEqual(['data', 'labels', 'batch_label', 'filenames']);
  const data = batch.data as NpyArray;
  expect([data.shape, data.dtype]).toEqual([[4, 3072], '|u1']);
  expect(Array.from(data.data.subarray(0, 40))).toEqual(Array.from({ length: 40 }, (_, i) => (i * 7) % 256));
  expect(data.data[4 * 3072 - 1]).toBe(((4 * 3072 - 1) * 7) % 256);
  expect(batch.labels).toEqual([6, 9, 9, 4]);
  expect(new TextDecoder().decode(batch.batch_label as Uint8Array)).toBe('training batch 1 of 5');
});

it.each([2, 4, 5])('reads what Python 3 pickles at protocol %i: arrays of both byte orders and orders, nested values, big ints', (p) => {
  const v = decodePickle(fixture(`py3-protocol${p}.pkl`), 'v.pkl') as Record<string, unknown>;
  const f4 = v.f4 as NpyArray;
  expect([f4.shape, Array.from(f4.data)]).toEqual([[2, 3], [0, 1, 2, 3, 4, 5]]);
  expect(Array.from((v.f8be as NpyArray).data)).toEqual([0, 0.25, 0.5, 0.75]);
  // Fortran order, read back in C order: arange(6).reshape(2, 3).
  expect(Array.from((v.fortran as NpyArray).data)).toEqual([0, 1, 2, 3, 4, 5]);
  expect(v.nested).toEqual([1, -2, [3.5, null], true, 'text', new TextEncoder().encode('raw')]);
  expect([v.big, v.neg, v.scalar]).toEqual([2n ** 70n, -300000, 2.5]);
});

it('refuses a global it does not rebuild, without running it, and bytes that are not a pickle', () => {
  expect(() => decodePickle(fixture('evil.pkl'), 'evil.pkl')).toThrow('evil.pkl: refers to os.system, which a data-only reader does not rebuild (only dicts, lists, numbers, strings and NumPy arrays are read)');
  expect(() => decodePickle(new TextEncoder().encode('hello'), 'a.pkl')).toThrow('a.pkl: is not a Python pickle');
  expect(() => decodePickle(fixture('cifar-py2.pkl').subarray(0, 500), 'cut.pkl')).toThrow('cut.pkl: ends early (truncated pickle)');
  // l = []; l.append(l): a list that contains itself.
  expect(() => decodePickle(Uint8Array.of(0x80, 2, 0x5d, 0x71, 0, 0x68, 0, 0x61, 0x2e), 'loop.pkl')).toThrow('loop.pkl: holds a value that contains itself');
});

describe.each(['cifar-py2.pkl', 'py3-protocol2.pkl', 'py3-protocol5.pkl'])('%s under 300 seeded mutations', (file) => {
  it('returns a value or throws a FormatError naming the file, within a bounded time', () => {
    fuzzReader(fixture(file), (b, n) => decodePickle(b, n), { seed: file.length * 13, errorClass: FormatError, validate: () => {} });
  });
});

it('reads an .npy object array (np.save of clouds of different sizes) element by element', () => {
  const bytes = fixture('clouds-object.npy');
  expect(isObjectNpy(bytes)).toBe(true);
  const items = decodeNpyObjects(bytes, 'clouds.npy') as NpyArray[];
  expect(items.map((a) => a.shape)).toEqual([[5, 3], [7, 3], [4, 3]]);
  expect(Array.from(items[2]!.data)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  expect(() => decodeNpy(bytes, 'clouds.npy')).toThrow('clouds.npy: holds Python objects (np.save of a list of arrays of different sizes): read it with decodeNpyObjects');
});
