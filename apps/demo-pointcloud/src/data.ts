import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { EbmError, log } from '@ebm/core';
import { describeFolder, holdOut, InputError, readClassFolders, readDataPath, SEED_OFFSET, DEFAULT_READ, splitClasses, type ClassSplit, type ReadOptions } from '@ebm/demo-kit';
import { CLOUD_EXTENSIONS, loadClouds, loadLabelledClouds, loadMesh, makeClouds, normalizeCloud, rotateY, sampleSurface, SHAPE_CATEGORIES, type PointCloud, type ShapeCategory } from '@ebm/pointcloud';

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

/**
 * Every cloud or mesh file under a folder (searched recursively), or one such file, with `points`
 * points each, normalised to the unit ball; a stacked .npy array (clouds, points, 3) holds several
 * clouds. Unreadable files are skipped with a warning (`strict`: stop).
 */
export async function folderClouds(dir: string, points: number, seed: number, read: ReadOptions = DEFAULT_READ, extensions: readonly string[] = CLOUD_EXTENSIONS): Promise<{ clouds: PointCloud[]; source: string }> {
  let i = 0;
  const d = await readDataPath(
    dir,
    extensions,
    async (path) => {
      const clouds = await loadClouds(path, { points, seed: seed + i, up: read.up });
      i += clouds.length;
      return clouds;
    },
    { strict: read.strict, what: 'point-cloud or mesh', limit: read.limit },
  );
  return { clouds: d.items, source: describeFolder(dir, d, 'clouds') + (read.up === 'z' ? ' (z up, stood on y)' : '') };
}

/**
 * Training and held-out clouds of one category: built-in ones from two seeds, or a --data folder
 * whose last quarter (at least one file) is held out.
 */
export async function loadSplit(data: string | undefined, category: string, nTrain: number, nHeld: number, points: number, seed: number, read: ReadOptions & { dataCategory?: string } = DEFAULT_READ): Promise<{ train: PointCloud[]; held: PointCloud[]; source: string }> {
  if (data === undefined) {
    const train = await categoryClouds(category, nTrain, points, seed);
    const held = await categoryClouds(category, nHeld, points, seed + SEED_OFFSET.test);
    return { train, held, source: category === 'bunny' ? `the Stanford bunny (stl-models), ${nTrain} surface samples` : `${nTrain} procedural ${category}s` };
  }
  const h5 = await labelledFiles(data);
  if (read.dataCategory !== undefined && !h5) throw new InputError(`--category ${read.dataCategory}: ${data} holds no HDF5 files of labelled clouds to pick a class from (--category with --data picks one class of such files; a folder of one category needs none)`);
  // Beside HDF5 files, text files are lists (PointNet's shape_names.txt, train_files.txt), not clouds.
  const { clouds: all, source } = h5 && read.dataCategory !== undefined ? await oneClass(data, h5, read.dataCategory, points, seed, read) : await folderClouds(data, points, seed, read, h5 ? H5 : CLOUD_EXTENSIONS);
  // Labelled files hold several classes, and one energy of all of them is rarely what was meant.
  if (h5 && read.dataCategory === undefined) log('warn', `${data}: HDF5 files may hold clouds of several classes, all of which are used; --category NAME trains on one (names from shape_names.txt, else "class K")`);
  if (all.length < 2) throw new InputError(`${data}: needs at least 2 clouds (training and held-out), found ${all.length}`);
  const { train, held } = holdOut(all);
  return { train, held, source: `${source}, ${held.length} held out` };
}

export interface LabelledClouds extends ClassSplit<PointCloud> {
  source: string;
}

/**
 * Labelled clouds for classification: the built-in categories (bunny and the procedural shapes)
 * turned about the up axis at random, with training, validation and test clouds from different
 * seeds, or a --data folder with one subfolder per class (`readClassFolders`: train/ and test/
 * inside, the ModelNet layout, or a quarter held out; a fifth of the training clouds for
 * validation). The validation clouds choose the classifier's L2 penalty.
 */
