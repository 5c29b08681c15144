/**
 * Mesh writing and reading round trips for every format, the procedural shapes, and the shared view.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, InvalidOptionError } from '@ebm/core';
import { DEFAULT_VIEW, dot, loadMesh, MESH_EXTENSIONS, parseMesh, parsePly, proceduralShape, saveMesh, SHAPE_CATEGORIES, shapeMesh, viewFrom, type TriangleMesh } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-geometry-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const tetra: TriangleMesh = { positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1.5), triangles: Uint32Array.of(0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3) };

describe('mesh files', () => {
  it.each(MESH_EXTENSIONS.filter((e) => !['.ac', '.acc', '.3ds'].includes(e)))('%s: saveMesh then loadMesh gives the same triangles', async (ext) => {
    const path = join(dir, `tetra${ext}`);
    await saveMesh(path, tetra);
    const back = await loadMesh(path);
    // STL stores each triangle's corners: compare triangle by triangle, corner coordinates.
    const corners = (m: TriangleMesh) => Array.from(m.triangles, (v) => Array.from(m.positions.subarray(3 * v, 3 * v + 3)));
    expect(corners(back)).toEqual(corners(tetra));
  });

  it('refuses an unknown extension, naming the file', async () => {
    await expect(saveMesh(join(dir, 'x.glb'), tetra)).rejects.toThrow(FormatError);
    await expect(loadMesh(join(dir, 'x.glb'))).rejects.toThrow(/x\.glb/);
  });
});

describe('point sets with invalid points', () => {
  const ply = (rows: string[], faces = '') => new TextEncoder().encode(`ply\nformat ascii 1.0\nelement vertex ${rows.length}\nproperty float x\nproperty float y\nproperty float z\n${faces ? 'element face 1\nproperty list uchar int vertex_indices\n' : ''}end_header\n${rows.join('\n')}\n${faces}`);
  it('drops NaN points of a point set (a depth camera writes invalid pixels so) and keeps the rest', () => {
    const m = parsePly(ply(['0 0 0', 'nan nan nan', '1 2 3', 'inf 0 0']), 'scan.ply', { faces: 'optional' });
    expect(Array.from(m.positions)).toEqual([0, 0, 0, 1, 2, 3]);
    expect(() => parsePly(ply(['nan nan nan']), 'scan.ply', { faces: 'optional' })).toThrow('scan.ply: has no points with finite coordinates (all 1 are NaN or infinite)');
  });
  it('still refuses a NaN vertex of a mesh, whose faces refer to it', () => {
    expect(() => parsePly(ply(['0 0 0', 'nan 0 0', '0 1 0'], '3 0 1 2\n'), 'mesh.ply', { faces: 'optional' })).toThrow('mesh.ply: has a vertex coordinate that is not a finite number');
    expect(() => parsePly(ply(['0 0 0', 'nan 0 0']), 'pts.ply')).toThrow(FormatError);
  });
});

describe('text variants that exporters write', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const bom = (t: string) => Uint8Array.from([0xef, 0xbb, 0xbf, ...enc(t)]);
  it('reads OBJ, OFF, PLY and ASCII STL after a UTF-8 byte-order mark', () => {
    expect(parseMesh(bom('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'), 'bom.obj').positions.length).toBe(9);
    expect(parseMesh(bom('OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n'), 'bom.off').triangles.length).toBe(3);
    const ply = 'ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n';
    expect(Array.from(parseMesh(bom(ply), 'bom.ply').positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
    expect(parseMesh(bom('solid a\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid a\n'), 'bom.stl').triangles.length).toBe(3);
  });
  it('joins OBJ lines continued with a backslash, and numbers errors by the first line', () => {
    const m = parseMesh(enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nv 0 0 1\nf 1 2 \\\n 3 4\n'), 'cont.obj');
    expect(Array.from(m.triangles)).toEqual([0, 1, 2, 0, 2, 3]);
    expect(() => parseMesh(enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 \\\n x 3\n'), 'bad.obj')).toThrow('bad.obj: line 4: bad face');
  });
  it('reads ASCII STL written in upper case', () => {
    const m = parseMesh(enc('SOLID PART\nFACET NORMAL 0 0 1\nOUTER LOOP\nVERTEX 0 0 0\nVERTEX 1 0 0\nVERTEX 0 1 0\nENDLOOP\nENDFACET\nENDSOLID PART\n'), 'upper.stl');
    expect(Array.from(m.positions)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0]);
  });
});

describe('collapsed files', () => {
  it('refuses a mesh or point set whose vertices all sit at one point, naming the file and the point', () => {
    const obj = new TextEncoder().encode('v 1 2 3\nv 1 2 3\nv 1 2 3\nf 1 2 3\n');
    expect(() => parseMesh(obj, 'empty-object.obj')).toThrow('empty-object.obj: has all 3 vertices at one point (1, 2, 3): nothing to read a shape from');
    expect(() => parseMesh(new TextEncoder().encode('v 0 0 0\n'), 'one.obj', { faces: 'optional' })).toThrow(FormatError);
    // Flat is not collapsed: a square in the plane z = 0 is a shape.
    expect(parseMesh(new TextEncoder().encode('v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1 2 3 4\n'), 'square.obj').triangles.length).toBe(6);
  });
});

describe('procedural shapes', () => {
  it.each(SHAPE_CATEGORIES)('%s: seeded, about one unit across, standing on y = 0, centred', (c) => {
    const a = shapeMesh(c, 3);
    expect(shapeMesh(c, 3)).toEqual(a);
    expect(shapeMesh(c, 4).positions).not.toEqual(a.positions);
    const axis = (k: number) => Array.from(a.positions).filter((_, i) => i % 3 === k);
    const [xs, ys, zs] = [axis(0), axis(1), axis(2)];
    expect(Math.min(...ys)).toBeCloseTo(0, 5);
    expect(Math.max(...ys)).toBeLessThanOrEqual(1.2);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0.3);
    expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(1.2);
    // Centred on the y axis in z (the cup's handle makes x asymmetric on purpose).
    expect(Math.abs(Math.max(...zs) + Math.min(...zs))).toBeLessThan(1e-5);
    expect(Math.max(...a.triangles)).toBeLessThan(a.positions.length / 3);
  });

  it.each(SHAPE_CATEGORIES)('%s: the mesh bounds the solid (every face has the inside on one side, the outside far away)', (c) => {
    const { mesh, contains } = proceduralShape(c, 5);
    const p = mesh.positions;
    const t = mesh.triangles;
    for (let f = 0; f < t.length; f += 3) {
      const [a, b, d] = [3 * t[f]!, 3 * t[f + 1]!, 3 * t[f + 2]!];
      const u = [p[b]! - p[a]!, p[b + 1]! - p[a + 1]!, p[b + 2]! - p[a + 2]!];
      const v = [p[d]! - p[a]!, p[d + 1]! - p[a + 1]!, p[d + 2]! - p[a + 2]!];
      const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
      const len = Math.hypot(n[0]!, n[1]!, n[2]!);
      if (len < 1e-9) continue; // degenerate quads at the poles of surfaces of revolution
      const centre = [0, 1, 2].map((k) => (p[a + k]! + p[b + k]! + p[d + k]!) / 3);
      const side = (s: number) => contains(centre[0]! + (s * n[0]!) / len, centre[1]! + (s * n[1]!) / len, centre[2]! + (s * n[2]!) / len);
      // 5e-3: more than the sagitta of the tessellated curved surfaces (under 2e-3), less than any part is thick.
      expect(side(5e-3) || side(-5e-3)).toBe(true);
    }
    expect(contains(0, -0.01, 0)).toBe(false);
    expect(contains(2, 0.5, 0)).toBe(false);
  });

  it('refuses an unknown category', () => {
    expect(() => shapeMesh('sofa' as never)).toThrow(InvalidOptionError);
  });
});

describe('the shared view', () => {
  it('is orthonormal with y up on screen', () => {
    for (const v of [DEFAULT_VIEW, viewFrom([1, -0.2, 0.3])]) {
      expect(dot(v.dir, v.dir)).toBeCloseTo(1, 12);
      expect(dot(v.right, v.right)).toBeCloseTo(1, 12);
      expect(dot(v.up, v.up)).toBeCloseTo(1, 12);
      expect(dot(v.dir, v.right)).toBeCloseTo(0, 12);
      expect(dot(v.dir, v.up)).toBeCloseTo(0, 12);
      expect(v.up[1]).toBeGreaterThan(0);
      expect(v.right[1]).toBeCloseTo(0, 12);
    }
    expect(() => viewFrom([0, -1, 0])).toThrow(/not along the up axis/);
  });
});
