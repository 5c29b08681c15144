import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setLogger } from '@ebm/core';
import { decodeBinvox, encodeBinvox, encodeNpy, iou, loadGrid, loadGrids, makeGrids, saveGrid, VoxelFormatError, type VoxelGrid } from '../src';
import { zip } from '../../core/test/zip';

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

  it('reads a stacked .npy of grids as many grids, skipping a bad one, and one grid as one', async () => {
    const gs = makeGrids('cup', 3, { size: 16, seed: 1 });
    const stack = new Float32Array(3 * 16 ** 3);
    gs.forEach((g, i) => stack.set(g.data, i * 16 ** 3));
    await writeFile(join(dir, 'stack.npy'), encodeNpy(stack, [3, 16, 16, 16]));
    const back = await loadGrids(join(dir, 'stack.npy'));
    expect(back.map((g, i) => iou(g, gs[i]!))).toEqual([1, 1, 1]);
    // With a trailing channel axis, resampled to a size.
    await writeFile(join(dir, 'stack5.npy'), encodeNpy(stack, [3, 16, 16, 16, 1]));
    expect((await loadGrids(join(dir, 'stack5.npy'), { size: 32 })).map((g) => g.dims)).toEqual([[32, 32, 32], [32, 32, 32], [32, 32, 32]]);
    const warnings: string[] = [];
    setLogger((_, m) => warnings.push(m));
    try {
      stack[16 ** 3 + 5] = 7;
      await writeFile(join(dir, 'stack-bad.npy'), encodeNpy(stack, [3, 16, 16, 16]));
      expect(await loadGrids(join(dir, 'stack-bad.npy'))).toHaveLength(2);
      expect(warnings[0]).toBe(`${join(dir, 'stack-bad.npy')}: skipped grid 1 of 3: holds the value 7: voxel grids hold occupancy in [0, 1] (rescale 0–255 data by 1/255)`);
    } finally {
      setLogger(() => {});
    }
    await writeFile(join(dir, 'all-bad.npy'), encodeNpy(new Float32Array(2 * 8).fill(255), [2, 2, 2, 2]));
    await expect(loadGrids(join(dir, 'all-bad.npy'))).rejects.toThrow(`${join(dir, 'all-bad.npy')}: none of its 2 grids could be used (grid 0: holds the value 255`);
    // np.save of a list of grids of different sides (an object array): each one grid, resampled to a size.
    const objects = join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'pickle', 'grids-object.npy');
    expect((await loadGrids(objects)).map((g) => g.dims)).toEqual([[4, 4, 4], [6, 6, 6]]);
    expect((await loadGrids(objects, { size: 8 })).map((g) => g.dims)).toEqual([[8, 8, 8], [8, 8, 8]]);
    // One grid (with a leading or trailing axis of 1) and a mesh: one grid each.
    await writeFile(join(dir, 'one.npy'), encodeNpy(gs[0]!.data, [1, 16, 16, 16]));
    expect(await loadGrids(join(dir, 'one.npy'))).toHaveLength(1);
    await writeFile(join(dir, 'one-c.npy'), encodeNpy(gs[0]!.data, [16, 16, 16, 1]));
    expect(await loadGrids(join(dir, 'one-c.npy'))).toHaveLength(1);
    await saveGrid(join(dir, 'b.binvox'), gs[0]!);
    expect(await loadGrids(join(dir, 'b.binvox'))).toHaveLength(1);
  });

  it('reads HDF5 grids: a named stack beside point samples, or the largest grid-shaped dataset', async () => {
    // h5py-written fixtures shared with @ebm/core's HDF5 tests (core/test/fixtures/h5/make.py).
    const h5 = (name: string) => join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'h5', name);
    const imnet = await loadGrids(h5('imnet.h5'));
    expect(imnet.map((g) => g.dims)).toEqual([[8, 8, 8], [8, 8, 8]]);
    expect(imnet.map((g) => Array.from(g.data))).toEqual([0, 1].map((n) => Array.from({ length: 512 }, (_, i) => ((n * 512 + i) % 5 === 0 ? 1 : 0))));
    const unnamed = await loadGrids(h5('unnamed.h5'), { size: 12 });
    expect(unnamed.map((g) => g.dims)).toEqual([[12, 12, 12], [12, 12, 12]]);
    expect(Array.from((await loadGrids(h5('voxels.h5')))[1]!.data.subarray(0, 6))).toEqual([0, 0, 1, 0, 0, 1]); // grid 1 starts at 64: 66 % 3 = 0
    // An .npz as np.savez writes it, its one array named arr_0.
    await writeFile(join(dir, 'grids.npz'), zip({ 'arr_0.npy': encodeNpy(new Float32Array(2 * 4 ** 3).fill(1), [2, 4, 4, 4]) }, false));
    expect((await loadGrids(join(dir, 'grids.npz'))).map((g) => g.dims)).toEqual([[4, 4, 4], [4, 4, 4]]);
    await expect(loadGrid(h5('imnet.h5'))).rejects.toThrow(`${h5('imnet.h5')}: expected a 3-D array, got shape (2, 8, 8, 8, 1)`);
    await expect(loadGrids(h5('pointnet.h5'))).rejects.toThrow(`${h5('pointnet.h5')}: holds no array of voxel grids ([D, H, W] or [N, D, H, W]) (it has data (3, 16, 3), label (3, 1))`);
  });

  it('names the file when it cannot be used', async () => {
    await expect(loadGrid(join(dir, 'missing.binvox'))).rejects.toThrow(`${join(dir, 'missing.binvox')}: cannot read (ENOENT)`);
    await writeFile(join(dir, 'x.xyz'), '0 0 0\n');
    await expect(loadGrid(join(dir, 'x.xyz'))).rejects.toThrow('unsupported extension ".xyz" (voxel files: .binvox, .npy, .npz, .h5, .mat; meshes: .obj, .stl, .off, .ply, .ac, .acc, .3ds)');
    await writeFile(join(dir, 'flat.npy'), encodeNpy(Float32Array.from([1, 2, 3, 4]), [2, 2]));
    await expect(loadGrid(join(dir, 'flat.npy'))).rejects.toThrow('expected a 3-D array, got shape (2, 2)');
    await writeFile(join(dir, 'nan.npy'), encodeNpy(Float32Array.from([1, NaN, 0, 0, 0, 0, 0, 0]), [2, 2, 2]));
    await expect(loadGrid(join(dir, 'nan.npy'))).rejects.toThrow(VoxelFormatError);
  });
});
