/**
 * Grid-level helpers for super-resolution from block means. A low-resolution input made of the
 * factor³ block means of a binary shape says exactly how many voxels each block holds
 * (mean · factor³), so a super-resolved grid can be decoded into voxels by placing that many in
 * each block, at its highest values, instead of by one global threshold. Whatever ranks the voxels
 * inside a block (a model's chain, an interpolation) is then all that is scored.
 */
import { InvalidOptionError, ShapeMismatchError } from '@ebm/core';
import type { VoxelGrid } from './grid';
import { nearestGrids, RETRIEVAL_WEIGHT } from './retrieve';

function checkFactor(fn: string, factor: number): void {
  if (!Number.isInteger(factor) || factor < 1) throw new InvalidOptionError(fn, 'factor', factor, 'a positive integer');
}

/** factor³ block means of a grid: D×H×W → D/f × H/f × W/f (the grid form of `blockMean`). */
export function blockMeanGrid(g: VoxelGrid, factor: number): VoxelGrid {
  checkFactor('blockMeanGrid', factor);
  const [d, h, w] = g.dims;
  if (d % factor || h % factor || w % factor) throw new ShapeMismatchError(`blockMeanGrid: ${d}×${h}×${w} is not divisible into ${factor}³ blocks`);
  const dims: [number, number, number] = [d / factor, h / factor, w / factor];
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  for (let x = 0; x < d; x++)
    for (let y = 0; y < h; y++)
      for (let z = 0; z < w; z++) out[(Math.floor(x / factor) * dims[1] + Math.floor(y / factor)) * dims[2] + Math.floor(z / factor)]! += g.data[(x * h + y) * w + z]!;
  const n = factor ** 3;
  for (let i = 0; i < out.length; i++) out[i]! /= n;
  return { dims, data: out };
}

/**
 * Trilinear upsampling of a low-resolution grid by `factor`: each fine voxel's centre interpolates
 * the coarse voxel centres around it (clamped at the border), then each block is shifted by one
 * constant so that its mean is the input's again. Unlike nearest upsampling it ranks the voxels
 * inside a block by their neighbourhood (the interpolation baseline for `occupyBlocks`), and like
 * it, it satisfies the super-resolution constraint, so a projected chain can start from it.
 */
export function upsampleTrilinear(low: VoxelGrid, factor: number): VoxelGrid {
  checkFactor('upsampleTrilinear', factor);
  const [d, h, w] = low.dims;
  const dims: [number, number, number] = [d * factor, h * factor, w * factor];
  // Per axis: for each fine index, the two coarse indices and the weight of the second.
  const axis = (n: number) =>
    Array.from({ length: n * factor }, (_, j) => {
      const p = Math.min(Math.max((j + 0.5) / factor - 0.5, 0), n - 1);
      const i0 = Math.floor(p);
      return { i0, i1: Math.min(i0 + 1, n - 1), t: p - i0 };
    });
  const [ax, ay, az] = [axis(d), axis(h), axis(w)];
  const v = (x: number, y: number, z: number) => low.data[(x * h + y) * w + z]!;
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  let o = 0;
  for (const X of ax)
    for (const Y of ay)
      for (const Z of az) {
        const yz = (x: number) => (1 - Y.t) * ((1 - Z.t) * v(x, Y.i0, Z.i0) + Z.t * v(x, Y.i0, Z.i1)) + Y.t * ((1 - Z.t) * v(x, Y.i1, Z.i0) + Z.t * v(x, Y.i1, Z.i1));
        out[o++] = (1 - X.t) * yz(X.i0) + X.t * yz(X.i1);
      }
  return keepBlockMeans({ dims, data: out }, low, factor);
}

/** Shifts each factor³ block of `fine` (in place) by one constant so that its mean is `low`'s; returns it. */
function keepBlockMeans<G extends VoxelGrid & { data: Float32Array }>(fine: G, low: VoxelGrid, factor: number): G {
  const [, h, w] = low.dims;
  const dims = fine.dims;
  const drift = blockMeanGrid(fine, factor);
  for (let x = 0, i = 0; x < dims[0]; x++)
    for (let y = 0; y < dims[1]; y++)
      for (let z = 0; z < dims[2]; z++, i++) {
        const blk = (Math.floor(x / factor) * h + Math.floor(y / factor)) * w + Math.floor(z / factor);
        fine.data[i]! += low.data[blk]! - drift.data[blk]!;
      }
  return fine;
}

