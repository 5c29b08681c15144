import { createRequire } from 'node:module';
import { describeFolder, holdOut, InputError, readClassFolders, readDataPath, SEED_OFFSET, DEFAULT_READ, type ClassSplit, type ReadOptions } from '@ebm/demo-kit';
import { CLOUD_EXTENSIONS, loadClouds, loadMesh, makeClouds, normalizeCloud, rotateY, sampleSurface, SHAPE_CATEGORIES, type PointCloud, type ShapeCategory } from '@ebm/pointcloud';

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
export async function folderClouds(dir: string, points: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<{ clouds: PointCloud[]; source: string }> {
  let i = 0;
  const d = await readDataPath(
    dir,
    CLOUD_EXTENSIONS,
    async (path) => {
      const clouds = await loadClouds(path, { points, seed: seed + i, up: read.up });
      i += clouds.length;
      return clouds;
    },
    { strict: read.strict, what: 'point-cloud or mesh' },
  );
  return { clouds: d.items, source: describeFolder(dir, d, 'clouds') + (read.up === 'z' ? ' (z up, stood on y)' : '') };
}

/**
 * Training and held-out clouds of one category: built-in ones from two seeds, or a --data folder
 * whose last quarter (at least one file) is held out.
 */
export async function loadSplit(data: string | undefined, category: string, nTrain: number, nHeld: number, points: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<{ train: PointCloud[]; held: PointCloud[]; source: string }> {
  if (data === undefined) {
    const train = await categoryClouds(category, nTrain, points, seed);
    const held = await categoryClouds(category, nHeld, points, seed + SEED_OFFSET.test);
    return { train, held, source: category === 'bunny' ? `the Stanford bunny (stl-models), ${nTrain} surface samples` : `${nTrain} procedural ${category}s` };
  }
  const { clouds: all, source } = await folderClouds(data, points, seed, read);
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
