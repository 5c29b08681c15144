/**
 * Named projections for constrained Langevin sampling: serialisable values (a checkpoint can hold
 * them), resolved to the move ↦ projected-move function `langevin` applies.
 */
import { InvalidOptionError } from '../errors';
import { checkKeys, positiveInt } from '../options';
import { tf, type Tensor } from '../tf';

/**
 * 'blockMeans': moves that leave the mean of every factor×…×factor block of the spatial axes
 * unchanged, m ↦ m − upsample(blockMean(m)). Super-resolution keeps the block means of the
 * low-resolution input this way (3D DescriptorNet, CVPR 2018 §4.4, sr_exp.py); it works on any
 * [N, ...spatial, C] tensor (images, voxels, videos).
 */
export type Projection = { kind: 'blockMeans'; factor: number };

/** A projection as `langevin` takes it: a named value or a function of the move (not saveable). */
export type ProjectionOption = Projection | ((move: Tensor) => Tensor);

/** Validates a named projection. @throws InvalidOptionError naming `fn` and `name`. */
export function checkProjection(p: Projection, fn: string, name = 'project'): Projection {
  const kind = (p as { kind?: unknown } | null)?.kind;
  if (kind !== 'blockMeans') throw new InvalidOptionError(fn, `${name}.kind`, kind, "'blockMeans' (or a function of the move)");
  checkKeys(fn, name, p, ['kind', 'factor']);
  positiveInt(fn, `${name}.factor`, p.factor);
  return p;
}

/** The function of the move a projection option stands for (validated). */
export function projectionFn(p: ProjectionOption, fn: string, name = 'project'): (move: Tensor) => Tensor {
  if (typeof p === 'function') return p;
  const { factor } = checkProjection(p, fn, name);
  return (m) => blockMeanFree(m, factor);
}

/** m − (block mean of m, broadcast over each block), for spatial axes 1 … rank−2. */
function blockMeanFree(m: Tensor, f: number): Tensor {
  const [n, ...rest] = m.shape as number[];
  const c = rest.pop()!;
  if (rest.length === 0 || rest.some((s) => s % f !== 0)) throw new InvalidOptionError('langevin', 'project.factor', f, `a factor that divides every spatial size of [${m.shape}]`);
  // On the pure-JS CPU backend one pass over the values is ~50× faster than tfjs's mean over the
  // strided block axes (157 ms against ~3 ms for 16 voxel grids of 32³), which made the
  // projection most of a super-resolution update. Other backends keep the data where it is.
  if (tf.getBackend() === 'cpu') return tf.tensor(blockMeanFreeValues(m.dataSync() as Float32Array, n!, rest, c, f), m.shape, 'float32');
  return tf.tidy(() => {
    // [N, s1/f, f, s2/f, f, …, C]: the block axes are the odd ones from 2.
    const split = [n!, ...rest.flatMap((s) => [s / f, f]), c];
    const blocks = tf.reshape(m, split);
    const axes = rest.map((_, i) => 2 + 2 * i);
    return tf.reshape(tf.sub(blocks, tf.mean(blocks, axes, true)), m.shape);
  });
}

/** blockMeanFree on row-major values of [n, ...spatial, c]: block sums, then each value less its block's mean. */
export function blockMeanFreeValues(v: Float32Array, n: number, spatial: readonly number[], c: number, f: number): Float32Array {
  const k = spatial.length;
  const blockShape = spatial.map((s) => s / f);
  const blocksPerExample = blockShape.reduce((a, b) => a * b, 1);
  const cells = spatial.reduce((a, b) => a * b, 1);
  const sums = new Float64Array(n * blocksPerExample * c);
  // The block (times c) of every spatial cell of one example, the same for every example.
  const blockOf = new Int32Array(cells);
  const coord = new Array<number>(k).fill(0);
  for (let p = 0; p < cells; p++) {
    let b = 0;
    for (let a = 0; a < k; a++) b = b * blockShape[a]! + Math.floor(coord[a]! / f);
    blockOf[p] = b * c;
    for (let a = k - 1; a >= 0; a--) {
      if (++coord[a]! < spatial[a]!) break;
      coord[a] = 0;
    }
  }
  for (let e = 0, i = 0; e < n; e++) {
    const base = e * blocksPerExample * c;
    for (let p = 0; p < cells; p++) for (let ch = 0; ch < c; ch++, i++) sums[base + blockOf[p]! + ch]! += v[i]!;
  }
  const inv = 1 / f ** k;
  const out = new Float32Array(v.length);
  for (let e = 0, i = 0; e < n; e++) {
    const base = e * blocksPerExample * c;
    for (let p = 0; p < cells; p++) for (let ch = 0; ch < c; ch++, i++) out[i] = v[i]! - sums[base + blockOf[p]! + ch]! * inv;
  }
  return out;
}
