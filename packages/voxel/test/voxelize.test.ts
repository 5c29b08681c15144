import { readFileSync } from 'node:fs';
import { encodeObj, encodeStl, iou, makeGrids, occupancy, parseObj, parseOff, parsePly, parseStl, voxelizeMesh, voxelsToMesh, VoxelFormatError, type TriangleMesh } from '../src';

const enc = (s: string) => new TextEncoder().encode(s);
const CUBE_OBJ = `# unit cube as quads
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
v 0 0 1
v 1 0 1
v 1 1 1
v 0 1 1
f 1 4 3 2
f 5 6 7 8
f 1 2 6 5
f 2 3 7 6
f 3 4 8 7
f 4 1 5 8
`;

function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
}

function plyBinary(m: TriangleMesh, le: boolean): Uint8Array {
  const nv = m.positions.length / 3;
  const nf = m.triangles.length / 3;
  const head = enc(`ply\nformat binary_${le ? 'little' : 'big'}_endian 1.0\nelement vertex ${nv}\nproperty float x\nproperty float y\nproperty float z\nelement face ${nf}\nproperty list uchar int vertex_indices\nend_header\n`);
  const body = new DataView(new ArrayBuffer(nv * 12 + nf * 13));
  let o = 0;
  for (const v of m.positions) (body.setFloat32(o, v, le), (o += 4));
  for (let f = 0; f < nf; f++) {
    body.setUint8(o++, 3);
    for (let k = 0; k < 3; k++) (body.setInt32(o, m.triangles[3 * f + k]!, le), (o += 4));
  }
  return cat(head, new Uint8Array(body.buffer));
}

