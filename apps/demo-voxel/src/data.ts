import { log } from '@ebm/core';
import { describeFolder, holdOut, InputError, readClassFolders, readDataPath, SEED_OFFSET, DEFAULT_READ, type ClassSplit, type ReadOptions } from '@ebm/demo-kit';
import { extname } from 'node:path';
import { MESH_EXTENSIONS, SHAPE_CATEGORIES, loadGrids, makeGrids, occupancy, resampleGrid, type ShapeCategory, type VoxelGrid } from '@ebm/voxel';

const VOXEL_EXTENSIONS = ['.binvox', '.npy', '.npz', '.h5', '.hdf5', '.mat'];
const EXTENSIONS = [...VOXEL_EXTENSIONS, ...MESH_EXTENSIONS];

/** Shapes from a folder of voxel or mesh files or one such file (meshes are voxelized at `size`), or procedural ones. */
export async function loadShapes(data: string | undefined, category: string, n: number, size: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<{ grids: VoxelGrid[]; source: string }> {
  if (data === undefined) {
    if (!SHAPE_CATEGORIES.includes(category as ShapeCategory)) throw new InputError(`unknown --category "${category}" (${SHAPE_CATEGORIES.join(', ')})`);
    return { grids: makeGrids(category as ShapeCategory, n, { size, seed }), source: `${n} procedural ${category}s` };
  }
  // A damaged file is skipped with a warning naming it (--strict: stops the run in one line).
  // Voxel files of another side (ShapeNet's 128³ binvox, ModelNet's 30³) are resampled to the
  // run's, and the summary says from which sides. A stacked .npy array holds several shapes.
  const resampled = new Map<string, number>();
  const load = async (path: string) => {
    if (!VOXEL_EXTENSIONS.includes(extname(path).toLowerCase())) return loadGrids(path, { size, up: read.up });
    return (await loadGrids(path, { up: read.up })).map((g) => {
      if (g.dims.every((n) => n === size)) return g;
      const from = g.dims.join('×');
      resampled.set(from, (resampled.get(from) ?? 0) + 1);
      return resampleGrid(g, size);
    });
  };
  const d = await readDataPath(data, EXTENSIONS, async (path) => {
    const grids = await load(path);
    // An empty grid (a mesh whose vertices coincide, an all-zero array) would teach emptiness.
    const kept = grids.filter((g) => occupancy(g) > 0);
    if (kept.length === 0) throw new InputError(`${path}: has no occupied voxel at ${size}³`);
    if (kept.length < grids.length) log('warn', `${path}: skipped ${grids.length - kept.length} of its ${grids.length} grids, empty at ${size}³`);
    return kept;
  }, { strict: read.strict, what: 'voxel or mesh', limit: read.limit });
  const note = [...resampled].map(([from, k]) => `${k} resampled from ${from}`).join(', ');
  return { grids: d.items, source: describeFolder(data, d, 'shapes') + (note ? ` (${note} to ${size}³)` : '') + (read.up === 'z' ? ' (z up, stood on y)' : '') };
}

/**
 * Training shapes and unseen test shapes: procedural ones from two seeds, or a --data folder whose
 * last quarter (at least one file) is held out.
 */
export async function loadSplit(data: string | undefined, category: string, nTrain: number, nTest: number, size: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<{ train: VoxelGrid[]; test: VoxelGrid[]; source: string }> {
  if (data === undefined) {
    const { grids, source } = await loadShapes(undefined, category, nTrain, size, seed);
    return { train: grids, test: makeGrids(category as ShapeCategory, nTest, { size, seed: seed + SEED_OFFSET.test }), source };
  }
  const { grids, source } = await loadShapes(data, category, 0, size, seed, read);
  if (grids.length < 2) throw new InputError(`${data}: needs at least 2 shapes (training and held-out), found ${grids.length}`);
  const { train, held } = holdOut(grids);
  return { train, test: held, source: `${source} (${held.length} held out)` };
}

export interface LabelledShapes extends ClassSplit<VoxelGrid> {
  source: string;
}

/**
 * Labelled shapes for classification: the procedural categories in random poses (training,
 * validation and test shapes from different seeds), or a --data folder with one subfolder per
 * class (`readClassFolders`: train/ and test/ inside, or a quarter held out; a fifth of the
 * training shapes for validation).
 */
export async function loadClasses(data: string | undefined, perClass: { train: number; val: number; test: number }, size: number, seed: number, read: ReadOptions = DEFAULT_READ): Promise<LabelledShapes> {
  if (data !== undefined) {
    const d = await readClassFolders(data, async (folder) => (await loadShapes(folder, '', 0, size, seed, read)).grids);
    return { ...d, source: `${d.classes.length} classes from ${data} (${d.train.length} training, ${d.val.length} validation, ${d.test.length} test shapes)` };
  }
  const d: ClassSplit<VoxelGrid> = { classes: [], train: [], trainLabels: [], val: [], valLabels: [], test: [], testLabels: [] };
  SHAPE_CATEGORIES.forEach((c, k) => {
    d.classes.push(c);
    const add = (part: 'train' | 'val' | 'test', n: number, offset: number) => makeGrids(c, n, { size, seed: seed + offset + k, pose: 'random' }).forEach((g) => (d[part].push(g), d[`${part}Labels`].push(k)));
    add('train', perClass.train, SEED_OFFSET.train);
    add('val', perClass.val, SEED_OFFSET.val);
    add('test', perClass.test, SEED_OFFSET.test);
  });
  return { ...d, source: `${SHAPE_CATEGORIES.length} procedural classes in random poses, ${perClass.train} training + ${perClass.val} validation + ${perClass.test} test shapes each` };
}
