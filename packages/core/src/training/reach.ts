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
 * How examples are compared. 'fixed': element by element (images, voxels, anything whose entries
 * have fixed places). 'unordered': each example is a set of rows, [P, C] (a point cloud), whose
 * order means nothing: every column's values are sorted before comparing, which makes the L2
 * distance the sliced 1-D Wasserstein distance along each coordinate axis — blind to how the
 * points are numbered, unlike flat L2, which finds two random orderings of one cloud far apart.
 */
export type ExampleOrder = 'fixed' | 'unordered';

/** [N, …] → [N, D] rows to compare, as `order` says. */
function rows(x: Tensor, order: ExampleOrder): Tensor {
  const n = x.shape[0]!;
  if (order === 'fixed' || x.rank < 3) return tf.reshape(x, [n, -1]);
  const p = x.shape[1]!;
  const byColumn = tf.transpose(tf.reshape(x, [n, p, -1]), [0, 2, 1]);
  return tf.reshape(tf.topk(byColumn, p).values, [n, -1]);
}

/** Each row's distance to its nearest other row of the same set, averaged: [] scalar. */
function meanNearestOther(a: Tensor): Tensor {
  const n = a.shape[0]!;
  // Each row's own distance (0) is masked out by a huge value on the diagonal.
  const own = tf.add(squaredDistances(a, a), tf.mul(tf.eye(n), 1e30));
  return tf.mean(tf.sqrt(tf.min(own, 1)));
}

/** Identical observed examples leave no scale to compare with: NaN, which the watch ignores. */
const over = (x: Tensor, scale: Tensor) => tf.where(tf.greater(scale, 0), tf.div(x, scale), tf.scalar(NaN));

/** nearestDataRatio on rows, given the observed rows' own mean nearest-other distance. */
function nearestRatioOfRows(a: Tensor, s: Tensor, obsOwn: Tensor): Tensor {
  return over(tf.mean(tf.sqrt(tf.min(squaredDistances(s, a), 1))), obsOwn);
}

/** diversityRatio on rows; `obsOwn` (a's mean nearest-other distance) is reused when k is all of a. */
function diversityRatioOfRows(a: Tensor, s: Tensor, obsOwn?: Tensor): Tensor {
  const [n, m] = [a.shape[0]!, s.shape[0]!];
  const k = Math.min(n, m);
  if (k < 2) return tf.scalar(NaN);
  const own = k === n && obsOwn ? obsOwn : meanNearestOther(tf.slice(a, 0, k));
  return over(meanNearestOther(k === m ? s : tf.slice(s, 0, k)), own);
}

/**
 * mean over chains of ‖syn − nearest obs‖ / mean over observed of ‖obs − nearest other obs‖.
 * NaN with fewer than two observed examples or when they are all identical. Cost: one (n+m)×n×D
 * product (and a sort of each column for 'unordered' examples).
 */
export function nearestDataRatio(obs: Tensor, syn: Tensor, order: ExampleOrder = 'fixed'): Tensor {
  return tf.tidy(() => {
    if (obs.shape[0]! < 2) return tf.scalar(NaN);
    const a = rows(obs, order);
    return nearestRatioOfRows(a, rows(syn, order), meanNearestOther(a));
  });
}

/**
 * Whether the chains are as varied as the data: mean over chains of ‖syn − nearest other syn‖ /
 * mean over observed of ‖obs − nearest other obs‖, on the first k = min(n, m) of each (the
 * nearest-neighbour distance shrinks as a set grows, so both sets count alike). About 1 when the
 * chains differ from each other as the data do; near 0 when they have collapsed onto one or a few
 * examples — the failure that nearestDataRatio cannot see, since a collapsed sample can sit as
 * close to some datum as the data sit to each other (multigrid digits, docs/image.md). NaN with
 * fewer than two of either or when the observed examples are all identical.
 */
export function diversityRatio(obs: Tensor, syn: Tensor, order: ExampleOrder = 'fixed'): Tensor {
  return tf.tidy(() => diversityRatioOfRows(rows(obs, order), rows(syn, order)));
}

/**
 * [nearestDataRatio, diversityRatio] in one pass, as the trainers report them every update: the
 * rows are laid out (sorted, for 'unordered') once and the data's own distance is shared.
 */
export function reachRatios(obs: Tensor, syn: Tensor, order: ExampleOrder = 'fixed'): Tensor {
  return tf.tidy(() => {
    // Fewer than two observed examples leave neither ratio a scale.
    if (obs.shape[0]! < 2) return tf.tensor1d([NaN, NaN]);
    const a = rows(obs, order);
    const s = rows(syn, order);
    const own = meanNearestOther(a);
    return tf.stack([nearestRatioOfRows(a, s, own), diversityRatioOfRows(a, s, own)]);
  });
}