export async function loadClasses(data: string | undefined, perClass: { train: number; val: number; test: number }, points: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<LabelledClouds> {
  if (data !== undefined) {
    const labelled = await labelledFiles(data);
    if (labelled) {
      const d = await readLabelled(data, labelled, points, seed, read);
      const split = splitClasses(d.classes, d.byClass, (k) => `${data} (class ${d.classes[k]})`);
      return { ...split, source: `${d.classes.length} classes from the labels of ${d.files} HDF5 file${d.files > 1 ? 's' : ''} in ${data} (${split.train.length} training, ${split.val.length} validation, ${split.test.length} test clouds${d.testFiles ? `; test clouds from the files named "test"` : ''})` };
    }
    const d = await readClassFolders(data, async (folder) => (await folderClouds(folder, points, seed, read)).clouds);
    return { ...d, source: `${d.classes.length} classes from ${data} (${d.train.length} training, ${d.val.length} validation, ${d.test.length} test clouds)` };
  }
  const d: ClassSplit<PointCloud> = { classes: [], train: [], trainLabels: [], val: [], valLabels: [], test: [], testLabels: [] };
  for (const [k, c] of CATEGORIES.entries()) {
    d.classes.push(c);
    const add = async (part: 'train' | 'val' | 'test', n: number, offset: number) => (await categoryClouds(c, n, points, seed + offset + k, 'random')).forEach((x) => (d[part].push(x), d[`${part}Labels`].push(k)));
    await add('train', perClass.train, SEED_OFFSET.train);
    await add('val', perClass.val, SEED_OFFSET.val);
    await add('test', perClass.test, SEED_OFFSET.test);
  }
  return { ...d, source: `${CATEGORIES.length} classes (bunny and procedural shapes, random turns about the up axis), ${perClass.train} training + ${perClass.val} validation + ${perClass.test} test clouds each` };
}

const H5 = ['.h5', '.hdf5'];

/**
 * The HDF5 files of labelled clouds that `data` is (one file) or holds (directly, with no class
 * subfolders and no other cloud files beside them: PointNet's
 * `modelnet40_ply_hdf5_2048/ply_data_{train,test}N.h5`), or undefined when `data` is data of
 * another kind.
 */
async function labelledFiles(data: string): Promise<string[] | undefined> {
  const st = await stat(data).catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`${data}: cannot read the file or folder (${e.code ?? e.message})`);
  });
  if (st.isFile()) return H5.includes(extname(data).toLowerCase()) ? [data] : undefined;
  const entries = await readdir(data, { withFileTypes: true }).catch(() => []);
  if (entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('__'))) return undefined;
  const visible = entries.filter((e) => e.isFile() && !e.name.startsWith('.'));
  // Beside PointNet's files lie text lists (shape_names.txt, train_files.txt), not other clouds.
  const others = visible.some((e) => CLOUD_EXTENSIONS.includes(extname(e.name).toLowerCase()) && !H5.includes(extname(e.name).toLowerCase()) && extname(e.name).toLowerCase() !== '.txt');
  const files = visible.filter((e) => H5.includes(extname(e.name).toLowerCase())).map((e) => join(data, e.name)).sort();
  return files.length && !others ? files : undefined;
}

/**
 * Class names for the labels of HDF5 files: line k of a `*shape_names.txt` beside them (PointNet's
 * `shape_names.txt`, `modelnet40_shape_names.txt`) or of `classes.txt`, else "class k".
 */
async function classNames(dir: string): Promise<(k: number) => string> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const file = entries.sort().find((e) => /shape_names\.txt$/i.test(e)) ?? entries.find((e) => /^(classes|class_names|labels)\.txt$/i.test(e));
  const lines = file ? (await readFile(join(dir, file), 'latin1')).split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
  return (k) => lines[k] ?? `class ${k}`;
}

interface LabelledFiles {
  classes: string[];
  byClass: { train: PointCloud[]; test?: PointCloud[] }[];
  files: number;
  /** Files whose name says "test" (their clouds are the test set), when the others are training files. */
  testFiles: number;
}

/**
 * Every labelled cloud of the files, grouped by class (classes in label order, named by
 * `classNames`). Files named "test" hold the test clouds when the others do not (PointNet's
 * split); without them each class's last quarter is held out. A file that cannot be read is
 * skipped with a warning (`strict`: stops the run).
 */
async function readLabelled(data: string, files: string[], points: number, seed: number, read: ReadOptions): Promise<LabelledFiles> {
  const name = await classNames(namesFolder(data, files));
  const isTest = (f: string) => /test/i.test(basename(f));
  const split = files.some(isTest) && files.some((f) => !isTest(f));
  const parts = { train: new Map<number, PointCloud[]>(), test: new Map<number, PointCloud[]>() };
  let offset = 0;
  let used = 0;
  for (const f of files) {
    let r;
    try {
      r = await loadLabelledClouds(f, { points, seed: seed + offset, up: read.up });
    } catch (e) {
      if (read.strict || !(e instanceof EbmError)) throw e instanceof EbmError && !(e instanceof InputError) ? new InputError(e.message) : e;
      log('warn', `skipped ${e.message}`);
      continue;
    }
    used++;
    offset += r.clouds.length;
    const part = parts[split && isTest(f) ? 'test' : 'train'];
    r.clouds.forEach((c, i) => {
      const l = r.labels[i]!;
      if (!part.has(l)) part.set(l, []);
      part.get(l)!.push(c);
    });
  }
  if (used === 0) throw new InputError(`${data}: none of its ${files.length} HDF5 files holds labelled clouds (see the warnings above)`);
  const labels = [...new Set([...parts.train.keys(), ...parts.test.keys()])].sort((a, b) => a - b);
  return {
    classes: labels.map(name),
    byClass: labels.map((l) => ({ train: parts.train.get(l) ?? [], ...(split ? { test: parts.test.get(l) ?? [] } : {}) })),
    files: used,
    testFiles: split ? files.filter(isTest).length : 0,
  };
}

/** The folder whose class-name file applies: `data` itself, or the folder of the one file it names. */
const namesFolder = (data: string, files: string[]) => (files.length === 1 && files[0] === data ? dirname(data) : data);

/** The clouds of one class (--category) of labelled HDF5 files, training and test files together. */
async function oneClass(data: string, files: string[], category: string, points: number, seed: number, read: ReadOptions): Promise<{ clouds: PointCloud[]; source: string }> {
  const d = await readLabelled(data, files, points, seed, read);
  const k = d.classes.indexOf(category);
  if (k < 0) throw new InputError(`--category ${category}: not a class of ${data} (${d.classes.slice(0, 12).join(', ')}${d.classes.length > 12 ? `, … ${d.classes.length} in all` : ''})`);
  const clouds = [...d.byClass[k]!.train, ...(d.byClass[k]!.test ?? [])];
  return { clouds, source: `${clouds.length} ${category} clouds of ${d.classes.length} classes in ${data}` };
}
