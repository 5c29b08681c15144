import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ARRAY_FILE_EXTENSIONS, decodeArrays, decodeH5, decodeMat, decodeNpy, decodeNpyObjects, encodeNpy, isH5, isObjectNpy, pickArray, readStacked, type NpyArray, type StoredArray } from '@ebm/core';
import { loadMesh, MESH_EXTENSIONS, readBytes } from '@ebm/geometry';
import { VoxelFormatError } from '../errors';
import type { VoxelGrid } from '../grid';
import { decodeBinvox, encodeBinvox } from './binvox';
import { voxelizeMesh, type VoxelizeOptions } from '../voxelize';
import { resampleGrid } from '../resample';
import { zUpToYUp } from '../transform';

/** Files of named arrays (HDF5, .npz); the array of grids is chosen by `gridArray`. */
const ARRAY_FILES: readonly string[] = ARRAY_FILE_EXTENSIONS;
/** Names of arrays that hold voxel grids in the sets users have (IM-NET's `voxels`, …), in order of preference. */
const GRID_ARRAYS = ['voxels', 'voxel', 'voxel_grids', 'grids', 'occupancy', 'vox', 'data', 'instance', 'x_train', 'x'];

/**
 * Reads a voxel grid from a .binvox file, a 3-D .npy array, an HDF5 or .npz array, a MATLAB .mat volume (3D ShapeNets'
 * `instance`) of occupancy in [0, 1] (values > 0.5 are occupied; an axis of size 1 before or after
 * the grid is dropped), or a mesh (voxelized at `options.size`,
 * default 32). With `options.up` 'z', a grid or mesh stored with z up is stood on y (`zUpToYUp`,
 * the mesh option of `voxelizeMesh`). With `options.size`, a voxel file of another side is
 * resampled to it (`resampleGrid`); without, it is returned as stored.
 * @throws VoxelFormatError naming the file and the problem.
 */
export async function loadGrid(path: string, options: VoxelizeOptions = {}): Promise<VoxelGrid> {
  const ext = extname(path).toLowerCase();
  if (MESH_EXTENSIONS.includes(ext)) return voxelizeMesh(await loadMesh(path), options);
  return fitStored(await readVoxelFile(path, ext), options);
}

/** A stored grid stood on y (`options.up` 'z') and resampled to `options.size` when given. */
function fitStored(stored: VoxelGrid, options: VoxelizeOptions): VoxelGrid {
  const g = options.up === 'z' ? zUpToYUp(stored) : stored;
  return options.size === undefined ? g : resampleGrid(g, options.size);
}

/**
 * Reads every grid of a file: a stacked .npy array, or an HDF5 or .npz array, of N grids ([N, D, H, W] with
 * N > 1, or [N, D, H, W, 1]; IM-NET's `voxels`, N × 64³ × 1), or an object array of grids of
 * different sides (`np.save` of a list of them) gives N grids, each checked like one grid (a grid that fails is skipped with a
 * logged note naming its index; the file fails when none is left); any other file gives the one
 * grid `loadGrid` reads. `options.up` and `options.size` act as in `loadGrid`.
 * @throws VoxelFormatError naming the file and the problem.
 */
export async function loadGrids(path: string, options: VoxelizeOptions = {}): Promise<VoxelGrid[]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && !ARRAY_FILES.includes(ext)) return [await loadGrid(path, options)];
  const bytes = await readBytes(path);
  if (ext === '.npy' && isObjectNpy(bytes)) {
    // np.save of a list of grids of different sides: each element one grid.
    const items = decodeNpyObjects(bytes, path);
    return readStacked(path, items.length, 'grid', (i) => {
      const a = items[i] as NpyArray | null;
      if (!a || !(a.data instanceof Float32Array)) throw new VoxelFormatError(path, `element ${i} of its object array is not a numeric array`);
      return fitStored(arrayGrid(a, path), options);
    });
  }
  const a = ext === '.npy' ? decodeNpy(bytes, path) : (await gridArray(bytes, path)).read();
  const stacked = (a.shape.length === 4 && a.shape[0]! > 1 && a.shape[3]! > 1) || (a.shape.length === 5 && a.shape[4] === 1);
  if (!stacked) return [fitStored(arrayGrid(a, path), options)];
  const [n, d, h, w] = a.shape as [number, number, number, number];
  const size = d * h * w;
  return readStacked(path, n, 'grid', (i) => fitStored(arrayGrid({ ...a, shape: [d, h, w], data: a.data.subarray(i * size, (i + 1) * size) }, path), options));
}

