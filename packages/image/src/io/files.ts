/** Image, GIF and IDX files on disk. */
import { access, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ImageFormatError } from '../errors';
import type { Image } from '../image';
import { decodeImage, type DecodeOptions } from './decode';
import { encodeJpeg, encodePng } from '@ebm/core';
import { encodeGif, type GifOptions } from './gif';
import { decodeIdx, idxImages, idxLabels } from './idx';

/** Extensions of the single-image files `loadImage` reads (the format itself is read from the bytes). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.tif', '.tiff', '.pgm', '.ppm', '.pbm', '.pnm'] as const;

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new ImageFormatError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Reads a PNG, JPEG, GIF (first frame), BMP, TIFF or PBM/PGM/PPM file.
 * @throws ImageFormatError naming the file.
 */
export async function loadImage(path: string, options: DecodeOptions = {}): Promise<Image> {
  return decodeImage(await bytesOf(path), path, options);
}

/** Writes an image as PNG, or JPEG for .jpg/.jpeg, or a one-frame GIF for .gif. */
export async function saveImage(path: string, img: Image): Promise<void> {
  const ext = extname(path).toLowerCase();
  const bytes = ext === '.png' ? encodePng(img) : ext === '.jpg' || ext === '.jpeg' ? encodeJpeg(img) : ext === '.gif' ? encodeGif([img]) : undefined;
  if (!bytes) throw new ImageFormatError(path, `unsupported extension "${ext}" (images are written as .png, .jpg or .gif)`);
  await writeFile(path, bytes);
}

/** Writes frames as an animated GIF. */
export async function saveGif(path: string, frames: readonly Image[], options: GifOptions = {}): Promise<void> {
  await writeFile(path, encodeGif(frames, options));
}

/** True for IDX file names as distributed (`train-images-idx3-ubyte`, `…​.idx3-ubyte.gz`, `x.idx`). */
export function isIdxPath(path: string): boolean {
  const name = basename(path).toLowerCase().replace(/\.gz$/, '');
  return /idx\d-u?byte$/.test(name) || /[-.]idx\d$/.test(name) || name.endsWith('.idx');
}

/**
 * Reads the images of an IDX file (plain or gzipped).
 * @throws ImageFormatError naming the file.
 */
export async function loadIdxImages(path: string): Promise<Image[]> {
  return idxImages(decodeIdx(await bytesOf(path), path), path);
}

/**
 * Reads the labels of an IDX file.
 * @throws ImageFormatError naming the file.
 */
export async function loadIdxLabels(path: string): Promise<Int32Array> {
  return idxLabels(decodeIdx(await bytesOf(path), path), path);
}

/**
 * The labels file that MNIST-style naming puts beside an images file (`images` → `labels`,
 * `idx3` → `idx1`, with or without .gz), or undefined when there is none.
 */
export async function findLabelsFile(imagesPath: string): Promise<string | undefined> {
  const name = basename(imagesPath);
  const stem = name.replace(/images/i, (m) => (m === 'IMAGES' ? 'LABELS' : m[0] === 'I' ? 'Labels' : 'labels')).replace(/idx3/i, 'idx1');
  if (stem === name) return undefined;
  const bare = stem.replace(/\.gz$/i, '');
  for (const cand of [stem, bare, `${bare}.gz`]) {
    const p = join(dirname(imagesPath), cand);
    if (await access(p).then(() => true, () => false)) return p;
  }
  return undefined;
}
