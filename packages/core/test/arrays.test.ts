import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeArrays, encodeNpy, FormatError, pickArray } from '../src';
import { zip } from './zip';

const h5 = (name: string) => new Uint8Array(readFileSync(join(__dirname, 'fixtures', 'h5', name)));
const npz = zip({ 'x_train.npy': encodeNpy(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]), 'y_train.npy': encodeNpy(Float32Array.of(7, 8), [2]) }, true);

it('reads HDF5 files and .npz archives as named arrays, told apart by their bytes', async () => {
  expect((await decodeArrays(h5('pointnet.h5'), 'p.h5')).map((a) => [a.path, a.shape])).toEqual([['data', [3, 16, 3]], ['label', [3, 1]]]);
  const arrays = await decodeArrays(npz, 'mnist.npz');
  expect(arrays.map((a) => [a.path, a.shape, a.dtype])).toEqual([['x_train', [2, 3], '<f4'], ['y_train', [2], '<f4']]);
  expect(Array.from(arrays[0]!.read().data)).toEqual([1, 2, 3, 4, 5, 6]);
  await expect(decodeArrays(new TextEncoder().encode('x y z\n'), 'a.npz')).rejects.toThrow('a.npz: is neither an HDF5 file nor an .npz archive');
  await expect(decodeArrays(npz.subarray(0, 40), 'cut.npz')).rejects.toThrow(FormatError);
});

it('picks the first preferred name that fits, else the largest that fits, else lists what the file has', async () => {
  const arrays = await decodeArrays(h5('imnet.h5'), 'imnet.h5');
  const grids = (shape: number[]) => shape.length === 5;
  expect(pickArray(arrays, 'imnet.h5', { names: ['voxels'], fits: () => true, what: 'grids' }).path).toBe('voxels');
  expect(pickArray(arrays, 'imnet.h5', { names: ['nothing'], fits: (s) => s.length === 3, what: 'points' }).path).toBe('points_16');
  expect(pickArray(arrays, 'imnet.h5', { names: ['points_16'], fits: grids, what: 'grids' }).path).toBe('voxels');
  expect(() => pickArray(arrays, 'imnet.h5', { names: [], fits: () => false, what: 'clouds (N, P, 3)' })).toThrow('imnet.h5: holds no array of clouds (N, P, 3) (it has points_16 (2, 32, 3), values_16 (2, 32, 1), voxels (2, 8, 8, 8, 1))');
});