describe('mesh formats', () => {
  const cube = parseObj(enc(CUBE_OBJ), 'cube.obj');

  it('OBJ quads are triangulated', () => {
    expect(cube.positions.length / 3).toBe(8);
    expect(cube.triangles.length / 3).toBe(12);
  });

  it('STL (binary, ASCII), OFF and PLY (ASCII, binary LE/BE) give the same surface', () => {
    const stl = parseStl(encodeStl(cube));
    expect(stl.triangles.length / 3).toBe(12);
    const ascii = `solid cube\n${Array.from({ length: 12 }, (_, t) => `facet normal 0 0 0\nouter loop\n${[0, 1, 2].map((k) => `vertex ${Array.from(cube.positions.subarray(3 * cube.triangles[3 * t + k]!, 3 * cube.triangles[3 * t + k]! + 3)).join(' ')}`).join('\n')}\nendloop\nendfacet`).join('\n')}\nendsolid cube\n`;
    expect(parseStl(enc(ascii)).positions).toEqual(stl.positions);
    const off = `OFF\n8 6 0\n${Array.from({ length: 8 }, (_, i) => Array.from(cube.positions.subarray(3 * i, 3 * i + 3)).join(' ')).join('\n')}\n4 0 3 2 1\n4 4 5 6 7\n4 0 1 5 4\n4 1 2 6 5\n4 2 3 7 6\n4 3 0 4 7\n`;
    const fromOff = parseOff(enc(off));
    expect(fromOff.triangles).toEqual(cube.triangles);
    const plyAscii = `ply\nformat ascii 1.0\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\nelement face 6\nproperty list uchar int vertex_indices\nend_header\n${off.split('\n').slice(2).join('\n')}`;
    expect(parsePly(enc(plyAscii)).triangles).toEqual(cube.triangles);
    for (const le of [true, false]) {
      const m = parsePly(plyBinary(cube, le));
      expect(m.positions).toEqual(cube.positions);
      expect(m.triangles).toEqual(cube.triangles);
    }
  });

  it.each([
    ['a truncated binary STL', () => parseStl(encodeStl(parseObj(enc(CUBE_OBJ))).subarray(0, 300), 'x.stl'), /x\.stl: binary STL says 12 triangles \(684 bytes\) but has 300 bytes \(truncated or damaged\)/],
    ['an OBJ face past the vertices', () => parseObj(enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n'), 'x.obj'), /x\.obj: face refers to vertex 9, but there are 3/],
    ['an OBJ without faces', () => parseObj(enc('v 0 0 0\n'), 'x.obj'), /x\.obj: has no triangles/],
    ['a PLY in an unknown format', () => parsePly(enc('ply\nformat binary_middle_endian 1.0\nend_header\n'), 'x.ply'), /x\.ply: unsupported PLY format "binary_middle_endian"/],
    ['a truncated binary PLY', () => parsePly(plyBinary(parseObj(enc(CUBE_OBJ)), true).subarray(0, 200), 'x.ply'), /x\.ply: ends early \(truncated\)/],
    ['an OFF with a bad header', () => parseOff(enc('COFFEE\n'), 'x.off'), /x\.off: not an OFF file/],
  ])('rejects %s with a VoxelFormatError naming the file', (_, f, msg) => {
    expect(f).toThrow(VoxelFormatError);
    expect(f).toThrow(msg);
  });
});

describe('voxelizeMesh', () => {
  it('fills a closed cube solid, inside its one-voxel margin', () => {
    const g = voxelizeMesh(parseObj(enc(CUBE_OBJ)), { size: 16 });
    const n = 16;
    const at = (x: number, y: number, z: number) => g.data[(x * n + y) * n + z];
    expect(at(8, 8, 8)).toBe(1); // interior, filled by the flood fill's complement
    expect(at(0, 0, 0)).toBe(0);
    // The cube spans [1, 15] on every axis: 14³ voxels plus the far surface layer (15³); sample points
    // that land exactly on a voxel face may round to the voxel outside it, a few dozen at most.
    expect(occupancy(g)).toBeGreaterThanOrEqual(14 ** 3 / 16 ** 3);
    expect(occupancy(g)).toBeLessThanOrEqual((15 ** 3 + 64) / 16 ** 3);
  });

  it('recovers voxel shapes from their own boundary meshes', () => {
    for (const g of [...makeGrids('cup', 2, { seed: 3 }), ...makeGrids('chair', 2, { seed: 3 })]) {
      const back = voxelizeMesh(parseObj(enc(encodeObj(voxelsToMesh(g)))), { size: 32, fit: 'none', close: 0 });
      // Faces lie on voxel boundaries, so the surface layer on the far side of each face can be added.
      expect(iou(back, g)).toBeGreaterThan(0.6);
      // Nothing of the shape is lost.
      for (let i = 0; i < g.data.length; i++) if (g.data[i]) expect(back.data[i]).toBe(1);
    }
  });
});

describe('real meshes (npm stl-models: Stanford bunny, gear wheel)', () => {
  const objects = require.resolve('stl-models/package.json').replace('package.json', 'objects/');

  it('voxelizes the 69k-triangle Stanford bunny into a standing, solid shape', async () => {
    const { loadGrid } = await import('../src');
    const g = await loadGrid(`${objects}bunny.bin.stl`, { size: 32 });
    // Measured: 20% of the grid (8.6% without hole closing, a shell: the scan's base is open); the ears reach the top margin.
    expect(occupancy(g)).toBeGreaterThan(0.12);
    expect(occupancy(g)).toBeLessThan(0.3);
    let top = 0;
    for (let i = 0; i < g.data.length; i++) if (g.data[i]) top = Math.max(top, Math.floor(i / 32) % 32);
    expect(top).toBeGreaterThanOrEqual(29);
    // Solid, not a shell: many occupied voxels have all six neighbours occupied.
    const at = (x: number, y: number, z: number) => (x < 0 || y < 0 || z < 0 || x > 31 || y > 31 || z > 31 ? 0 : g.data[(x * 32 + y) * 32 + z]!);
    let total = 0;
    let interior = 0;
    for (let x = 0; x < 32; x++)
      for (let y = 0; y < 32; y++)
        for (let z = 0; z < 32; z++) {
          if (!at(x, y, z)) continue;
          total++;
          if (at(x + 1, y, z) && at(x - 1, y, z) && at(x, y + 1, z) && at(x, y - 1, z) && at(x, y, z + 1) && at(x, y, z - 1)) interior++;
        }
    expect(interior / total).toBeGreaterThan(0.3);
    // loadGrid on a mesh file = parse + voxelizeMesh.
    expect(iou(voxelizeMesh(parseStl(new Uint8Array(readFileSync(`${objects}bunny.bin.stl`))), { size: 32 }), g)).toBe(1);
  });

  it('keeps the gear wheel\'s axle hole open (the flood fill reaches it from the border)', async () => {
    const { loadGrid } = await import('../src');
    const g = await loadGrid(`${objects}gearwheel.bin.stl`, { size: 32, up: 'z' });
    const n = 32;
    let holeOccupied = 0;
    for (let y = 0; y < n; y++) holeOccupied += g.data[(16 * n + y) * n + 16]!;
    expect(holeOccupied).toBe(0);
    expect(occupancy(g)).toBeGreaterThan(0.05);
  });
});
