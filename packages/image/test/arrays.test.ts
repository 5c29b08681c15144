import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, FormatError, type NpyArray } from '@ebm/core';
import { arrayImages, isArrayPath, loadArrayImages } from '../src';
import { zip } from '../../core/test/zip';

const arr = (shape: number[], values: number[], dtype = '<f4'): NpyArray => ({ shape, data: Float32Array.from(values), dtype });

describe('arrayImages', () => {
  it('reads N×H×W gray images, mapping 0–255 to [0, 1]', () => {
    const imgs = arrayImages(arr([2, 1, 2], [0, 255, 51, 102], '|u1'), 'x.npy');
    expect(imgs.map((i) => [i.width, i.height, i.channels])).toEqual([[2, 1, 1], [2, 1, 1]]);
    expect(Array.from(imgs[1]!.data)).toEqual([0.2, 0.4].map(Math.fround));
  });

  it('turns channels-first arrays channels-last and drops alpha', () => {
    // One 1×2 image, N×C×H×W with C = 4: planes R = (0, 1), G = (0.5, 0.5), B = (1, 0), A = (1, 1).
    const [img] = arrayImages(arr([1, 4, 1, 2], [0, 1, 0.5, 0.5, 1, 0, 1, 1]), 'x.npy');
    expect(img!.channels).toBe(3);
    expect(Array.from(img!.data)).toEqual([0, 0.5, 1, 1, 0.5, 0]);
  });

  it('takes one H×W×3 image, and maps [−1, 1] to [0, 1]', () => {
    const imgs = arrayImages(arr([1, 2, 3], [-1, 0, 1, 1, 0, -1]), 'x.npy');
    expect(imgs).toHaveLength(1);
    expect(Array.from(imgs[0]!.data)).toEqual([0, 0.5, 1, 1, 0.5, 0]);
  });

  it.each([
    ['a 1-D array', arr([4], [0, 0, 0, 0]), /holds an array of shape 4, not images/],
    ['5 channels', arr([1, 2, 2, 5], new Array(20).fill(0)), /holds an array of shape 1×2×2×5, not images/],
    ['values up to 300', arr([1, 1, 2], [0, 300]), /holds values from 0 to 300: pixels must lie in \[0, 1\], 0–255 or \[−1, 1\]/],
    ['NaN', arr([1, 1, 2], [0, NaN]), /holds NaN or infinite values/],
  ])('refuses %s with a FormatError naming the file', (_, a, msg) => {
    expect(() => arrayImages(a, 'bad.npy')).toThrow(FormatError);
    expect(() => arrayImages(a, 'bad.npy')).toThrow(msg);
  });
});

const npz = (files: Record<string, Uint8Array>) => zip(files, true);

describe('loadArrayImages', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ebm-arrays-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads Keras' mnist.npz layout: x_train with y_train as labels", async () => {
    const file = join(dir, 'mnist.npz');
    await writeFile(file, npz({ 'x_train.npy': encodeNpy(Uint8Array.from([0, 255, 255, 0, 9, 9, 9, 9]), [2, 2, 2]), 'y_train.npy': encodeNpy(Float32Array.from([7, 2]), [2]), 'x_test.npy': encodeNpy(new Uint8Array(4), [1, 2, 2]) }));
    expect(isArrayPath(file)).toBe(true);
    const r = await loadArrayImages(file);
    expect(r.arrays).toBe('x_train with labels y_train');
    expect(r.images.map((i) => `${i.width}×${i.height}×${i.channels}`)).toEqual(['2×2×1', '2×2×1']);
    expect(Array.from(r.labels!)).toEqual([7, 2]);
  });

  it('reads images and labels kept in an HDF5 file (labels of shape (N, 1) too)', async () => {
    // core/test/fixtures/h5/make.py: x_train (3, 4, 4, 3) uint8 = arange * 5 % 256, y_train [[4], [0], [9]].
    const file = join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'h5', 'images.h5');
    const r = await loadArrayImages(file);
    expect([r.images.length, r.images[0]!.width, r.images[0]!.channels, Array.from(r.labels!), r.arrays]).toEqual([3, 4, 3, [4, 0, 9], 'x_train with labels y_train']);
    expect(r.images[2]!.data[0]).toBeCloseTo(((96 * 5) % 256) / 255, 6);
    expect(isArrayPath(file)).toBe(true);
  });

  it('refuses labels that do not match the images, and unreadable files, naming the file', async () => {
    const file = join(dir, 'bad.npz');
    await writeFile(file, npz({ 'x_train.npy': encodeNpy(new Uint8Array(8), [2, 2, 2]), 'y_train.npy': encodeNpy(Float32Array.from([1, 2, 3]), [3]) }));
    await expect(loadArrayImages(file)).rejects.toThrow(`${file}: y_train (3) is not one label for each of the 2 images of x_train`);
    await expect(loadArrayImages(join(dir, 'missing.npy'))).rejects.toThrow(/missing\.npy: cannot be read \(ENOENT\)/);
  });
});
