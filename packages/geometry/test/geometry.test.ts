/**
 * Mesh writing and reading round trips for every format, the procedural shapes, and the shared view.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, InvalidOptionError } from '@ebm/core';
import { DEFAULT_VIEW, dot, loadMesh, MESH_EXTENSIONS, saveMesh, SHAPE_CATEGORIES, shapeMesh, viewFrom, type TriangleMesh } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-geometry-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const tetra: TriangleMesh = { positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1.5), triangles: Uint32Array.of(0, 2, 1, 0, 1, 3, 0, 3, 2, 1, 2, 3) };

describe('mesh files', () => {
  it.each(MESH_EXTENSIONS)('%s: saveMesh then loadMesh gives the same triangles', async (ext) => {
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
