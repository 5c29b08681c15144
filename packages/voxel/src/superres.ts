/**
 * Super-resolution as conditional sampling (3D DescriptorNet, CVPR 2018, §4.4; sr_exp.py): the
 * low-resolution input fixes the block means of the high-resolution shape; Langevin moves the
 * voxels inside each block, with every move projected so the block means stay those of the input.
 */
import { InvalidOptionError, ShapeMismatchError, tf, type Tensor } from '@ebm/core';

function factorOf(fn: string, x: Tensor, factor: number): number[] {
  if (!Number.isInteger(factor) || factor < 1) throw new InvalidOptionError(fn, 'factor', factor, 'a positive integer');
  if (x.rank !== 5) throw new ShapeMismatchError(`${fn}: expects [N, D, H, W, C], got [${x.shape}]`);
  const [n, d, h, w, c] = x.shape as number[];
  return [n!, d!, h!, w!, c!];
}

/** Mean over factor³ blocks: [N, D, H, W, C] → [N, D/f, H/f, W/f, C] (the downsampling of sr_exp.py). */
export function blockMean(x: Tensor, factor: number): Tensor {
  const [n, d, h, w, c] = factorOf('blockMean', x, factor);
  if (d! % factor || h! % factor || w! % factor) throw new ShapeMismatchError(`blockMean: [${x.shape}] is not divisible into ${factor}³ blocks`);
  return tf.tidy(() => tf.mean(tf.reshape(x, [n!, d! / factor, factor, h! / factor, factor, w! / factor, factor, c!]), [2, 4, 6]));
}

/** Nearest-neighbour upsampling: every voxel becomes a factor³ block. */
export function upsampleNearest(x: Tensor, factor: number): Tensor {
  const [n, d, h, w, c] = factorOf('upsampleNearest', x, factor);
  return tf.tidy(() =>
    tf.reshape(tf.broadcastTo(tf.reshape(x, [n!, d!, 1, h!, 1, w!, 1, c!]), [n!, d!, factor, h!, factor, w!, factor, c!]), [n!, d! * factor, h! * factor, w! * factor, c!]),
  );
}

/**
 * The orthogonal projection onto moves that leave every factor³ block mean unchanged,
 * m ↦ m − upsample(blockMean(m)), as a function. `langevin`'s `project` option also takes it as
 * data, `{ kind: 'blockMeans', factor }`, which a checkpoint can keep: trainers that checkpoint
 * need that form.
 */
export function blockMeanFree(factor: number): (move: Tensor) => Tensor {
  return (m) => tf.tidy(() => tf.sub(m, upsampleNearest(blockMean(m, factor), factor)));
}
