import { encodeObj, encodeStl, makeGrids, renderGrids, renderGrid, voxelsToMesh, type VoxelGrid } from '../src';

const grid = (n: number, on: [number, number, number][]): VoxelGrid => {
  const g: VoxelGrid = { dims: [n, n, n], data: new Uint8Array(n * n * n) };
  for (const [x, y, z] of on) g.data[(x * n + y) * n + z] = 1;
  return g;
};

describe('voxels to mesh', () => {
  it('one voxel is a cube: 8 vertices, 12 outward triangles', () => {
    const m = voxelsToMesh(grid(3, [[1, 1, 1]]));
    expect(m.positions.length / 3).toBe(8);
    expect(m.triangles.length / 3).toBe(12);
    // Outward orientation: the signed volume of the closed surface is +1 voxel.
    let vol = 0;
    const p = m.positions;
    for (let t = 0; t < m.triangles.length; t += 3) {
      const [a, b, c] = [m.triangles[t]! * 3, m.triangles[t + 1]! * 3, m.triangles[t + 2]! * 3];
      vol += (p[a]! * (p[b + 1]! * p[c + 2]! - p[b + 2]! * p[c + 1]!) - p[a + 1]! * (p[b]! * p[c + 2]! - p[b + 2]! * p[c]!) + p[a + 2]! * (p[b]! * p[c + 1]! - p[b + 1]! * p[c]!)) / 6;
    }
    expect(vol).toBeCloseTo(1, 6);
  });

  it('two neighbours share their inner face: 12 vertices, 10 quads', () => {
    const m = voxelsToMesh(grid(3, [[0, 0, 0], [1, 0, 0]]));
    expect(m.positions.length / 3).toBe(12);
    expect(m.triangles.length / 3).toBe(20);
  });

  it('writes OBJ and binary STL', () => {
    const m = voxelsToMesh(makeGrids('chair', 1, { seed: 1 })[0]!);
    const obj = encodeObj(m);
    expect(obj.split('\n').filter((l) => l.startsWith('v ')).length).toBe(m.positions.length / 3);
    expect(obj.split('\n').filter((l) => l.startsWith('f ')).length).toBe(m.triangles.length / 3);
    const stl = encodeStl(m);
    expect(stl.length).toBe(84 + 50 * (m.triangles.length / 3));
    expect(new DataView(stl.buffer).getUint32(80, true)).toBe(m.triangles.length / 3);
  });
});

describe('renders', () => {
  const inked = (r: ReturnType<typeof renderGrid>) => {
    let n = 0;
    for (let i = 0; i < r.data.length; i += 4) if (r.data[i] !== 255 || r.data[i + 1] !== 255 || r.data[i + 2] !== 255) n++;
    return n / (r.width * r.height);
  };

  it('an empty grid renders blank, a shape covers part of the picture', () => {
    expect(inked(renderGrid(grid(16, []), { size: 64 }))).toBe(0);
    const cover = inked(renderGrid(makeGrids('table', 1, { seed: 2 })[0]!, { size: 64 }));
    expect(cover).toBeGreaterThan(0.05);
    expect(cover).toBeLessThan(0.8);
  });

  it('lays renders out in a grid with captions', () => {
    const r = renderGrids(makeGrids('cup', 3, { seed: 1 }), { size: 48, cols: 2, captions: ['a', 'b', 'c'] });
    expect([r.width, r.height]).toEqual([96, 2 * (48 + 12)]);
    expect(r.toPng().subarray(1, 4).toString()).toBe('PNG');
  });
});
