import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ARRAY_FILE_EXTENSIONS, decodeArrays, decodeNpy, decodeNpyObjects, FormatError, InvalidOptionError, isObjectNpy, pickArray, readStacked, type NpyArray, type PickleValue, type StoredArray } from '@ebm/core';
import { MESH_EXTENSIONS, parseMesh, readBytes } from '@ebm/geometry';
import { normalizeCloud, resample, type Normalization, type PointCloud } from '../cloud';
import { sampleSurface } from '../sample';
import { encodePcd, parsePcd } from './pcd';
import { encodePly } from './ply';
import { encodeXyz, parseXyz } from './xyz';

export const CLOUD_EXTENSIONS = [...new Set(['.ply', '.pcd', '.npy', ...ARRAY_FILE_EXTENSIONS, '.off', '.xyz', '.txt', '.pts', ...MESH_EXTENSIONS])];
/** Files of named arrays (HDF5, .npz); the array of points is chosen by `pointArray`. */
const ARRAY_FILES: readonly string[] = ARRAY_FILE_EXTENSIONS;
/**
 * Names of arrays that hold points in the sets users have, in order of preference: PointNet's
 * ModelNet40 and ShapeNetPart files (`data`), PCN and completion sets (`complete_pcds`), others.
 */
const POINT_ARRAYS = ['data', 'points', 'point_cloud', 'pointcloud', 'pc', 'pcd', 'xyz', 'pos', 'complete_pcds', 'x_train', 'x'];

export interface LoadCloudOptions {
  /** Points in the result: meshes are sampled with this many points, point files resampled to it. Default: meshes 2048, point files as they are. */
  points?: number;
  /** Normalisation after loading; default 'unit-sphere'. */
  normalize?: Normalization;
  /** Seed of surface sampling and resampling; default 0. */
  seed?: number;
  /** Which file axis points up; 'z' (common for STL and scans) is turned into y, as `voxelizeMesh` does. Default 'y'. */
  up?: 'y' | 'z';
}

/**
 * Reads a point cloud: PLY/OFF/XYZ/PCD point files, .npy arrays of shape (N, 3) (PointFlow's
 * ShapeNet clouds; more columns, such as normals, are ignored; a leading axis of 1 is dropped) and
 * HDF5 files holding one cloud (a file of several: `loadClouds`) as they are, and meshes (OBJ, STL, AC3D, or PLY/OFF with faces) by area-weighted surface sampling.
 * @throws FormatError (PointCloudFormatError) naming the file and the problem.
 */
export async function loadCloud(path: string, options: LoadCloudOptions = {}): Promise<PointCloud> {
  const ext = extname(path).toLowerCase();
  if (!CLOUD_EXTENSIONS.includes(ext)) throw new FormatError(path, `unsupported extension "${ext}" (${CLOUD_EXTENSIONS.join(', ')})`);
  const bytes = await readBytes(path);
  let cloud: PointCloud;
  if (ext === '.xyz' || ext === '.txt' || ext === '.pts') cloud = parseXyz(bytes, path);
  else if (ext === '.pcd') cloud = parsePcd(bytes, path);
  else if (ext === '.npy') cloud = npyCloud(decodeNpy(bytes, path), path);
  else if (ARRAY_FILES.includes(ext)) cloud = npyCloud(pointArray(await decodeArrays(bytes, path), path).read(), path);
  else {
    const mesh = parseMesh(bytes, path, { faces: 'optional' });
    cloud = mesh.triangles.length > 0 ? sampleSurface(mesh, options.points ?? 2048, options.seed ?? 0) : { points: mesh.positions };
  }
  return finishCloud(cloud, path, options);
}

