import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBinvox, loadGrid, makeGrids, resampleGrid, voxelIndex, type VoxelGrid } from '../src';

const empty = (a: number, b = a, c = a): VoxelGrid => ({ dims: [a, b, c], data: new Uint8Array(a * b * c) });
const set = (g: VoxelGrid, x: number, y: number, z: number, v = 1) => (g.data[voxelIndex(g.dims, x, y, z)] = v);
const occupied = (g: VoxelGrid) => {
  const out: number[][] = [];
  const [a, b, c] = g.dims;
  for (let x = 0; x < a; x++) for (let y = 0; y < b; y++) for (let z = 0; z < c; z++) if (g.data[voxelIndex(g.dims, x, y, z)]! > 0.5) out.push([x, y, z]);
  return out;
};

describe('resampleGrid', () => {
  it('keeps a grid of the asked side as it is', () => {
    const g = makeGrids('chair', 1, { size: 16, seed: 3 })[0]!;
    expect(Array.from(resampleGrid(g, 16).data)).toEqual(Array.from(g.data));
  });

  it('keeps a line one fine voxel wide when halving the side (max over each 2³ block)', () => {
    const g = empty(32);
    for (let y = 0; y < 32; y++) set(g, 5, y, 30);
    const r = resampleGrid(g, 16);
    expect(r.dims).toEqual([16, 16, 16]);
    expect(occupied(r)).toEqual(Array.from({ length: 16 }, (_, y) => [2, y, 15]));
  });

  it('upsamples by nearest cell, and pooling undoes it', () => {
    const g = makeGrids('cup', 1, { size: 16, seed: 1 })[0]!;
    const up = resampleGrid(g, 32);
    expect(up.data[voxelIndex(up.dims, 7, 9, 11)]).toBe(g.data[voxelIndex(g.dims, 3, 4, 5)]);
    expect(Array.from(resampleGrid(up, 16).data)).toEqual(Array.from(g.data));
  });

  it('pads a 30³ volume to 32³ as 3D DescriptorNet does, then pools it 2:1', () => {
    for (const i of [0, 1, 14, 15, 28, 29]) {
      const g = empty(30);
      set(g, i, 29 - i, 0);
      const cell = (k: number) => Math.floor((k + 1) / 2);
      expect(occupied(resampleGrid(g, 16))).toEqual([[cell(i), cell(29 - i), 0]]);
      expect(occupied(resampleGrid(g, 32))).toEqual([[i + 1, 30 - i, 1]]);
    }
  });

  it('maps a 20³ voxel to the 16³ cell holding its centre', () => {
    for (const i of [0, 1, 9, 10, 18, 19]) {
      const g = empty(20);
      set(g, i, 19 - i, 0);
      const cell = (k: number) => Math.floor(((k + 0.5) * 16) / 20);
      expect(occupied(resampleGrid(g, 16))).toEqual([[cell(i), cell(19 - i), 0]]);
    }
  });

  it('centres a non-cubic grid in a cube of its longest side', () => {
    const g = empty(8, 4, 2);
    set(g, 0, 0, 0);
    set(g, 7, 3, 1);
    expect(occupied(resampleGrid(g, 8))).toEqual([[0, 2, 3], [7, 5, 4]]);
  });

  it('refuses a side it cannot allocate', () => {
    expect(() => resampleGrid(empty(4), 4096)).toThrow(/resampleGrid: size .*an integer in \[1, 512\]/);
    expect(() => resampleGrid(empty(4), 2.5)).toThrow(/an integer in \[1, 512\]/);
  });

  it('pools float grids by their largest value', () => {
    const g: VoxelGrid = { dims: [2, 2, 2], data: Float32Array.from([0.1, 0.2, 0.3, 0.9, 0, 0, 0.4, 0]) };
    const r = resampleGrid(g, 1);
    expect(r.data).toBeInstanceOf(Float32Array);
    expect(r.data[0]).toBeCloseTo(0.9);
  });
});

describe('loadGrid with a size', () => {
  it('resamples a voxel file of another side, and leaves it as stored without one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-resample-'));
    try {
      const g = makeGrids('table', 1, { size: 32, seed: 2 })[0]!;
      const file = join(dir, 'table.binvox');
      await writeFile(file, encodeBinvox(g));
      expect((await loadGrid(file)).dims).toEqual([32, 32, 32]);
      const small = await loadGrid(file, { size: 16 });
      expect(Array.from(small.data)).toEqual(Array.from(resampleGrid(g, 16).data));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('3D ShapeNets .mat volumes', () => {
  // scipy.io.savemat({'instance': v}, do_compression=True) of a 6³ uint8 grid with v[1:3, 0:5, 2] = 1 and v[4, 4, 4] = 1.
  const BOX = 'TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFR1ZSBEZWMgIDEgMjI6NDk6MTMgMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAAPAAAAHic42NgYJBgZGBgA9IcQMzJAAGsQMzDABGHYRBghKrLzCsuScxLTmUCsm8wUBEwMuIjqWMFCWoBKzUEpQ==';
  it('reads the instance grid with its axes as stored, and resamples it like any voxel file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-mat-'));
    try {
      const file = join(dir, 'chair_000000182_1.mat');
      await writeFile(file, Buffer.from(BOX, 'base64'));
      const g = await loadGrid(file);
      const expected = [...[1, 2].flatMap((x) => [0, 1, 2, 3, 4].map((y) => [x, y, 2])), [4, 4, 4]];
      expect(g.dims).toEqual([6, 6, 6]);
      expect(occupied(g)).toEqual(expected);
      expect(Array.from((await loadGrid(file, { size: 3 })).data)).toEqual(Array.from(resampleGrid(g, 3).data));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads a MATLAB 7.3 (HDF5) file with MATLAB's axis order, as a 5/7 file is read", async () => {
    // core/test/fixtures/h5/make.py: MATLAB's [4 3 2] `instance` with ones at (4, 3, 2) and (1, 2, 1), 1-based.
    const g = await loadGrid(join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'h5', 'v73.mat'));
    expect(g.dims).toEqual([4, 3, 2]);
    expect(occupied(g)).toEqual([[0, 1, 0], [3, 2, 1]]);
  });

  it('refuses a MATLAB 7.3 file without a 3-D array, naming its variables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-mat-'));
    try {
      const file = join(dir, 'v73.mat');
      await writeFile(file, await readFile(join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'h5', 'grouped.h5')));
      await expect(loadGrid(file)).rejects.toThrow(`${file}: has no variable "instance" and no 3-D array (variables: big 3×2)`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
