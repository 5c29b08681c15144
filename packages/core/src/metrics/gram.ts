/**
 * A texture distance from channel correlations (Gram matrices, as in Gatys et al. 2015) of a fixed,
 * seeded random filter bank instead of a trained VGG, which nothing here can download: random
 * ReLU features of several scales are known to carry texture statistics well (Ustyuzhaninov et al.,
 * "What does it take to generate natural textures?", ICLR 2017). Images and video frames alike:
 * any [N, H, W, C] batch.
 */
import { InvalidOptionError, ShapeMismatchError } from '../errors';
import { nonNegativeInt, positiveInt } from '../options';
import { gaussianArray } from '../random';
import { tf, type Tensor } from '../tf';

export interface GramOptions {
  /** Random filters per scale; default 32. */
  filters?: number;
  /** Filter size; default 5. */
  kernel?: number;
  /** Scales: the images, then halved by 2×2 averaging, …; default 3. */
  scales?: number;
  /** Seed of the filter bank; default 0 (keep it fixed to compare runs). */
  seed?: number;
}

/**
 * Per example and scale, the Gram matrix G = FᵀF / (positions) of ReLU responses F of zero-mean
 * random filters (weights N(0, 1/fan-in)), flattened: [N, scales · filters²]. Borrows x.
 */
export function gramFeatures(x: Tensor, options: GramOptions = {}): Tensor {
  if (x.rank !== 4) throw new ShapeMismatchError(`gramFeatures: expected images [N, H, W, C], got [${x.shape}]`);
  const filters = positiveInt('gramFeatures', 'filters', options.filters ?? 32);
  const kernel = positiveInt('gramFeatures', 'kernel', options.kernel ?? 5);
  const scales = positiveInt('gramFeatures', 'scales', options.scales ?? 3);
  const seed = nonNegativeInt('gramFeatures', 'seed', options.seed ?? 0);
  const c = x.shape[3]!;
  if (Math.min(x.shape[1]!, x.shape[2]!) < kernel * 2 ** (scales - 1)) throw new InvalidOptionError('gramFeatures', 'scales', scales, `at most as many halvings as leave ${kernel}-pixel filters room in ${x.shape[1]}×${x.shape[2]} images`);
  return tf.tidy(() => {
    const w = gaussianArray(kernel * kernel * c * filters, seed);
    const raw = tf.tensor4d(w, [kernel, kernel, c, filters]);
    // Zero-mean filters respond to structure, not to brightness.
    const bank = tf.mul(tf.sub(raw, tf.mean(raw, [0, 1, 2], true)), 1 / Math.sqrt(kernel * kernel * c));
    const out: Tensor[] = [];
    let img = x as tf.Tensor4D;
    for (let s = 0; s < scales; s++) {
      if (s > 0) img = tf.avgPool(img, 2, 2, 'valid');
      const f = tf.relu(tf.conv2d(img, bank as tf.Tensor4D, 1, 'valid'));
      const [n, h, wd] = f.shape;
      const flat = tf.reshape(f, [n, h * wd, filters]);
      out.push(tf.reshape(tf.div(tf.matMul(flat, flat, true, false), h * wd), [n, filters * filters]));
    }
    return tf.concat(out, 1);
  });
}

/**
 * How far the textures of `x` are from those of `reference`: per example of x, the relative
 * Frobenius distance of its Gram matrices to the reference set's mean Gram matrices,
 * ‖G(x_i) − Ḡ(ref)‖ / ‖Ḡ(ref)‖ per scale, averaged over scales and examples. 0 for the reference
 * itself (one image); of order 1 for unrelated noise. Borrows both.
 */
export async function gramDistance(x: Tensor, reference: Tensor, options: GramOptions = {}): Promise<number> {
  if (x.rank !== 4 || reference.rank !== 4 || x.shape[3] !== reference.shape[3]) throw new ShapeMismatchError(`gramDistance: expected two image batches with the same channels, got [${x.shape}] and [${reference.shape}]`);
  const scales = options.scales ?? 3;
  const d = tf.tidy(() => {
    const gx = gramFeatures(x, options);
    const gr = tf.mean(gramFeatures(reference, options), 0, true);
    const k = gx.shape[1]! / scales;
    const diff = tf.reshape(tf.sub(gx, gr), [gx.shape[0]!, scales, k]);
    const norm = tf.reshape(gr, [1, scales, k]);
    return tf.mean(tf.div(tf.norm(diff, 'euclidean', 2), tf.norm(norm, 'euclidean', 2)));
  });
  const v = (await d.data())[0]!;
  d.dispose();
  return v;
}
