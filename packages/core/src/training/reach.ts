/**
 * Whether the synthesis chains reach the data. The anatomy diagnostics (energy gap, chain
 * gradients) say how the energy sees the chains; this says where the chains are: each chain's
 * distance to its nearest observed example, against the observed examples' distance to their own
 * nearest neighbour. About 1 when the chains sit among the data; far above 1 when they never
 * got there (blobs and speckle that the energy has learnt to reject, the failure of
 * persistent chains whose energy outruns them).
 */
import { tf, type Tensor } from '../tf';

/** Squared distances between the rows of a [n, D] and b [m, D], as [n, m]. */
function squaredDistances(a: Tensor, b: Tensor): Tensor {
  const an = tf.sum(tf.square(a), 1, true);
  const bn = tf.sum(tf.square(b), 1, true);
  return tf.relu(tf.sub(tf.add(an, tf.transpose(bn)), tf.mul(2, tf.matMul(a, b, false, true))));
}

/**
 * mean over chains of ‖syn − nearest obs‖ / mean over observed of ‖obs − nearest other obs‖.
 * NaN with fewer than two observed examples or when they are all identical. Cost: one (n+m)×n×D product.
 */
export function nearestDataRatio(obs: Tensor, syn: Tensor): Tensor {
  return tf.tidy(() => {
    const n = obs.shape[0]!;
    if (n < 2) return tf.scalar(NaN);
    const a = tf.reshape(obs, [n, -1]);
    const s = tf.reshape(syn, [syn.shape[0]!, -1]);
    const synToObs = tf.mean(tf.sqrt(tf.min(squaredDistances(s, a), 1)));
    // Each observed example's own distance (0) is masked out by a huge value on the diagonal.
    const own = tf.add(squaredDistances(a, a), tf.mul(tf.eye(n), 1e30));
    const obsToObs = tf.mean(tf.sqrt(tf.min(own, 1)));
    // Identical observed examples leave no scale to compare with: NaN, which the watch ignores.
    return tf.where(tf.greater(obsToObs, 0), tf.div(synToObs, obsToObs), tf.scalar(NaN));
  });
}
