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
  const out: ClassSplit<T> = { classes: [], train: [], trainLabels: [], val: [], valLabels: [], test: [], testLabels: [] };
  let names: string[];
  try {
    // Hidden and tool folders are not classes: .git, .ipynb_checkpoints, and the __MACOSX copy
    // that ModelNet's zip files carry.
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('__')).map((e) => e.name).sort();
  } catch (e) {
    throw new InputError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (names.length < 2) throw new InputError(`${dir}: classification needs one subfolder per class, found ${names.length}${names.length === 1 ? ` (${names[0]}: if it holds the class folders, pass ${join(dir, names[0]!)})` : ''}`);
  for (const [k, name] of names.entries()) {
    const folder = join(dir, name);
    const sub = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    let tr: T[];
    let te: T[];
    if (sub.includes('train') && sub.includes('test')) {
      tr = await load(join(folder, 'train'));
      te = await load(join(folder, 'test'));
    } else {
      const all = await load(folder);
      const held = Math.max(1, Math.floor(all.length / 4));
      tr = all.slice(0, all.length - held);
      te = all.slice(all.length - held);
    }
    if (tr.length < 2 || te.length < 1) throw new InputError(`${folder}: needs at least 3 examples (training, validation and test), found ${tr.length + te.length}`);
    const val = Math.max(1, Math.floor(tr.length / 5));
    out.classes.push(name);
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
