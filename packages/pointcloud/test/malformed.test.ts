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