async function readVoxelFile(path: string, ext: string): Promise<VoxelGrid> {
  const bytes = await readBytes(path);
  if (ext === '.binvox') {
    const g = decodeBinvox(bytes, path);
    return { dims: g.dims, data: g.data };
  }
  if (ext === '.npy') return arrayGrid(decodeNpy(bytes, path), path);
  if (ARRAY_FILES.includes(ext)) return arrayGrid((await gridArray(bytes, path)).read(), path);
  if (ext === '.mat') {
    // 3D ShapeNets' volumes keep the grid in `instance`; otherwise the file's one 3-D array.
    const vars = isH5(bytes) ? await matlab73(bytes, path) : decodeMat(bytes, path);
    const grids = [...vars].filter(([, a]) => a.shape.filter((d) => d > 1).length === 3);
    const pick = vars.get('instance') ?? (grids.length === 1 ? grids[0]![1] : undefined);
    if (!pick) throw new VoxelFormatError(path, `has no variable "instance" and ${grids.length === 0 ? 'no' : 'more than one'} 3-D array (variables: ${[...vars].map(([k, a]) => `${k} ${a.shape.join('×')}`).join(', ')})`);
    return arrayGrid(pick, path);
  }
  throw new VoxelFormatError(path, `unsupported extension "${ext}" (voxel files: .binvox, .npy, .npz, .h5, .mat; meshes: ${MESH_EXTENSIONS.join(', ')})`);
}

/**
 * The array of an HDF5 or .npz file that holds voxel grids, one ([D, H, W], with an axis of 1
 * before or after) or a stack ([N, D, H, W], [N, D, H, W, 1]) with sides of at least 4 (so that
 * PointNet's (N, 2048, 3) `data` or IM-NET's point samples are not taken for grids): the first of
 * GRID_ARRAYS by name, else the largest.
 */
async function gridArray(bytes: Uint8Array, path: string): Promise<StoredArray> {
  // The grid's sides: without a trailing axis of 1 and a leading stack (or 1) axis.
  const sides = (shape: number[]) => {
    const s = shape.length >= 4 && shape.at(-1) === 1 ? shape.slice(0, -1) : shape;
    return s.length === 4 ? s.slice(1) : s;
  };
  const fits = (shape: number[]) => shape.length >= 3 && shape.length <= 5 && sides(shape).length === 3 && sides(shape).every((k) => k >= 4) && shape[0]! > 0;
  return pickArray(await decodeArrays(bytes, path), path, { names: GRID_ARRAYS, fits, what: 'voxel grids ([D, H, W] or [N, D, H, W])' });
}

/**
 * The variables of a MATLAB 7.3 MAT-file (HDF5 after a 512-byte user block) as `decodeMat` gives
 * a 5/7 file's: MATLAB stores its column-major [a, b, c] array as an HDF5 dataset of shape
 * [c, b, a], so the axes are reversed back. Variables are the datasets at the file's root (MATLAB
 * keeps cell contents under `#refs#`).
 */
async function matlab73(bytes: Uint8Array, path: string): Promise<Map<string, NpyArray>> {
  const out = new Map<string, NpyArray>();
  for (const d of await decodeH5(bytes, path)) if (!d.path.includes('/')) out.set(d.path, reverseAxes(d.read()));
  return out;
}

/** An array with its axes in reverse order (out[i, j, k] = a[k, j, i]): C order over the reversed shape is Fortran order over a's. */
function reverseAxes(a: NpyArray): NpyArray {
  const rank = a.shape.length;
  const strides = a.shape.map((_, ax) => a.shape.slice(ax + 1).reduce((x, y) => x * y, 1));
  const idx = new Array<number>(rank).fill(0);
  const data = new Float32Array(a.data.length);
  let at = 0;
  for (let o = 0; o < data.length; o++) {
    data[o] = a.data[at]!;
    for (let ax = 0; ax < rank; ax++) {
      at += strides[ax]!;
      if (++idx[ax]! < a.shape[ax]!) break;
      at -= strides[ax]! * a.shape[ax]!;
      idx[ax] = 0;
    }
  }
  return { ...a, shape: [...a.shape].reverse(), data };
}

/** A 3-D array of occupancy in [0, 1] (a leading or trailing axis of size 1 is dropped) as a grid. */
function arrayGrid(a: NpyArray, path: string): VoxelGrid {
  let shape = a.shape;
  if (shape.length === 4 && shape[0] === 1) shape = shape.slice(1);
  else if (shape.length === 4 && shape[3] === 1) shape = shape.slice(0, 3);
  if (shape.length !== 3) throw new VoxelFormatError(path, `expected a 3-D array, got shape (${a.shape.join(', ')})`);
  if (shape.some((d) => d === 0)) throw new VoxelFormatError(path, `is empty (shape (${a.shape.join(', ')}))`);
  for (const v of a.data) {
    if (!Number.isFinite(v)) throw new VoxelFormatError(path, 'contains NaN or infinite values');
    // Occupancy (0/1) or an occupancy probability; 255 or −3 is not a voxel grid in this sense.
    if (v < 0 || v > 1) throw new VoxelFormatError(path, `holds the value ${v}: voxel grids hold occupancy in [0, 1] (rescale 0–255 data by 1/255)`);
  }
  return { dims: shape as [number, number, number], data: a.data };
}

/** Writes a grid as .binvox or .npy (float grids keep their values in .npy; binvox stores occupancy). */
export async function saveGrid(path: string, grid: VoxelGrid): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.binvox') await writeFile(path, encodeBinvox(grid));
  else if (ext === '.npy') await writeFile(path, encodeNpy(grid.data, grid.dims));
  else throw new VoxelFormatError(path, `unsupported extension "${ext}" (voxel files: .binvox, .npy)`);
}
