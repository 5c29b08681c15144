import { InputError } from '@ebm/core';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CATEGORIES, loadVoxels, makeShapes, type Category, type VoxelGrid } from '@ebm/voxel';

const EXTENSIONS = ['.binvox', '.npy', '.obj', '.stl', '.off', '.ply'];


/** Shapes from a folder of voxel or mesh files (meshes are voxelized at `size`), or procedural ones. */
export async function loadShapes(data: string | undefined, category: string, n: number, size: number, seed: number): Promise<{ grids: VoxelGrid[]; source: string }> {
  if (data === undefined) {
    if (!CATEGORIES.includes(category as Category)) throw new InputError(`unknown --category "${category}" (${CATEGORIES.join(', ')})`);
    return { grids: makeShapes(category as Category, n, { size, seed }), source: `${n} procedural ${category}s` };
  }
  let files: string[];
  try {
    files = (await readdir(data)).filter((f) => EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  } catch (e) {
    throw new InputError(`${data}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (files.length === 0) throw new InputError(`${data}: no voxel or mesh files (${EXTENSIONS.join(', ')})`);
  const grids: VoxelGrid[] = [];
  for (const f of files) {
    const path = join(data, f);
    // A damaged file raises VoxelFormatError, which the CLI reports in one line naming the file.
    const g = await loadVoxels(path, { size });
    if (g.dims.some((d) => d !== size)) throw new InputError(`${path}: is ${g.dims.join('×')}, this run uses ${size}³ grids`);
    grids.push(g);
  }
  return { grids, source: `${grids.length} shapes from ${data}` };
}

/**
 * Training shapes and unseen test shapes: procedural ones from two seeds, or a --data folder whose
 * last quarter (at least one file) is held out.
 */
export async function loadSplit(data: string | undefined, category: string, nTrain: number, nTest: number, size: number, seed: number): Promise<{ train: VoxelGrid[]; test: VoxelGrid[]; source: string }> {
  if (data === undefined) {
    const { grids, source } = await loadShapes(undefined, category, nTrain, size, seed);
    return { train: grids, test: makeShapes(category as Category, nTest, { size, seed: seed + 1000 }), source };
  }
  const { grids, source } = await loadShapes(data, category, 0, size, seed);
  if (grids.length < 2) throw new InputError(`${data}: needs at least 2 shapes (training and held-out), found ${grids.length}`);
  const held = Math.max(1, Math.floor(grids.length / 4));
  return { train: grids.slice(0, grids.length - held), test: grids.slice(grids.length - held), source: `${source} (${held} held out)` };
}

export interface LabelledShapes {
  classes: string[];
  train: VoxelGrid[];
  trainLabels: number[];
  /** Shapes for choosing the classifier's settings (not trained on, not scored). */
  val: VoxelGrid[];
  valLabels: number[];
  test: VoxelGrid[];
  testLabels: number[];
  source: string;
}

/**
 * Labelled shapes for classification: the procedural categories in random poses (training,
 * validation and test shapes from different seeds), or a --data folder with one subfolder per
 * class. A class folder with train/ and test/ inside (the ModelNet layout) is split that way;
 * otherwise its last quarter (at least one file) is the test set. With --data the last fifth of each
 * class's training shapes (at least one) is the validation set.
 */
export async function loadClasses(data: string | undefined, perClass: { train: number; val: number; test: number }, size: number, seed: number): Promise<LabelledShapes> {
  const out = { classes: [] as string[], train: [] as VoxelGrid[], trainLabels: [] as number[], val: [] as VoxelGrid[], valLabels: [] as number[], test: [] as VoxelGrid[], testLabels: [] as number[] };
  const add = (part: 'train' | 'val' | 'test', grids: VoxelGrid[], k: number) => {
    for (const g of grids) (out[part].push(g), out[`${part}Labels`].push(k));
  };
  if (data === undefined) {
    CATEGORIES.forEach((c, k) => {
      out.classes.push(c);
      add('train', makeShapes(c, perClass.train, { size, seed: seed + k, pose: 'random' }), k);
      add('val', makeShapes(c, perClass.val, { size, seed: seed + 2000 + k, pose: 'random' }), k);
      add('test', makeShapes(c, perClass.test, { size, seed: seed + 1000 + k, pose: 'random' }), k);
    });
    return { ...out, source: `${CATEGORIES.length} procedural classes in random poses, ${perClass.train} training + ${perClass.val} validation + ${perClass.test} test shapes each` };
  }
  let entries;
  try {
    entries = (await readdir(data, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (e) {
    throw new InputError(`${data}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (entries.length < 2) throw new InputError(`${data}: classify needs one subfolder per class, found ${entries.length}`);
  for (const [k, c] of entries.entries()) {
    const dir = join(data, c);
    const sub = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    let tr: VoxelGrid[];
    let te: VoxelGrid[];
    if (sub.includes('train') && sub.includes('test')) {
      tr = (await loadShapes(join(dir, 'train'), c, 0, size, seed)).grids;
      te = (await loadShapes(join(dir, 'test'), c, 0, size, seed)).grids;
    } else {
      const all = (await loadShapes(dir, c, 0, size, seed)).grids;
      const held = Math.max(1, Math.floor(all.length / 4));
      tr = all.slice(0, all.length - held);
      te = all.slice(all.length - held);
    }
    if (tr.length < 2 || te.length < 1) throw new InputError(`${dir}: needs at least 3 shapes (training, validation and test), found ${tr.length + te.length}`);
    const val = Math.max(1, Math.floor(tr.length / 5));
    out.classes.push(c);
    add('train', tr.slice(0, tr.length - val), k);
    add('val', tr.slice(tr.length - val), k);
    add('test', te, k);
  }
  return { ...out, source: `${entries.length} classes from ${data} (${out.train.length} training, ${out.val.length} validation, ${out.test.length} test shapes)` };
}