export interface UpsampleRetrievalOptions {
  /** How many references, nearest to the input by block means, are averaged. */
  k: number;
  /** The references' block means (`blockMeanGrid`), if already computed; in the references' order. */
  referenceLows?: readonly VoxelGrid[];
}

/**
 * Super-resolution by interpolation and retrieval: the even blend (RETRIEVAL_WEIGHT) of the
 * trilinear upsampling of `low` and the mean of the `k` references (high-resolution shapes, the
 * training shapes) whose block means are nearest `low`'s, shifted per block so that it keeps
 * `low`'s means, so a projected chain can start from it. For leave-one-out, pass the references
 * without the shape `low` came from. With no references it is `upsampleTrilinear`.
 */
export function upsampleRetrieval(low: VoxelGrid, factor: number, references: readonly VoxelGrid[], options: UpsampleRetrievalOptions): VoxelGrid & { data: Float32Array } {
  checkFactor('upsampleRetrieval', factor);
  const lows = options.referenceLows ?? references.map((r) => blockMeanGrid(r, factor));
  if (lows.length !== references.length) throw new ShapeMismatchError(`upsampleRetrieval: ${lows.length} reference block means for ${references.length} references`);
  const tri = upsampleTrilinear(low, factor) as VoxelGrid & { data: Float32Array };
  const idx = nearestGrids(low, lows, { k: options.k });
  if (idx.length === 0) return tri;
  for (const i of idx) if (references[i]!.data.length !== tri.data.length) throw new ShapeMismatchError(`upsampleRetrieval: reference ${i} is ${references[i]!.dims.join('×')}, the output ${tri.dims.join('×')}`);
  const data = tri.data.map((v, j) => (1 - RETRIEVAL_WEIGHT) * v + (RETRIEVAL_WEIGHT * idx.reduce((a, i) => a + references[i]!.data[j]!, 0)) / idx.length);
  return keepBlockMeans({ dims: tri.dims, data }, low, factor);
}

/**
 * Decodes a high-resolution grid of values into voxels by block counts: in each factor³ block,
 * the round(mean · factor³) voxels with the highest values are occupied, `mean` being that block's
 * value in `low` (the input's block means). Ties go to the lower index, so the result is
 * deterministic.
 */
export function occupyBlocks(values: VoxelGrid, low: VoxelGrid, factor: number): VoxelGrid {
  checkFactor('occupyBlocks', factor);
  const [d, h, w] = values.dims;
  if (low.dims[0] * factor !== d || low.dims[1] * factor !== h || low.dims[2] * factor !== w) {
    throw new ShapeMismatchError(`occupyBlocks: values are ${d}×${h}×${w}, the low-resolution grid ${low.dims.join('×')} × ${factor}`);
  }
  const out = new Uint8Array(d * h * w);
  const n = factor ** 3;
  const idx = new Array<number>(n);
  for (let bx = 0; bx < low.dims[0]; bx++)
    for (let by = 0; by < low.dims[1]; by++)
      for (let bz = 0; bz < low.dims[2]; bz++) {
        const k = Math.round(low.data[(bx * low.dims[1] + by) * low.dims[2] + bz]! * n);
        if (k <= 0) continue;
        let m = 0;
        for (let i = 0; i < factor; i++) for (let j = 0; j < factor; j++) for (let l = 0; l < factor; l++) idx[m++] = ((bx * factor + i) * h + by * factor + j) * w + bz * factor + l;
        if (k < n) idx.sort((a, b) => values.data[b]! - values.data[a]! || a - b);
        for (let i = 0; i < Math.min(k, n); i++) out[idx[i]!] = 1;
      }
  return { dims: [d, h, w], data: out };
}
