/**
 * CIFAR-10 and CIFAR-100 (Krizhevsky, 2009) as they are distributed, and as torchvision keeps
 * them: the python version (pickled batches `data_batch_1` … `data_batch_5` and `test_batch`
 * with `batches.meta`; CIFAR-100's `train` and `test` with `meta`) and the binary version
 * (`data_batch_1.bin` …, `test_batch.bin`, `batches.meta.txt`; CIFAR-100's `train.bin`, `test.bin`,
 * `fine_label_names.txt`). Each image is 3072 bytes: 1024 red, 1024 green, 1024 blue values, in
 * rows of 32. The short-run MCMC paper (Nijkamp et al., 2019) trains on CIFAR-10.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decodePickle, type NpyArray, type PickleValue } from '@ebm/core';
import { ImageFormatError } from '../errors';
import type { Image } from '../image';

const SIDE = 32;
const PIXELS = SIDE * SIDE * 3;

export interface CifarBatch {
  images: Image[];
  /** Class of every image (CIFAR-100: the fine label). */
  labels: Int32Array;
}

export interface CifarSet extends CifarBatch {
  /** Class names in label order, from the meta file beside the batches when there is one. */
  classes?: string[];
  /** The batch files read, in order. */
  files: string[];
}

/**
 * The images and labels of one CIFAR batch file, python (a pickled dict of `data`, N × 3072
 * uint8, and `labels` or `fine_labels`) or binary (records of a label byte — CIFAR-100: coarse
 * and fine — and 3072 pixel bytes), told apart by their bytes.
 * @throws ImageFormatError naming the file when it is neither, or damaged.
 */
export function decodeCifarBatch(bytes: Uint8Array, name: string): CifarBatch {
  if (bytes[0] === 0x80) return pickledBatch(decodePickle(bytes, name), name);
  // Binary: CIFAR-10 records are 3073 bytes, CIFAR-100's 3074 (coarse label, fine label).
  const hundred = /(^|[/\\])(train|test)\.bin$/i.test(name) || bytes.length % (PIXELS + 1) !== 0;
  const record = PIXELS + (hundred ? 2 : 1);
  if (bytes.length === 0 || bytes.length % record !== 0) throw new ImageFormatError(name, `is not a CIFAR batch: neither a pickle nor records of ${PIXELS + 1} (CIFAR-10) or ${PIXELS + 2} (CIFAR-100) bytes (it has ${bytes.length} bytes; truncated?)`);
  const n = bytes.length / record;
  const labels = new Int32Array(n);
  const images: Image[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = bytes[i * record + record - PIXELS - 1]!;
    images.push(planarImage(bytes.subarray(i * record + record - PIXELS, (i + 1) * record)));
  }
  return { images, labels };
}

function pickledBatch(v: PickleValue, name: string): CifarBatch {
  const d = v as Record<string, PickleValue>;
  const data = d?.data as NpyArray | undefined;
  const labels = (d?.labels ?? d?.fine_labels) as number[] | undefined;
  if (!data || !(data.data instanceof Float32Array)) throw new ImageFormatError(name, 'is a pickle without the `data` array of a CIFAR batch');
  if (data.shape.length !== 2 || data.shape[1] !== PIXELS) throw new ImageFormatError(name, `holds data of shape (${data.shape.join(', ')}), not CIFAR's (N, ${PIXELS})`);
  const n = data.shape[0]!;
  if (!Array.isArray(labels) || labels.length !== n || !labels.every((l) => Number.isInteger(l) && (l as number) >= 0)) throw new ImageFormatError(name, `has no list of ${n} class labels (\`labels\` or \`fine_labels\`)`);
  const bytes = Uint8Array.from(data.data);
  return { images: Array.from({ length: n }, (_, i) => planarImage(bytes.subarray(i * PIXELS, (i + 1) * PIXELS))), labels: Int32Array.from(labels as number[]) };
}

