/**
 * AC3D models (nested objects with loc/rot, polygon and line surfaces), 3DS chunks, and the OFF
 * variants with per-vertex and per-face extras (COFF as CGAL ships it).
 */
import { FormatError, setLogger } from '@ebm/core';
import { parse3ds, parseAc3d, parseMesh, parseOff } from '../src';
import { tds } from './tds-fixture';

const enc = (s: string) => new TextEncoder().encode(s);

// A parent translated by (10, 0, 0) holding a triangle and a child rotated 90° about z and moved by
// (0, 1, 0) holding a quad; a line surface that must be skipped; a `data` block whose text looks
// like fields.
const model = `AC3Db
MATERIAL "m" rgb 1 1 1  amb 0.2 0.2 0.2  emis 0 0 0  spec 0 0 0  shi 10  trans 0
OBJECT world
kids 1
OBJECT poly
name "body"
data 14
numvert 99
kids
loc 10 0 0
numvert 3
0 0 0
1 0 0
0 1 0
numsurf 2
SURF 0x10
mat 0
refs 3
0 0 0
1 0 0
2 0 0
SURF 0x12
mat 0
refs 2
0 0 0
1 0 0
kids 1
OBJECT poly
name "wing"
rot 0 -1 0 1 0 0 0 0 1
loc 0 1 0
numvert 4
1 0 0
2 0 0
2 0 1
1 0 1
numsurf 1
SURF 0x00
mat 0
refs 4
0 0 0
1 0 0
2 0 0
3 0 0
kids 0
`;

describe('AC3D', () => {
  it('places every object by its loc/rot chain, fans polygons and skips lines', () => {
    const m = parseAc3d(enc(model), 'plane.ac');
    // Parent vertices moved by (10, 0, 0); the child's (x, 0, z) turned to (0, x, z), then + (0, 1, 0), then + (10, 0, 0).
    expect(Array.from(m.positions)).toEqual([10, 0, 0, 11, 0, 0, 10, 1, 0, 10, 2, 0, 10, 3, 0, 10, 3, 1, 10, 2, 1]);
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 3, 4, 5, 3, 5, 6]);
  });

  it('strict refuses line surfaces', () => {
    expect(() => parseAc3d(enc(model), 'plane.ac', { strict: true })).toThrow(/plane\.ac: has 1 line or degenerate surfaces/);
  });

  it('keeps the objects of a file that holds fewer kids than it declares (as FlightGear does); strict refuses it', () => {
    const short = model.replace('kids 1\nOBJECT poly\nname "wing"', 'kids 2\nOBJECT poly\nname "wing"');
    const said: string[] = [];
    setLogger((_, message) => said.push(message));
    const m = parseAc3d(enc(short), 'short.ac');
    setLogger(() => {});
    expect(said).toEqual(['short.ac: ends 1 object short of its "kids" counts; kept the 3 it holds']);
    expect(Array.from(m.triangles)).toEqual(Array.from(parseAc3d(enc(model), 'plane.ac').triangles));
    expect(() => parseAc3d(enc(short), 'short.ac', { strict: true })).toThrow(/short\.ac: ends before all "kids" objects \(1 missing/);
  });

  it('skips blank lines inside objects and surfaces', () => {
    const gappy = model.replace('refs 3\n0 0 0', 'refs 3\n\n0 0 0').replace('numvert 3', '\nnumvert 3');
    expect(Array.from(parseAc3d(enc(gappy), 'gappy.ac').positions)).toEqual(Array.from(parseAc3d(enc(model), 'plane.ac').positions));
  });

  it("reads TORCS' triangle strips (.acc, SURF type 4) with one winding, dropping the joins' empty triangles", () => {
    // A 2×1 band of 6 vertices as a strip 0 1 2 3 4 5 (both rows, alternating), then a join (5 5).
    const acc = `AC3Db\nOBJECT world\nkids 1\nOBJECT poly\nnumvert 6\n0 0 0\n0 1 0\n1 0 0\n1 1 0\n2 0 0\n2 1 0\nnumsurf 1\nSURF 0x34\nmat 0\nrefs 7\n0 0 0 0 0\n1 0 0 0 0\n2 0 0 0 0\n3 0 0 0 0\n4 0 0 0 0\n5 0 0 0 0\n5 0 0 0 0\nkids 0\n`;
    const m = parseMesh(enc(acc), 'car.acc');
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 2, 1, 3, 2, 3, 4, 4, 3, 5]);
    // Every triangle's normal points the same way (−z here).
    const p = m.positions;
    for (let t = 0; t < m.triangles.length; t += 3) {
      const [a, b, c] = [0, 1, 2].map((k) => m.triangles[t + k]! * 3);
      const cross = (p[b]! - p[a]!) * (p[c + 1]! - p[a + 1]!) - (p[b + 1]! - p[a + 1]!) * (p[c]! - p[a]!);
      expect(cross).toBeLessThan(0);
    }
  });

  it('is chosen by parseMesh for .ac', () => {
    expect(parseMesh(enc(model), 'x/PLANE.AC').triangles.length).toBe(9);
  });

  it.each([
    ['another format', 'OFF\n3 1 0\n', /not an AC3D file/],
    ['a vertex count larger than the file', model.replace('numvert 3', 'numvert 3000000'), /line 11: declares 3000000 vertices but only \d+ lines follow/],
    ['a surface index out of range', model.replace('refs 3\n0 0 0\n1 0 0\n2 0 0', 'refs 3\n0 0 0\n1 0 0\n7 0 0'), /surface refers to vertex 7, but the object has 3/],
    ['a bad vertex', model.replace('1 0 0\n0 1 0', '1 zero 0\n0 1 0'), /bad vertex/],
    ['an unknown field', model.replace('name "wing"', 'wingspan 3'), /unknown object field "wingspan"/],
    ['a file cut inside an object', model.slice(0, model.indexOf('kids 1\nOBJECT poly\nname "wing"') - 5), /truncated/],
  ])('refuses %s with a FormatError naming the file', (_, text, why) => {
    const run = () => parseAc3d(enc(text as string), 'bad.ac');
    expect(run).toThrow(FormatError);
    expect(run).toThrow(why as RegExp);
  });
});