/** A read cloud checked, turned upright, resampled and normalised as `options` say. */
function finishCloud(read: PointCloud, path: string, options: LoadCloudOptions): PointCloud {
  let cloud = read;
  if (!cloud.points.every(Number.isFinite)) throw new FormatError(path, 'has a coordinate that is not a finite number');
  if (options.up === 'z') cloud = { points: zUpToYUp(cloud.points) };
  else if (options.up !== undefined && options.up !== 'y') throw new InvalidOptionError('loadCloud', 'up', options.up, "'y' or 'z'");
  // A cloud with no extent cannot be normalised: its points would stay at one spot.
  const n = cloud.points.length / 3;
  if (cloud.points.every((v, i) => v === cloud.points[i % 3])) throw new FormatError(path, n === 1 ? 'has only one point' : `all its ${n} points are at one spot`);
  if (options.points !== undefined && cloud.points.length !== 3 * options.points) cloud = resample(cloud, options.points, options.seed ?? 0);
  return normalizeCloud(cloud, options.normalize ?? 'unit-sphere');
}

/**
 * Reads every cloud of a file: a stacked .npy array of N clouds (shape (N, P, 3) with N > 1; more
 * columns are ignored; or an object array of (P, 3) clouds of different sizes, as `np.save` writes
 * a list of them) or an HDF5 file's dataset of shape (N, P, 3) (PointNet's
 * `ply_data_train0.h5`: `data`, 2048 clouds of 2048 points; the dataset is the first of `data`,
 * `points`, `point_cloud`, … that has that shape, else the largest that has) gives N clouds, each
 * resampled and normalised as `loadCloud` does one (a cloud that fails is skipped with a logged
 * note naming its index; the file fails when none is left); any other file gives the one cloud
 * `loadCloud` reads. Cloud i is resampled with seed `options.seed + i`.
 * @throws FormatError (PointCloudFormatError) naming the file and the problem.
 */
export async function loadClouds(path: string, options: LoadCloudOptions = {}): Promise<PointCloud[]> {
  const ext = extname(path).toLowerCase();
  if (ext !== '.npy' && !ARRAY_FILES.includes(ext)) return [await loadCloud(path, options)];
  const bytes = await readBytes(path);
  if (ext === '.npy' && isObjectNpy(bytes)) {
    // np.save of a list of clouds of different sizes: each element one cloud.
    const items = decodeNpyObjects(bytes, path);
    return readStacked(path, items.length, 'cloud', (i) => finishCloud(npyCloud(numericItem(items[i]!, i, path), path), path, { ...options, seed: (options.seed ?? 0) + i }));
  }
  const a = ext === '.npy' ? decodeNpy(bytes, path) : pointArray(await decodeArrays(bytes, path), path).read();
  if (!(a.shape.length === 3 && a.shape[0]! > 1)) return [finishCloud(npyCloud(a, path), path, options)];
  return stackedClouds(a, path, options, (cloud) => cloud);
}

/** Clouds with their class labels, as PointNet's HDF5 files store them. */
export interface LabelledClouds {
  clouds: PointCloud[];
  /** The class index of each cloud, as the file stores it. */
  labels: number[];
}

/**
 * Reads an HDF5 or .npz file of labelled clouds: the array of points `loadClouds` reads,
 * (N, P, 3), and beside it the first array named `label`, `labels`, `cls`, `class`, `y` or `y_train` that holds N
 * non-negative integers (PointNet's `label`, (N, 1) uint8; ShapeNetPart's per-point `pid` is not
 * it). Clouds are resampled and normalised as `loadClouds` does; a cloud that fails is skipped
 * with its label.
 * @throws FormatError (PointCloudFormatError) naming the file when it has no such pair.
 */
export async function loadLabelledClouds(path: string, options: LoadCloudOptions = {}): Promise<LabelledClouds> {
  if (!ARRAY_FILES.includes(extname(path).toLowerCase())) throw new FormatError(path, `labelled clouds are read from HDF5 or .npz files (${ARRAY_FILES.join(', ')}): an array of points beside an array of labels`);
  const sets = await decodeArrays(await readBytes(path), path);
  const points = pointArray(sets, path);
  const n = points.shape.length === 3 ? points.shape[0]! : 1;
  const labelSet = LABEL_DATASETS.map((l) => sets.find((d) => datasetName(d) === l && d.shape[0] === n && datasetSize(d) === n)).find((d) => d !== undefined);
  if (!labelSet) throw new FormatError(path, `has no array of labels (${LABEL_DATASETS.join(', ')}) of ${n} values beside its clouds in "${points.path}"`);
  const labels = labelSet.read().data;
  const bad = labels.find((v) => !Number.isInteger(v) || v < 0);
  if (bad !== undefined) throw new FormatError(path, `"${labelSet.path}" holds ${bad}, which is not a class index (a non-negative integer)`);
  const a = points.read();
  if (a.shape.length === 2) return { clouds: [finishCloud(npyCloud(a, path), path, options)], labels: [labels[0]!] };
  const read = stackedClouds(a, path, options, (cloud, i) => ({ cloud, label: labels[i]! }));
  return { clouds: read.map((r) => r.cloud), labels: read.map((r) => r.label) };
}

