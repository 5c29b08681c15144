import { decodeMat, FormatError } from '../src';
import { fuzzReader } from './mutate';

// Written by scipy.io.savemat (MAT 5): np.arange(24, dtype=uint8).reshape(4, 3, 2) as `instance`
// (plus `label` = [[3.5]]) uncompressed; the same `instance` compressed; and a compressed double
// row `v` = [1.5, −2, 3] beside a char array `c` and a struct `s`, which are skipped.
const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const U8 = b64('TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFR1ZSBEZWMgIDEgMjI6NDg6NDAgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0OAAAAWAAAAAYAAAAIAAAACQAAAAAAAAAFAAAADAAAAAQAAAADAAAAAgAAAAAAAAABAAAACAAAAGluc3RhbmNlAgAAABgAAAAABgwSAggOFAQKEBYBBw0TAwkPFQULERcOAAAAQAAAAAYAAAAIAAAABgAAAAAAAAAFAAAACAAAAAEAAAABAAAAAQAAAAUAAABsYWJlbAAAAAkAAAAIAAAAAAAAAAAADEA=');
const U8Z = b64('TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFR1ZSBEZWMgIDEgMjI6NDg6NDAgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAASgAAAHic42NgYIgAYjYg5gBiTgYIYAViHiBmAWJmIGaCijNC1WXmFZck5iWngsQlQBJsPEJMHHwiLFwCYozsvMLMnPyirNyC4gC9wwUk');
const DBL = b64('TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFR1ZSBEZWMgIDEgMjI6NDg6NDAgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAAMAAAAHic42NgYPAAYjYg5oDSIMAK5TMCMTOYZmQoA9KcQCzBAAM/7KGMAxCKwwEAVCEDVA8AAAAqAAAAeJzjY2BgMABiNiDmAGIWBghghfIZgZgZTDMyJANpASAvMSmZAQAawAIADwAAADgAAAB4nONjYGCoAGI2IOYAYiYGCGCF8hnhmJGhGCzOAlbDCCTTgDQfEFsg6efDqR8CeJDEQQAArh4CFg==');

it.each([
  ['uncompressed', U8],
  ['compressed (MATLAB 7)', U8Z],
])('reads a %s 3-D array in C order', (_, bytes) => {
  const a = decodeMat(bytes, 'chair.mat').get('instance')!;
  expect(a.shape).toEqual([4, 3, 2]);
  expect(a.dtype).toBe('uint8');
  expect(Array.from(a.data)).toEqual(Array.from({ length: 24 }, (_, i) => i));
});

it('reads every numeric variable and skips chars and structs', () => {
  const u = decodeMat(U8, 'a.mat');
  expect([...u.keys()]).toEqual(['instance', 'label']);
  expect(u.get('label')).toEqual({ shape: [1, 1], data: Float32Array.from([3.5]), dtype: 'double' });
  const d = decodeMat(DBL, 'b.mat');
  expect([...d.keys()]).toEqual(['v']);
  expect(Array.from(d.get('v')!.data)).toEqual([1.5, -2, 3]);
});

it('refuses other files, MATLAB 7.3, and damage, naming the file', () => {
  expect(() => decodeMat(new TextEncoder().encode('hello'.repeat(40)), 'x.mat')).toThrow(FormatError);
  expect(() => decodeMat(new TextEncoder().encode('hello'.repeat(40)), 'x.mat')).toThrow('x.mat: is not a MATLAB 5/7 MAT-file');
  const v73 = new Uint8Array(U8);
  v73.set(new TextEncoder().encode('MATLAB 7.3 MAT-file'), 0);
  expect(() => decodeMat(v73, 'x.mat')).toThrow(/x\.mat: is a MATLAB 7\.3 \(HDF5\) MAT-file/);
  expect(() => decodeMat(U8.subarray(0, 200), 'x.mat')).toThrow(/x\.mat: a data element of \d+ bytes runs past the end of the file \(truncated\)/);
  const bad = new Uint8Array(U8Z);
  bad.fill(7, 150, 170);
  expect(() => decodeMat(bad, 'x.mat')).toThrow(/x\.mat: a compressed variable cannot be inflated/);
});

describe.each([
  ['uncompressed', U8],
  ['compressed', U8Z],
  ['mixed variables', DBL],
])('the %s MAT-file under 300 seeded mutations', (_, valid) => {
  it('gives finite arrays or a FormatError naming the file, quickly', () => {
    fuzzReader(valid, (b, n) => decodeMat(b, n), { seed: valid.length, errorClass: FormatError, validate: (m) => m.forEach((a) => expect(a.data.length).toBe(a.shape.reduce((x, d) => x * d, 1))) });
  });
});
