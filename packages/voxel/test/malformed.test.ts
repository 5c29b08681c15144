/** Malformed voxel files found by fuzzing: each is refused with a VoxelFormatError naming the file, cheaply. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBinvox, decodeNpy, encodeBinvox, encodeNpy, loadGrid, makeGrids, VoxelFormatError } from '../src';
import { fuzzReader, refusal } from '../../core/test/mutate';

const enc = (s: string) => new TextEncoder().encode(s);

it.each([
  ['a version-2 .npy whose header length does not fit', () => decodeNpy(Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 0xff, 0xff), 'f'), /header runs past the end of the file \(truncated\)/],
  ['a .npy of shape (1e300, 1e300, 0)', () => decodeNpy(npyWithShape('1e300, 1e300, 0'), 'f'), /bad shape \(1e300, 1e300, 0\)/],
  ['binvox dim 1024³ with 60 bytes of data', () => decodeBinvox(new Uint8Array([...enc('#binvox 1\ndim 1024 1024 1024\ndata\n'), ...new Array(60).fill(1)]), 'f'), /1024×1024×1024 grid needs 1073741824 voxels but its 60 data bytes hold at most 7650 \(truncated\)/],
  ['binvox translate NaN inf', () => decodeBinvox(new Uint8Array([...enc('#binvox 1\ndim 2 2 2\ntranslate NaN inf 0\nscale 1\ndata\n'), 0, 8]), 'f'), /bad "translate" line/],
])('refuses %s', (_, f, msg) => {
  const { error, ms } = refusal(f);
  expect(error).toBeInstanceOf(VoxelFormatError);
  expect((error as Error).message).toMatch(msg);
  expect(ms).toBeLessThan(100);
});

function npyWithShape(shape: string): Uint8Array {
  const header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape}), }`.padEnd(117, ' ') + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(enc(header), 10);
  return out;
}

it.each([[255], [7.5], [-3]])('refuses a .npy voxel grid holding %d', async (v) => {
  const dir = await mkdtemp(join(tmpdir(), 'ebm-npy-'));
  const data = new Float32Array(8).fill(0);
  data[3] = v;
  await writeFile(join(dir, 'g.npy'), encodeNpy(data, [2, 2, 2]));
  await expect(loadGrid(join(dir, 'g.npy'))).rejects.toThrow(new RegExp(`g\\.npy: holds the value ${String(v).replace('.', '\\.')}: voxel grids hold occupancy in \\[0, 1\\]`));
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['binvox', () => encodeBinvox(makeGrids('cup', 1, { size: 16, seed: 3 })[0]!), (b: Uint8Array, n: string) => decodeBinvox(b, n)],
  ['npy (uint8)', () => encodeNpy(makeGrids('chair', 1, { size: 16, seed: 3 })[0]!.data, [16, 16, 16]), (b: Uint8Array, n: string) => decodeNpy(b, n)],
  ['npy (float32)', () => encodeNpy(Float32Array.from(makeGrids('torus', 1, { size: 16, seed: 3 })[0]!.data), [16, 16, 16]), (b: Uint8Array, n: string) => decodeNpy(b, n)],
] as const)('%s reader under 300 seeded mutations', (format, make, read) => {
  it('returns a consistent array or throws a VoxelFormatError naming the file, within a bounded time', () => {
    fuzzReader(make(), read as (b: Uint8Array, n: string) => { data: ArrayLike<number>; dims?: number[]; shape?: number[] }, {
      seed: format.length * 131,
      errorClass: VoxelFormatError,
      validate: (r) => {
        const shape = r.dims ?? r.shape!;
        expect(r.data.length).toBe(shape.reduce((a, b) => a * b, 1));
      },
    });
  });
});
