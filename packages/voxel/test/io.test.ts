import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBinvox, encodeBinvox, encodeNpy, iou, loadGrid, makeGrids, saveGrid, VoxelFormatError, type VoxelGrid } from '../src';

const header = (dims: string) => new TextEncoder().encode(`#binvox 1\ndim ${dims}\ntranslate 0.1 0.2 0.3\nscale 2.5\ndata\n`);
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

describe('binvox', () => {
  it('decodes a hand-written file in x-z-y order', () => {
    // 2×2×2 grid, binvox order (x slowest, then z, then y): only the 2nd voxel (x=0, z=0, y=1) and the last are set.
    const bytes = cat(header('2 2 2'), Uint8Array.from([0, 1, 1, 1, 0, 5, 1, 1]));
    const g = decodeBinvox(bytes);
    expect(g.dims).toEqual([2, 2, 2]);
    expect(g.translate).toEqual([0.1, 0.2, 0.3]);
    expect(g.scale).toBe(2.5);
    // (x, y, z) C order: (0, 1, 0) → index 2; (1, 1, 1) → index 7.
    expect(Array.from(g.data)).toEqual([0, 0, 1, 0, 0, 0, 0, 1]);
  });

  it('round-trips procedural shapes', () => {
    for (const g of makeGrids('chair', 2, { seed: 1 }).concat(makeGrids('cup', 2, { seed: 2 }))) {
      const back = decodeBinvox(encodeBinvox(g));
      expect(back.dims).toEqual(g.dims);
      expect(iou(back, g)).toBe(1);
      expect(Array.from(back.data)).toEqual(Array.from(g.data));
    }
  });

  it.each([
    ['not binvox', new TextEncoder().encode('solid cube\nfacet normal 0 0 1\n'), /^chair\.binvox: not a binvox file/],
    ['bad dims', cat(new TextEncoder().encode('#binvox 1\ndim 2 x 2\ndata\n'), Uint8Array.from([0, 8])), /bad or missing "dim" line/],
    ['truncated', cat(header('2 2 2'), Uint8Array.from([0, 3])), /data ends after 3 of 8 voxels \(truncated\)/],
    ['overlong run', cat(header('2 2 2'), Uint8Array.from([1, 9])), /run of 9 voxels at byte \d+ does not fit the 2×2×2 grid \(damaged\)/],
  ])('rejects a %s file with a VoxelFormatError naming it', (_, bytes, msg) => {
    expect(() => decodeBinvox(bytes, 'chair.binvox')).toThrow(VoxelFormatError);
    expect(() => decodeBinvox(bytes, 'chair.binvox')).toThrow(msg);
  });
});

describe('voxel files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ebm-voxel-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves and loads .binvox and .npy', async () => {
    const [g] = makeGrids('table', 1, { seed: 3 }) as [VoxelGrid];
    for (const ext of ['binvox', 'npy']) {
      await saveGrid(join(dir, `t.${ext}`), g);
      const back = await loadGrid(join(dir, `t.${ext}`));
      expect(back.dims).toEqual([32, 32, 32]);
      expect(iou(back, g)).toBe(1);
    }
  });

  it('names the file when it cannot be used', async () => {
    await expect(loadGrid(join(dir, 'missing.binvox'))).rejects.toThrow(`${join(dir, 'missing.binvox')}: cannot read (ENOENT)`);
    await writeFile(join(dir, 'x.xyz'), '0 0 0\n');
    await expect(loadGrid(join(dir, 'x.xyz'))).rejects.toThrow('unsupported extension ".xyz" (voxel files: .binvox, .npy, .mat; meshes: .obj, .stl, .off, .ply, .ac, .acc, .3ds)');
    await writeFile(join(dir, 'flat.npy'), encodeNpy(Float32Array.from([1, 2, 3, 4]), [2, 2]));
    await expect(loadGrid(join(dir, 'flat.npy'))).rejects.toThrow('expected a 3-D array, got shape (2, 2)');
    await writeFile(join(dir, 'nan.npy'), encodeNpy(Float32Array.from([1, NaN, 0, 0, 0, 0, 0, 0]), [2, 2, 2]));
    await expect(loadGrid(join(dir, 'nan.npy'))).rejects.toThrow(VoxelFormatError);
  });
});
