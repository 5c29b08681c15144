import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from './errors';

export interface ClassSplit<T> {
  classes: string[];
  train: T[];
  trainLabels: number[];
  /** Examples for choosing a classifier's settings (not trained on, not scored). */
  val: T[];
  valLabels: number[];
  test: T[];
  testLabels: number[];
}

/**
 * A labelled data set from a folder with one subfolder per class (sorted by name = label order).
 * A class folder holding train/ and test/ (the ModelNet layout) is split that way; otherwise its
 * last quarter (at least one example) is the test set. The last fifth of each class's training
 * examples (at least one) is the validation set. `load` reads one folder's examples in a fixed order.
 * @throws InputError naming the folder when it cannot be read or a class has too few examples.
 */
export async function readClassFolders<T>(dir: string, load: (folder: string) => Promise<T[]>): Promise<ClassSplit<T>> {
  let names: string[];
  try {
    // Hidden and tool folders are not classes: .git, .ipynb_checkpoints, and the __MACOSX copy
    // that ModelNet's zip files carry.
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('__')).map((e) => e.name).sort();
  } catch (e) {
    throw new InputError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (names.length < 2) throw new InputError(`${dir}: classification needs one subfolder per class, found ${names.length}${names.length === 1 ? ` (${names[0]}: if it holds the class folders, pass ${join(dir, names[0]!)})` : ''}`);
  const byClass: { train: T[]; test?: T[] }[] = [];
  for (const name of names) {
    const folder = join(dir, name);
    const sub = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    byClass.push(sub.includes('train') && sub.includes('test') ? { train: await load(join(folder, 'train')), test: await load(join(folder, 'test')) } : { train: await load(folder) });
  }
  return splitClasses(names, byClass, (k) => join(dir, names[k]!));
}

/**
 * A labelled data set from examples grouped by class (`byClass[k]` holds class k's), split as
 * `readClassFolders` splits its folders: a class's `test` examples, or without them the last
 * quarter of its `train` ones (at least one); the last fifth of each class's training examples
 * (at least one) for validation.
 * @throws InputError naming `where(k)` when class k has fewer than 3 examples.
 */
export function splitClasses<T>(classes: string[], byClass: { train: T[]; test?: T[] }[], where: (k: number) => string): ClassSplit<T> {
  const out: ClassSplit<T> = { classes: [...classes], train: [], trainLabels: [], val: [], valLabels: [], test: [], testLabels: [] };
  for (const [k, c] of byClass.entries()) {
    let tr = c.train;
    let te = c.test;
    if (!te) {
      const held = Math.max(1, Math.floor(tr.length / 4));
      te = tr.slice(tr.length - held);
      tr = tr.slice(0, tr.length - held);
    }
    if (tr.length < 2 || te.length < 1) throw new InputError(`${where(k)}: needs at least 3 examples (training, validation and test), found ${tr.length + te.length}`);
    const val = Math.max(1, Math.floor(tr.length / 5));
    const add = (part: 'train' | 'val' | 'test', xs: T[]) => xs.forEach((x) => (out[part].push(x), out[`${part}Labels`].push(k)));
    add('train', tr.slice(0, tr.length - val));
    add('val', tr.slice(tr.length - val));
    add('test', te);
  }
  return out;
}

/**
 * The accuracy of always answering the commonest class of `labels`: the floor a classifier must
 * beat when the classes are unequal in size (as real catalogues are).
 */
export function majorityAccuracy(labels: readonly number[]): number {
  if (labels.length === 0) return NaN;
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}
