/**
 * Procedural point clouds: @ebm/geometry's procedural meshes (chair- and table-like box
 * assemblies, tori, cups with handles, seeded random proportions) sampled on their surfaces, so the
 * package and its demo run offline on data they make themselves and the voxel package sees the
 * same shapes. y is up; clouds are normalised to the unit ball.
 */
import { mulberry32 } from '@ebm/core';
import { shapeMesh, type ShapeCategory } from '@ebm/geometry';
import { normalizeCloud, rotateY, type PointCloud } from './cloud';
import { sampleSurface } from './sample';

const TAU = 2 * Math.PI;

/**
 * n clouds of one category, each a new random shape sampled with `points` points and normalised to
 * the unit ball; `pose: 'random'` also turns each about the up axis by a random angle. Seeded.
 */
export function makeClouds(category: ShapeCategory, n: number, options: { points?: number; seed?: number; pose?: 'canonical' | 'random' } = {}): PointCloud[] {
  const points = options.points ?? 2048;
  const rand = mulberry32(options.seed ?? 0);
  return Array.from({ length: n }, () => {
    const s = Math.floor(rand() * 2 ** 31);
    let c = normalizeCloud(sampleSurface(shapeMesh(category, s), points, s + 1));
    if (options.pose === 'random') c = rotateY(c, TAU * rand());
    return c;
  });
}
