import { deriveSeed, permutation, tfSeed } from '../random';
import { tf, type Tensor } from '../tf';

export interface Batches {
  /** Whole batches per epoch (the tail that does not fill one is skipped). */
  readonly perEpoch: number;
  /** Observed batch b of epoch e (owned by the caller). */
  batch(epoch: number, b: number): Tensor;
}

/** Batches drawn from rows of one data tensor, which say which rows they hold. */
export interface ObservedBatches extends Batches {
  /** The rows of `data` that batch b of epoch e holds, in order (to gather aligned labels or conditions). */
  rows(epoch: number, b: number): Int32Array;
}

/**
 * Observed batches: rows of a seeded permutation of `data`, one shuffle per epoch, with optional
 * Gaussian noise of std `dataNoise` added (GPointNet's 0.01), seeded per epoch and batch so that a
 * resumed run draws the same batches. `data` is borrowed.
 */
export function observedBatches(data: Tensor, o: { batchSize: number; seed: number; dataNoise?: number }): ObservedBatches {
  const n = data.shape[0]!;
  let permEpoch = -1;
  let perm: Int32Array = new Int32Array(0);
  const rowsOf = (epoch: number, b: number) => {
    if (permEpoch !== epoch) (perm = permutation(n, deriveSeed(o.seed, 0x0b5, epoch))), (permEpoch = epoch);
    return perm.subarray(b * o.batchSize, (b + 1) * o.batchSize);
  };
  return {
    perEpoch: Math.floor(n / o.batchSize),
    rows: (epoch, b) => rowsOf(epoch, b).slice(),
    batch: (epoch, b) =>
      tf.tidy(() => {
        const rows = tf.tensor1d(rowsOf(epoch, b), 'int32');
        const x = tf.gather(data, rows);
        const s = o.dataNoise ?? 0;
        return s > 0 ? tf.add(x, tf.randomNormal(x.shape, 0, s, 'float32', tfSeed(deriveSeed(o.seed, 0xda7a, epoch, b)))) : x;
      }),
  };
}
