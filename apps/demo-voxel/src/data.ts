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