/** 1024 red, 1024 green, 1024 blue bytes → a 32×32 RGB image in [0, 1]. */
function planarImage(b: Uint8Array): Image {
  const plane = SIDE * SIDE;
  const data = new Float32Array(PIXELS);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) data[3 * p + c] = b[c * plane + p]! / 255;
  return { width: SIDE, height: SIDE, channels: 3, data };
}

/** Batch file names of each version and part, in reading order. */
const BATCHES = {
  train: [/^data_batch_\d+(\.bin)?$/, /^train(\.bin)?$/],
  test: [/^test_batch(\.bin)?$/, /^test(\.bin)?$/],
};
const isBatchName = (f: string, part: 'train' | 'test') => BATCHES[part].some((r) => r.test(f));
/** Meta files: the pickled `batches.meta` / `meta` (python) or the names list (binary). */
const META = ['batches.meta', 'meta', 'batches.meta.txt', 'fine_label_names.txt'];

/**
 * Whether a path is a CIFAR folder (holding `data_batch_1`, `data_batch_1.bin`, or CIFAR-100's
 * `train` beside `meta` / `train.bin` beside `fine_label_names.txt`) or one CIFAR batch file.
 */
export async function isCifarPath(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return false;
  const names = st.isDirectory() ? await readdir(path).catch(() => [] as string[]) : [basename(path)];
  const siblings = st.isDirectory() ? names : await readdir(dirname(path)).catch(() => [] as string[]);
  return names.some((f) => /^(data_batch_\d+|test_batch)(\.bin)?$/.test(f) || (/^(train|test)(\.bin)?$/.test(f) && siblings.some((s) => s === 'meta' || s === 'fine_label_names.txt')));
}

/**
 * A CIFAR-10 or CIFAR-100 set: `part` 'train' (default) reads every training batch of a folder,
 * 'test' its test batch; a batch file given directly is read alone. Class names come from the
 * meta file beside the batches (`label_names` / `fine_label_names`, or the lines of the text file).
 * @throws ImageFormatError naming the file that cannot be read, or the folder without batches.
 */
export async function loadCifar(path: string, options: { part?: 'train' | 'test' } = {}): Promise<CifarSet> {
  const st = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new ImageFormatError(path, `cannot be read (${e.code ?? e.message})`);
  });
  const dir = st.isDirectory() ? path : dirname(path);
  const names = (await readdir(dir)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const part = options.part ?? 'train';
  const files = st.isDirectory() ? names.filter((f) => isBatchName(f, part)).map((f) => join(dir, f)) : [path];
  if (files.length === 0) throw new ImageFormatError(path, `holds no CIFAR ${part} batches (data_batch_N or test_batch, with or without .bin; CIFAR-100: ${part}, ${part}.bin)`);
  const images: Image[] = [];
  const labels: number[] = [];
  for (const f of files) {
    const b = decodeCifarBatch(new Uint8Array(await readFile(f)), f);
    images.push(...b.images);
    labels.push(...b.labels);
  }
  const classes = await classNames(dir, names);
  return { images, labels: Int32Array.from(labels), ...(classes ? { classes } : {}), files };
}

/** Class names from the meta file beside the batches, when there is one that can be read. */
async function classNames(dir: string, names: string[]): Promise<string[] | undefined> {
  const meta = META.find((m) => names.includes(m));
  if (!meta) return undefined;
  const bytes = new Uint8Array(await readFile(join(dir, meta)));
  if (meta.endsWith('.txt')) return new TextDecoder().decode(bytes).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  try {
    const m = decodePickle(bytes, meta) as Record<string, PickleValue>;
    const list = (m.fine_label_names ?? m.label_names) as PickleValue[] | undefined;
    return Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : x instanceof Uint8Array ? new TextDecoder('latin1').decode(x) : String(x))) : undefined;
  } catch {
    return undefined;
  }
}
