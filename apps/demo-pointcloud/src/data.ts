import { createRequire } from 'node:module';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { InputError, loadMesh } from '@ebm/core';
import { CLOUD_EXTENSIONS, loadPointCloud, makeClouds, normalizeCloud, rotateY, sampleSurface, SHAPE_CATEGORIES, type PointCloud, type ShapeCategory } from '@ebm/pointcloud';

export const CATEGORIES = ['bunny', ...SHAPE_CATEGORIES] as const;

/** The Stanford bunny shipped by the npm package stl-models (69,451 triangles). */
async function bunnyClouds(n: number, points: number, seed: number, pose?: 'random'): Promise<PointCloud[]> {
  const path = createRequire(import.meta.url).resolve('stl-models/package.json').replace('package.json', 'objects/bunny.bin.stl');
  const mesh = await loadMesh(path);
  return Array.from({ length: n }, (_, i) => {
    const c = normalizeCloud(sampleSurface(mesh, points, seed * 7919 + i + 1));
    return pose ? rotateY(c, ((seed * 7919 + i) * 2.39996) % (2 * Math.PI)) : c;
  });
}

/** Clouds of a built-in category: bunny surface samples or procedural shapes. */
export async function categoryClouds(category: string, n: number, points: number, seed: number, pose?: 'random'): Promise<PointCloud[]> {
  if (category === 'bunny') return bunnyClouds(n, points, seed, pose);
  if (!SHAPE_CATEGORIES.includes(category as ShapeCategory)) throw new InputError(`unknown --category "${category}" (${CATEGORIES.join(', ')})`);
  return makeClouds(category as ShapeCategory, n, { points, seed, pose });
}

/** Every cloud or mesh file of a folder, with `points` points each, normalised to the unit ball. */
export async function folderClouds(dir: string, points: number, seed: number): Promise<PointCloud[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => CLOUD_EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  } catch (e) {
    throw new InputError(`${dir}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (files.length === 0) throw new InputError(`${dir}: no point-cloud or mesh files (${CLOUD_EXTENSIONS.join(', ')})`);
  const out: PointCloud[] = [];
  // A damaged file raises PointCloudFormatError, which the CLI reports in one line naming the file.
  for (const [i, f] of files.entries()) out.push(await loadPointCloud(join(dir, f), { points, seed: seed + i }));
  return out;
}

/**
 * Training and held-out clouds of one category: built-in ones from two seeds, or a --data folder
 * whose last quarter (at least one file) is held out.
 */
export async function loadSplit(data: string | undefined, category: string, nTrain: number, nHeld: number, points: number, seed: number): Promise<{ train: PointCloud[]; held: PointCloud[]; source: string }> {
  if (data === undefined) {
    const train = await categoryClouds(category, nTrain, points, seed);
    const held = await categoryClouds(category, nHeld, points, seed + 1000);
    return { train, held, source: category === 'bunny' ? `the Stanford bunny (stl-models), ${nTrain} surface samples` : `${nTrain} procedural ${category}s` };
  }
  const all = await folderClouds(data, points, seed);
  if (all.length < 2) throw new InputError(`${data}: needs at least 2 clouds (training and held-out), found ${all.length}`);
  const held = Math.max(1, Math.floor(all.length / 4));
  return { train: all.slice(0, all.length - held), held: all.slice(all.length - held), source: `${all.length} clouds from ${data} (${held} held out)` };
}

export interface LabelledClouds {
  classes: string[];
  train: PointCloud[];
  trainLabels: number[];
  val: PointCloud[];
  valLabels: number[];
  test: PointCloud[];
  testLabels: number[];
  source: string;
}

/**
 * Labelled clouds for classification: the built-in categories (bunny and the procedural shapes)
 * turned about the up axis at random, or a --data folder with one subfolder per class (train/ and
 * test/ inside, the ModelNet layout, or its last quarter held out). Validation clouds choose the
 * classifier's L2 penalty: separate seeds for built-in data, the last fifth of each class's
 * training files for --data.
 */
export async function loadClasses(data: string | undefined, perClass: { train: number; val: number; test: number }, points: number, seed: number): Promise<LabelledClouds> {
  const out = { classes: [] as string[], train: [] as PointCloud[], trainLabels: [] as number[], val: [] as PointCloud[], valLabels: [] as number[], test: [] as PointCloud[], testLabels: [] as number[] };
  const add = (part: 'train' | 'val' | 'test', clouds: PointCloud[], k: number) => {
    for (const c of clouds) (out[part].push(c), out[`${part}Labels`].push(k));
  };
  if (data === undefined) {
    for (const [k, c] of CATEGORIES.entries()) {
      out.classes.push(c);
      add('train', await categoryClouds(c, perClass.train, points, seed + k, 'random'), k);
      add('val', await categoryClouds(c, perClass.val, points, seed + 2000 + k, 'random'), k);
      add('test', await categoryClouds(c, perClass.test, points, seed + 1000 + k, 'random'), k);
    }
    return { ...out, source: `${CATEGORIES.length} classes (bunny and procedural shapes, random turns about the up axis), ${perClass.train} training + ${perClass.val} validation + ${perClass.test} test clouds each` };
  }
  let entries: string[];
  try {
    entries = (await readdir(data, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (e) {
    throw new InputError(`${data}: cannot read the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (entries.length < 2) throw new InputError(`${data}: classify needs one subfolder per class, found ${entries.length}`);
  for (const [k, c] of entries.entries()) {
    const dir = join(data, c);
    const sub = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    let tr: PointCloud[];
    let te: PointCloud[];
    if (sub.includes('train') && sub.includes('test')) {
      tr = await folderClouds(join(dir, 'train'), points, seed);
      te = await folderClouds(join(dir, 'test'), points, seed);
    } else {
      const all = await folderClouds(dir, points, seed);
      const held = Math.max(1, Math.floor(all.length / 4));
      tr = all.slice(0, all.length - held);
      te = all.slice(all.length - held);
    }
    if (tr.length < 2 || te.length < 1) throw new InputError(`${dir}: needs at least 3 clouds (training, validation and test), found ${tr.length + te.length}`);
    const val = Math.max(1, Math.floor(tr.length / 5));
    out.classes.push(c);
    add('train', tr.slice(0, tr.length - val), k);
    add('val', tr.slice(tr.length - val), k);
    add('test', te, k);
  }
  return { ...out, source: `${entries.length} classes from ${data} (${out.train.length} training, ${out.val.length} validation, ${out.test.length} test clouds)` };
}
