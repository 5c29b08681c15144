/**
 * Seeded mutations of valid mesh files (truncation, byte flips, huge, negative and fractional
 * counts, overflowing coordinates) for every mesh format: each parse must return a valid mesh or
 * throw a FormatError naming the source, quickly — never another error, a hang or a huge allocation.
 */
import { FormatError, setLogger } from '@ebm/core';
import { encodeObj, encodeStl, parse3ds, parseAc3d, parseObj, parseOff, parsePly, parseStl, type TriangleMesh } from '../src';
import { fuzzReader, refusal } from '../../core/test/mutate';
import { tds } from './tds-fixture';

// The OBJ reader reports skipped elements through the logger: printing each under Jest costs more
// than the parse the time bound is about.
beforeAll(() => setLogger(() => {}));

const cube: TriangleMesh = {
  positions: Float32Array.of(0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1),
  triangles: Uint32Array.of(0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4, 2, 3, 7, 2, 7, 6, 1, 2, 6, 1, 6, 5, 0, 4, 7, 0, 7, 3),
};
const enc = (s: string) => new TextEncoder().encode(s);
const off = () => enc(`OFF\n8 12 0\n${Array.from({ length: 8 }, (_, i) => Array.from(cube.positions.subarray(3 * i, 3 * i + 3)).join(' ')).join('\n')}\n${Array.from({ length: 12 }, (_, i) => `3 ${Array.from(cube.triangles.subarray(3 * i, 3 * i + 3)).join(' ')}`).join('\n')}\n`);
const plyAscii = () => enc(`ply\nformat ascii 1.0\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\nelement face 12\nproperty list uchar int vertex_indices\nend_header\n${new TextDecoder().decode(off()).split('\n').slice(2).join('\n')}`);
function plyBinary(): Uint8Array {
  const head = enc('ply\nformat binary_little_endian 1.0\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\nelement face 12\nproperty list uchar int vertex_indices\nend_header\n');
  const out = new Uint8Array(head.length + 8 * 12 + 12 * 13);
  out.set(head);
  const v = new DataView(out.buffer);
  let o = head.length;
  for (const p of cube.positions) (v.setFloat32(o, p, true), (o += 4));
  for (let t = 0; t < 12; t++) {
    v.setUint8(o++, 3);
    for (let k = 0; k < 3; k++) (v.setInt32(o, cube.triangles[3 * t + k]!, true), (o += 4));
  }
  return out;
}

// The cube as an AC3D world with one object moved by `loc`, its 12 triangles as SURF blocks.
const ac = () => enc(`AC3Db\nOBJECT world\nkids 1\nOBJECT poly\nname "cube"\nloc 0 0 0\nnumvert 8\n${Array.from({ length: 8 }, (_, i) => Array.from(cube.positions.subarray(3 * i, 3 * i + 3)).join(' ')).join('\n')}\nnumsurf 12\n${Array.from({ length: 12 }, (_, t) => `SURF 0x10\nmat 0\nrefs 3\n${[0, 1, 2].map((k) => `${cube.triangles[3 * t + k]} 0 0`).join('\n')}`).join('\n')}\nkids 0\n`);

const FORMATS: [string, (b: Uint8Array, n: string) => TriangleMesh, () => Uint8Array][] = [
  ['obj', parseObj, () => enc(encodeObj(cube))],
  ['stl binary', parseStl, () => encodeStl(cube)],
  ['stl ascii', parseStl, () => enc(`solid c\n${Array.from({ length: 12 }, (_, t) => `facet normal 0 0 0\nouter loop\n${[0, 1, 2].map((k) => `vertex ${Array.from(cube.positions.subarray(3 * cube.triangles[3 * t + k]!, 3 * cube.triangles[3 * t + k]! + 3)).join(' ')}`).join('\n')}\nendloop\nendfacet`).join('\n')}\nendsolid c\n`)],
  ['off', parseOff, off],
  ['ply ascii', parsePly, plyAscii],
  ['ply binary', parsePly, plyBinary],
  ['ac3d', parseAc3d, ac],
  ['3ds', parse3ds, () => tds([{ name: 'cube', vertices: Array.from(cube.positions), faces: Array.from(cube.triangles) }])],
];

describe.each(FORMATS)('%s reader under 300 seeded mutations', (format, parse, make) => {
  it('returns a valid mesh or throws a FormatError naming the file, within a bounded time', () => {
    const valid = make();
    expect(parse(valid, 'valid').triangles.length).toBe(36);
    fuzzReader(valid, parse, {
      seed: format.length * 7919,
      errorClass: FormatError,
      validate: (m) => {
        expect(m.positions.every((v) => Number.isFinite(v))).toBe(true);
        const nv = m.positions.length / 3;
        expect(m.triangles.every((k) => k < nv)).toBe(true);
      },
    });
  });
});

it.each([
  ['OFF with a vertex count of 1e9 in a 60-byte file', parseOff, 'OFF\n1000000000 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n', /declares 1000000000 vertices and 1 faces but holds only/],
  ['ASCII PLY with element vertex 4000000000', parsePly, 'ply\nformat ascii 1.0\nelement vertex 4000000000\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n', /declares 4000000000 vertex but holds only 3 values/],
  ['ASCII PLY with element face 1e9', parsePly, 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1000000000\nproperty list uchar int vertex_indices\nend_header\n0 0 0 1 0 0 0 1 0 3 0 1 2\n', /declares 3 vertex, 1000000000 face but holds only 13 values/],
  ['element vertex 8.5', parsePly, 'ply\nformat ascii 1.0\nelement vertex 8.5\nproperty float x\nend_header\n', /element vertex has a bad count "8\.5"/],
  ['a PLY face element without vertex_indices', parsePly, 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty uchar flags\nend_header\n0 0 0 1 0 0 0 1 0 7\n', /face element has no vertex_indices list/],
  ['an ASCII PLY with fewer faces than declared', parsePly, 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 3\nproperty list uchar int vertex_indices\nend_header\n0 0 0 1 0 0 0 1 0 3 0 1 2\n', /ends early \(truncated\)/],
  ['coordinates that overflow float32', parseObj, 'v 1e39 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n', /vertex coordinate \(1e\+39\) too large for float32/],
] as [string, (b: Uint8Array, n: string) => TriangleMesh, string, RegExp][])('refuses %s cheaply', (_, parse, text, msg) => {
  const { error, ms } = refusal(() => parse(enc(text), 'f'));
  expect(error).toBeInstanceOf(FormatError);
  expect((error as Error).message).toMatch(msg);
  expect(ms).toBeLessThan(100);
});

describe('OBJ elements that are not surfaces', () => {
  const text = 'v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 3\nl 1 4\nf 3 4\nf 1 2 4\n';
  it('are skipped with a count through the logger; strict refuses them', async () => {
    const said: string[] = [];
    setLogger((_, m) => said.push(m));
    const m = parseObj(enc(text), 'chair.obj');
    expect(m.triangles.length).toBe(6);
    expect(said).toEqual(['chair.obj: skipped 1 line element and 1 face of fewer than 3 vertices (not surfaces)']);
    said.length = 0;
    parseObj(enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 2\nf 2 3\n'), 'seat.obj');
    expect(said).toEqual(['seat.obj: skipped 2 faces of fewer than 3 vertices (not surfaces)']);
    setLogger(() => {});
    expect(() => parseObj(enc(text), 'chair.obj', { strict: true })).toThrow(/chair\.obj: line 6: a line element "l" \(strict: only surfaces\)/);
  });
});
