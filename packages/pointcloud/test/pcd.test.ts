/** PCD files as PCL writes them (fixtures/pcd/make.sh), and as ebm writes them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, setLogger } from '@ebm/core';
import { encodePcd, loadCloud, lzfDecompress, parsePcd, parsePly } from '../src';
import { fuzzReader } from '../../core/test/mutate';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'pcd', name)));
/** The 40 points PCL converted, from the PLY it read. */
const cup = parsePly(fixture('cup.ply'), 'cup.ply', { faces: 'optional' }).positions;
const close = (a: Float32Array, b: Float32Array, tol: number) => {
  expect(a.length).toBe(b.length);
  expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThanOrEqual(tol);
};

it.each([
  ['binary', 'cup-binary.pcd', 0],
  ['binary_compressed (LZF, by field)', 'cup-compressed.pcd', 0],
  // PCL prints ASCII values with 7 significant digits.
  ['ascii', 'cup-ascii.pcd', 1e-6],
])('reads PCL %s data: the points PCL read from the PLY', (_, file, tol) => {
  close(parsePcd(fixture(file), file).points, cup, tol);
});

it('takes x, y, z wherever the fields put them (normals and curvature first)', () => {
  close(parsePcd(fixture('normals-compressed.pcd'), 'n.pcd').points, cup, 0);
});

it('drops points that are NaN (missing depth pixels), with a log line', () => {
  const lines: string[] = [];
  setLogger((_, m) => lines.push(m));
  try {
    const { points } = parsePcd(fixture('nan-compressed.pcd'), 'scan.pcd');
    close(points, cup.subarray(3), 1e-6);
    expect(lines).toEqual(['scan.pcd: dropped 1 of 40 points with NaN or infinite coordinates']);
  } finally {
    setLogger(() => {});
  }
});

it('writes PCD that it and PCL read back (binary by default, or ASCII)', async () => {
  close(parsePcd(encodePcd({ points: cup }), 'a.pcd').points, cup, 0);
  close(parsePcd(encodePcd({ points: cup }, { format: 'ascii' }), 'a.pcd').points, cup, 0);
  // The header PCL writes, field for field (cup-binary.pcd).
  const head = (b: Uint8Array) => new TextDecoder('latin1').decode(b).split('DATA')[0];
  expect(head(encodePcd({ points: cup }))).toBe(head(fixture('cup-binary.pcd')));
  await expect(loadCloud(join(__dirname, 'fixtures', 'pcd', 'cup-compressed.pcd'), { normalize: 'none' })).resolves.toBeDefined();
});

it('refuses damage with one line naming the file', () => {
  const text = (s: string) => new TextEncoder().encode(s);
  const head = 'VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 2\nHEIGHT 1\nPOINTS 2\n';
  expect(() => parsePcd(text('ply\nformat ascii 1.0\n'), 'a.pcd')).toThrow('a.pcd: is not a PCD file (it starts with "ply")');
  expect(() => parsePcd(text(head), 'a.pcd')).toThrow('a.pcd: ends before its DATA line (truncated, or not a PCD file)');
  expect(() => parsePcd(text(`${head}DATA ascii\n1 2 3\n`), 'a.pcd')).toThrow('a.pcd: declares 2 points but holds 1 (truncated)');
  expect(() => parsePcd(text(`${head}DATA ascii\n1 2 3\n1 two 3\n`), 'a.pcd')).toThrow('a.pcd: point 2: expected numbers for x y z, got "1 two 3"');
  expect(() => parsePcd(text(head.replace('FIELDS x y z', 'FIELDS x y w') + 'DATA ascii\n1 2 3\n4 5 6\n'), 'a.pcd')).toThrow('a.pcd: has no z field (FIELDS x y w)');
  expect(() => parsePcd(text(head.replace('TYPE F F F', 'TYPE F F Q') + 'DATA ascii\n'), 'a.pcd')).toThrow('a.pcd: field z has TYPE Q SIZE 4, which PCD does not define');
  expect(() => parsePcd(text(head.replace('POINTS 2', 'POINTS 4000000000') + 'DATA binary\n'), 'a.pcd')).toThrow('a.pcd: declares 4000000000 points (POINTS or WIDTH × HEIGHT)');
  expect(() => parsePcd(fixture('cup-binary.pcd').subarray(0, 300), 'cut.pcd')).toThrow(/^cut\.pcd: declares 40 points of 12 bytes but holds \d+ bytes of data \(truncated\)$/);
  expect(() => parsePcd(fixture('cup-compressed.pcd').subarray(0, 400), 'cut.pcd')).toThrow(/^cut\.pcd: its compressed data of \d+ bytes runs past the end of the file \(truncated\)$/);
});

it('decodes LZF literal runs and overlapping back-references, and refuses a reference before the start', () => {
  // "abc" as a literal run, then a back-reference of length 6 at distance 3: "abcabcabc".
  expect(new TextDecoder().decode(lzfDecompress(Uint8Array.of(2, 97, 98, 99, (4 << 5) | 0, 2), 9))).toBe('abcabcabc');
  expect(() => lzfDecompress(Uint8Array.of((1 << 5) | 0, 9), 3, 'x.pcd')).toThrow('x.pcd: its compressed data is damaged (LZF stream does not decode)');
});

describe.each(['cup-ascii.pcd', 'cup-binary.pcd', 'cup-compressed.pcd', 'normals-compressed.pcd'])('%s under 300 seeded mutations', (file) => {
  it('returns finite points or throws a FormatError naming the file, within a bounded time', () => {
    fuzzReader(fixture(file), (b, n) => parsePcd(b, n).points, { seed: file.length * 31, errorClass: FormatError, validate: (p) => expect(p.every(Number.isFinite)).toBe(true) });
  });
});