describe('OFF variants', () => {
  it('reads COFF with RGBA per vertex and a colour per face, counts on the keyword line or the next', () => {
    const coff = 'COFF\n# a comment\n4 2 0\n0 0 0 192 192 192 255\n1 0 0 192 192 192 255\n1 1 0 1 2 3 4\n0 1 0 5 6 7 8\n3 0 1 2 255 0 0\n3 0 2 3\n';
    const m = parseOff(enc(coff), 'c.off');
    expect(Array.from(m.positions)).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0]);
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(parseOff(enc('OFF 3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n')).triangles.length).toBe(3);
    expect(parseOff(enc('NOFF\n3 1 0\n0 0 0 0 0 1\n1 0 0 0 0 1\n0 1 0 0 0 1\n4 0 1 2 0 0\n')).triangles.length).toBe(6);
  });

  it("reads ModelNet's files whose first count is glued to the keyword", () => {
    const m = parseOff(enc('OFF4 2 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n3 0 2 3\n'), 'bathtub_0107.off');
    expect(m.positions.length).toBe(12);
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(() => parseOff(enc('OFFX 2 0\n'), 'x.off')).toThrow('x.off: not an OFF file (starts with "OFFX")');
  });

  it.each([
    ['a face longer than its line', 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n', /face 1 has a bad vertex count "4"/],
    ['a vertex with two numbers', 'OFF\n3 1 0\n0 0\n1 0 0\n0 1 0\n3 0 1 2\n', /vertex 1 has 2 numbers/],
    ['a fractional index', 'OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1.5 2\n', /not an integer/],
  ])('refuses %s', (_, text, why) => {
    expect(() => parseOff(enc(text as string), 'bad.off')).toThrow(why as RegExp);
  });
});

describe('3DS', () => {
  const twoObjects = () => tds([{ name: 'wing', vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0], faces: [0, 1, 2, 2, 1, 3] }, { name: 'tail', vertices: [5, 5, 5, 6, 5, 5, 5, 6, 5], faces: [0, 1, 2] }]);

  it('concatenates the meshes of every object, skipping chunks that are not geometry', () => {
    const m = parse3ds(twoObjects(), 'jet.3ds');
    expect(Array.from(m.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 5, 5, 5, 6, 5, 5, 5, 6, 5]);
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 2, 1, 3, 4, 5, 6]);
    expect(parseMesh(twoObjects(), 'x/JET.3DS').triangles.length).toBe(9);
  });

  it.each([
    ['another format', () => new TextEncoder().encode('OFF\n3 1 0\n'), /not a 3DS file/],
    ['a cut file', () => twoObjects().slice(0, 60), /truncated or damaged/],
    ['a vertex count larger than its chunk', () => tds([{ name: 'a', vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], faces: [0, 1, 2], vertexCount: 900 }]), /declares 900 vertices but holds 3/],
    ['a face index past the mesh', () => tds([{ name: 'a', vertices: [0, 0, 0, 1, 0, 0, 0, 1, 0], faces: [0, 1, 3] }]), /face 1 of the mesh at byte \d+ refers to vertex 3, but the mesh has 3/],
    ['no geometry', () => tds([]), /has no vertices/],
  ])('refuses %s with a FormatError naming the file', (_, make, why) => {
    const run = () => parse3ds((make as () => Uint8Array)(), 'bad.3ds');
    expect(run).toThrow(FormatError);
    expect(run).toThrow(why as RegExp);
  });
});