const LABEL_DATASETS = ['label', 'labels', 'cls', 'class', 'y', 'y_train'];
const datasetName = (d: StoredArray) => d.path.split('/').pop()!.toLowerCase();
const datasetSize = (d: StoredArray) => d.shape.reduce((a, b) => a * b, 1);

/** Each cloud of an (N, P, ≥3) array, finished as loadCloud finishes one (cloud i resampled with seed + i), as `item(cloud, i)`. */
function stackedClouds<T>(a: NpyArray, path: string, options: LoadCloudOptions, item: (cloud: PointCloud, i: number) => T): T[] {
  const [n, p, cols] = a.shape as [number, number, number];
  if (cols < 3) throw new FormatError(path, `expected an array of shape (clouds, points, 3), got (${a.shape.join(', ')})`);
  return readStacked(path, n, 'cloud', (i) => {
    const points = new Float32Array(3 * p);
    for (let j = 0; j < p; j++) for (let k = 0; k < 3; k++) points[3 * j + k] = a.data[(i * p + j) * cols + k]!;
    return item(finishCloud({ points }, path, { ...options, seed: (options.seed ?? 0) + i }), i);
  });
}

/** The array of an HDF5 or .npz file that holds points, (points, ≥3) or (clouds, points, ≥3): see loadClouds. */
function pointArray(arrays: StoredArray[], path: string): StoredArray {
  const fits = (shape: number[]) => (shape.length === 2 || shape.length === 3) && shape.at(-1)! >= 3 && shape.at(-2)! > 1 && shape.every((k) => k > 0);
  return pickArray(arrays, path, { names: POINT_ARRAYS, fits, what: 'shape (points, 3) or (clouds, points, 3)' });
}

/** An element of an object array that must be a numeric array. */
function numericItem(v: PickleValue, i: number, path: string): NpyArray {
  if (v && typeof v === 'object' && (v as NpyArray).data instanceof Float32Array) return v as NpyArray;
  throw new FormatError(path, `element ${i} of its object array is not a numeric array`);
}

function npyCloud(a: NpyArray, path: string): PointCloud {
  const shape = a.shape.length === 3 && a.shape[0] === 1 ? a.shape.slice(1) : a.shape;
  if (shape.length === 3 && shape[2]! >= 3) throw new FormatError(path, `holds ${shape[0]} clouds (shape (${shape.join(', ')})); loadClouds reads them all`);
  if (shape.length !== 2 || shape[1]! < 3) throw new FormatError(path, `expected an array of shape (points, 3), got (${a.shape.join(', ')})`);
  const [n, cols] = shape as [number, number];
  if (n === 0) throw new FormatError(path, 'has no points');
  const points = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) points[3 * i + k] = a.data[i * cols + k]!;
  return { points };
}

/** Writes a cloud as .ply (binary little endian), .pcd (binary) or .xyz text. */
export async function saveCloud(path: string, cloud: PointCloud): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.ply') await writeFile(path, encodePly(cloud));
  else if (ext === '.pcd') await writeFile(path, encodePcd(cloud));
  else if (ext === '.xyz') await writeFile(path, encodeXyz(cloud));
  else throw new FormatError(path, `unsupported extension "${ext}" (point files are written as .ply, .pcd or .xyz)`);
}

/** (x, y, z) with z up → (x, z, −y) with y up: the same turn as `voxelizeMesh({ up: 'z' })`. */
function zUpToYUp(p: Float32Array): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) (out[i] = p[i]!), (out[i + 1] = p[i + 2]!), (out[i + 2] = -p[i + 1]!);
  return out;
}
