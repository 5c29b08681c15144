import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeNpy, FormatError, InvalidOptionError, readStacked, type NpyArray } from '@ebm/core';
import { MESH_EXTENSIONS, parseMesh, readBytes } from '@ebm/geometry';
import { normalizeCloud, resample, type Normalization, type PointCloud } from '../cloud';
import { sampleSurface } from '../sample';
import { encodePly } from './ply';
import { encodeXyz, parseXyz } from './xyz';

export const CLOUD_EXTENSIONS = [...new Set(['.ply', '.npy', '.off', '.xyz', '.txt', '.pts', ...MESH_EXTENSIONS])];

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
 * Reads a point cloud: PLY/OFF/XYZ point files and .npy arrays of shape (N, 3) (PointFlow's
 * ShapeNet clouds; more columns, such as normals, are ignored; a leading axis of 1 is dropped) as
 * they are, and meshes (OBJ, STL, AC3D, or PLY/OFF with faces) by area-weighted surface sampling.
 * @throws FormatError (PointCloudFormatError) naming the file and the problem.
 */
export async function loadCloud(path: string, options: LoadCloudOptions = {}): Promise<PointCloud> {
  const ext = extname(path).toLowerCase();
  if (!CLOUD_EXTENSIONS.includes(ext)) throw new FormatError(path, `unsupported extension "${ext}" (${CLOUD_EXTENSIONS.join(', ')})`);
  const bytes = await readBytes(path);
  let cloud: PointCloud;
  if (ext === '.xyz' || ext === '.txt' || ext === '.pts') cloud = parseXyz(bytes, path);
  else if (ext === '.npy') cloud = npyCloud(decodeNpy(bytes, path), path);
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
 * columns are ignored) gives N clouds, each resampled and normalised as `loadCloud` does one (a
 * cloud that fails is skipped with a logged note naming its index; the file fails when none is
 * left); any other file gives the one cloud `loadCloud` reads. Cloud i is resampled with seed
 * `options.seed + i`.
 * @throws FormatError (PointCloudFormatError) naming the file and the problem.
 */
export async function loadClouds(path: string, options: LoadCloudOptions = {}): Promise<PointCloud[]> {
  if (extname(path).toLowerCase() !== '.npy') return [await loadCloud(path, options)];
  const a = decodeNpy(await readBytes(path), path);
  if (!(a.shape.length === 3 && a.shape[0]! > 1)) return [finishCloud(npyCloud(a, path), path, options)];
  const [n, p, cols] = a.shape as [number, number, number];
  if (cols < 3) throw new FormatError(path, `expected an array of shape (clouds, points, 3), got (${a.shape.join(', ')})`);
  return readStacked(path, n, 'cloud', (i) => {
    const points = new Float32Array(3 * p);
    for (let j = 0; j < p; j++) for (let k = 0; k < 3; k++) points[3 * j + k] = a.data[(i * p + j) * cols + k]!;
    return finishCloud({ points }, path, { ...options, seed: (options.seed ?? 0) + i });
  });
}

function npyCloud(a: NpyArray, path: string): PointCloud {
  const shape = a.shape.length === 3 && a.shape[0] === 1 ? a.shape.slice(1) : a.shape;
  if (shape.length !== 2 || shape[1]! < 3) throw new FormatError(path, `expected an array of shape (points, 3), got (${a.shape.join(', ')})`);
  const [n, cols] = shape as [number, number];
  if (n === 0) throw new FormatError(path, 'has no points');
  const points = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) points[3 * i + k] = a.data[i * cols + k]!;
  return { points };
}

/** Writes a cloud as .ply (binary little endian) or .xyz text. */
export async function saveCloud(path: string, cloud: PointCloud): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.ply') await writeFile(path, encodePly(cloud));
  else if (ext === '.xyz') await writeFile(path, encodeXyz(cloud));
  else throw new FormatError(path, `unsupported extension "${ext}" (point files are written as .ply or .xyz)`);
}

/** (x, y, z) with z up → (x, z, −y) with y up: the same turn as `voxelizeMesh({ up: 'z' })`. */
function zUpToYUp(p: Float32Array): Float32Array {
  const out = new Float32Array(p.length);
  for (let i = 0; i < p.length; i += 3) (out[i] = p[i]!), (out[i + 1] = p[i + 2]!), (out[i + 2] = -p[i + 1]!);
  return out;
}
