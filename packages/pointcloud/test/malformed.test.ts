/** Point-cloud readers under seeded mutations: a valid cloud or a FormatError naming the file, quickly. */
import { FormatError } from '@ebm/core';
import { parsePly } from '../src';
import { encodePly, encodeXyz, makeClouds, parseXyz } from '../src';
import { fuzzReader } from '../../core/test/mutate';

const cloud = makeClouds('torus', 1, { points: 64, seed: 2 })[0]!;
const finite = (points: Float32Array) => expect(points.every((v) => Number.isFinite(v))).toBe(true);

describe.each([
  ['xyz', () => new TextEncoder().encode(encodeXyz(cloud)), (b: Uint8Array, n: string) => parseXyz(b, n).points],
  ['ply ascii (vertices only)', () => encodePly(cloud, { format: 'ascii' }), (b: Uint8Array, n: string) => parsePly(b, n, { faces: 'optional' }).positions],
  ['ply binary (vertices only)', () => encodePly(cloud), (b: Uint8Array, n: string) => parsePly(b, n, { faces: 'optional' }).positions],
] as const)('%s reader under 300 seeded mutations', (format, make, read) => {
  it('returns finite points or throws a FormatError naming the file, within a bounded time', () => {
    fuzzReader(make(), read, { seed: format.length * 17, errorClass: FormatError, validate: finite });
  });
});

it('refuses XYZ coordinates that overflow float32, naming the line', () => {
  expect(() => parseXyz(new TextEncoder().encode('0 0 0\n1e39 0 0\n'), 'c.xyz')).toThrow(/c\.xyz: line 2: "1e39 0 0" is too large for float32/);
});

describe('XYZ first lines as exporters write them', () => {
  const read = (text: string) => Array.from(parseXyz(new TextEncoder().encode(text), 'c.xyz').points);
  it('skips a header of column names (CSV exports)', () => {
    expect(read('x,y,z,nx,ny,nz\n1,2,3,0,0,1\n4,5,6,0,1,0\n')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read('X Y Z\n1 2 3\n')).toEqual([1, 2, 3]);
  });
  it('reads a point count (scanner .pts) and holds the file to it', () => {
    expect(read('2\n1 2 3 40 255 0 0\n4 5 6 41 0 255 0\n')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => read('3\n1 2 3\n4 5 6\n')).toThrow('c.xyz: its first line says 3 points but it holds 2 (truncated or damaged)');
  });
  it('reads a file that starts with a UTF-8 byte-order mark (spreadsheet exports on Windows)', () => {
    const bom = (t: string) => Array.from(parseXyz(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(t)]), 'c.csv').points);
    expect(bom('1,2,3\n4,5,6\n')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bom('x,y,z\n1,2,3\n')).toEqual([1, 2, 3]);
  });
  it('takes names only on the first line', () => {
    expect(() => read('1 2 3\nx y z\n')).toThrow('c.xyz: line 2: expected "x y z", got "x y z"');
  });
  it('drops points written as nan or inf (invalid depth pixels), counting them against the header', () => {
    expect(read('3\n1 2 3\nnan nan nan\n4 5 6\n')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(read('x y z\n1 -inf 3\n4 5 6 nan\n')).toEqual([4, 5, 6]);
    expect(() => read('nan nan nan\nNaN NaN NaN\n')).toThrow('c.xyz: has no points with finite coordinates (all 2 are NaN or infinite)');
    expect(() => read('1 two nan\n')).toThrow('c.xyz: line 1: expected "x y z", got "1 two nan"');
  });
  it('refuses binary data in one line, without echoing it', () => {
    expect(() => parseXyz(Uint8Array.from({ length: 600 }, (_, i) => i % 256), 'c.xyz')).toThrow(/^c\.xyz: is binary data, not a text point file \(x y z per line\)$/);
  });
});
