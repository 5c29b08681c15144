/**
 * Images stored as arrays: an .npy of N×H×W or N×H×W×C (or one H×W×C image), or an .npz or HDF5
 * archive such as Keras' `mnist.npz` (x_train with y_train beside it). Channels-first arrays
 * (N×C×H×W, as PyTorch code saves them) are turned channels-last, an alpha channel is dropped,
 * and values are mapped to [0, 1] from whichever range they are in: [0, 1] as is, 0–255 (any
 * dtype) divided by 255, [−1, 1] (a tanh generator's output) shifted.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeArrays, decodeNpy, pickArray, unitRangeOf, type NpyArray } from '@ebm/core';
import { ImageFormatError } from '../errors';
import type { Image } from '../image';

export const ARRAY_EXTENSIONS = ['.npy', '.npz', '.h5', '.hdf5'] as const;

/** True for .npy, .npz and HDF5 paths. */
export function isArrayPath(path: string): boolean {
  return (ARRAY_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/** Names of image arrays in the archives users have (Keras' `x_train`, `np.savez`'s `arr_0`, …), in order of preference. */
const IMAGE_ARRAYS = ['x_train', 'x', 'images', 'imgs', 'data', 'arr_0'];

/** Images (and labels, from an archive that holds them) of an .npy, .npz or HDF5 file. */
export async function loadArrayImages(path: string): Promise<{ images: Image[]; labels?: Int32Array; arrays: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ImageFormatError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (extname(path).toLowerCase() === '.npy') return { images: arrayImages(decodeNpy(bytes, path), path), arrays: 'the array' };
  const all = await decodeArrays(bytes, path);
  const picked = pickArray(all, path, { names: IMAGE_ARRAYS, fits: (shape) => shape.length >= 2, what: 'images' });
  const key = picked.path;
  const images = arrayImages(picked.read(), `${path}:${key}`);
  const labelNames = [key.replace(/^x/i, 'y'), 'labels', 'label', 'y'].map((n) => n.toLowerCase());
  const labelSet = labelNames.map((n) => all.find((a) => a !== picked && a.path.toLowerCase() === n)).find((a) => a !== undefined);
  if (labelSet === undefined) return { images, arrays: key };
  const labelKey = labelSet.path;
  const l = labelSet.read();
  const n = l.shape.length === 2 && l.shape[1] === 1 ? l.shape[0] : l.shape.length === 1 ? l.shape[0] : undefined;
  if (n !== images.length) throw new ImageFormatError(path, `${labelKey} (${l.shape.join('×')}) is not one label for each of the ${images.length} images of ${key}`);
  if (l.data.some((v) => !(Number.isInteger(v) && v >= 0))) throw new ImageFormatError(path, `${labelKey} holds a value that is not a class number (labels are non-negative integers)`);
  return { images, labels: Int32Array.from(l.data), arrays: `${key} with labels ${labelKey}` };
}

/** The images of one array (see the file's comment for the shapes and ranges taken). */
export function arrayImages(a: NpyArray, path: string): Image[] {
  let s = a.shape;
  const isC = (c: number | undefined) => c === 1 || c === 3 || c === 4;
  // One image: H×W, or H×W×C.
  if (s.length === 2 || (s.length === 3 && isC(s[2]))) s = [1, ...s];
  if (s.length === 3) s = [...s, 1];
  let chw = false;
  if (s.length === 4 && !isC(s[3]) && isC(s[1])) chw = true;
  if (s.length !== 4 || !isC(chw ? s[1] : s[3])) throw new ImageFormatError(path, `holds an array of shape ${a.shape.join('×')}, not images (N×H×W, N×H×W×C or N×C×H×W with C = 1, 3 or 4)`);
  const [n, d1, d2, d3] = s as [number, number, number, number];
  const [height, width, c] = chw ? [d2, d3, d1] : [d1, d2, d3];
  if (n * height * width === 0) throw new ImageFormatError(path, `holds no pixels (shape ${a.shape.join('×')})`);
  const channels: 1 | 3 = c === 1 ? 1 : 3;
  const map = unitRangeOf(a.data, path);
  const plane = height * width;
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(plane * channels);
    for (let p = 0; p < plane; p++)
      for (let k = 0; k < channels; k++) data[p * channels + k] = map(a.data[chw ? (i * c + k) * plane + p : (i * plane + p) * c + k]!);
    return { width, height, channels, data };
  });
}
