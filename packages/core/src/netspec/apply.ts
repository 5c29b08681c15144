import { tf, type Tensor } from '../tf';
import type { LayerSpec, NetSpec } from './types';

/** Reads a tuple field that may be given as one number. */
function tup<N extends 2 | 3>(v: number | number[] | undefined, n: N, dflt: number): N extends 2 ? [number, number] : [number, number, number] {
  const a = v === undefined ? new Array<number>(n).fill(dflt) : typeof v === 'number' ? new Array<number>(n).fill(v) : v;
  return a as N extends 2 ? [number, number] : [number, number, number];
}

function dense(x: Tensor, kernel: Tensor, bias: Tensor | undefined): Tensor {
  const inC = x.shape[x.shape.length - 1]!;
  const flat = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, inC]) as tf.Tensor2D;
  let y: Tensor = tf.matMul(flat, kernel as tf.Tensor2D);
  if (bias) y = tf.add(y, bias);
  return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), kernel.shape[1]!]);
}

function norm(layer: LayerSpec & { type: 'batchNorm' | 'layerNorm' }, x: Tensor, gamma: Tensor, beta: Tensor): Tensor {
  const eps = layer.epsilon ?? 1e-5;
  const rank = x.rank;
  const axes =
    layer.type === 'batchNorm'
      ? [0, ...(layer.axes ?? Array.from({ length: rank - 2 }, (_, j) => j)).map((a) => a + 1)]
      : (layer.axes ?? Array.from({ length: rank - 1 }, (_, j) => j)).map((a) => a + 1);
  const { mean, variance } = tf.moments(x, axes, true);
  const xh = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(xh, gamma), beta);
}

/**
 * Runs a spec on the tfjs runtime. `x` has a leading batch axis; `params` maps the names of
 * `inferShapes(spec).params` to tensors. Pure: allocates only intermediates (call inside `tf.tidy`).
 */
export function applyLayers(spec: NetSpec, params: Readonly<Record<string, Tensor>>, x: Tensor): Tensor {
  let h = x;
  spec.layers.forEach((layer, i) => {
    const k = params[`layers.${i}.kernel`];
    const b = params[`layers.${i}.bias`];
    switch (layer.type) {
      case 'conv2d':
        h = tf.conv2d(h as tf.Tensor4D, k as tf.Tensor4D, tup(layer.stride, 2, 1), layer.padding ?? 'same');
        break;
      case 'conv3d':
        h = tf.conv3d(h as tf.Tensor5D, k as tf.Tensor5D, tup(layer.stride, 3, 1), layer.padding ?? 'same');
        break;
      case 'conv2dTranspose': {
        const s = tup(layer.stride, 2, 1);
        const kk = tup(layer.kernel, 2, 1);
        const same = (layer.padding ?? 'same') === 'same';
        const out = h.shape.slice(1, 3).map((n, j) => (same ? n * s[j]! : (n - 1) * s[j]! + kk[j]!));
        h = tf.conv2dTranspose(h as tf.Tensor4D, k as tf.Tensor4D, [h.shape[0]!, out[0]!, out[1]!, layer.filters], s, layer.padding ?? 'same');
        break;
      }
      case 'conv3dTranspose': {
        const s = tup(layer.stride, 3, 1);
        const kk = tup(layer.kernel, 3, 1);
        const same = (layer.padding ?? 'same') === 'same';
        const out = h.shape.slice(1, 4).map((n, j) => (same ? n * s[j]! : (n - 1) * s[j]! + kk[j]!));
        h = tf.conv3dTranspose(h as tf.Tensor5D, k as tf.Tensor5D, [h.shape[0]!, out[0]!, out[1]!, out[2]!, layer.filters], s, layer.padding ?? 'same');
        break;
      }
      case 'dense':
        h = dense(h, k!, b);
        return;
      case 'pool':
        h = layer.op === 'max' ? tf.max(h, layer.axis + 1) : tf.mean(h, layer.axis + 1);
        return;
      case 'leakyRelu':
        h = tf.leakyRelu(h, layer.alpha ?? 0.2);
        return;
      case 'relu':
        h = tf.relu(h);
        return;
      case 'swish':
        h = tf.mul(h, tf.sigmoid(h));
        return;
      case 'tanh':
        h = tf.tanh(h);
        return;
      case 'sigmoid':
        h = tf.sigmoid(h);
        return;
      case 'softplus':
        h = tf.softplus(h);
        return;
      case 'batchNorm':
      case 'layerNorm':
        h = norm(layer, h, params[`layers.${i}.gamma`]!, params[`layers.${i}.beta`]!);
        return;
      case 'reshape':
        h = tf.reshape(h, [h.shape[0]!, ...layer.shape]);
        return;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0]!, -1]);
        return;
    }
    // convolution bias
    if (b) h = tf.add(h, b);
  });
  return h;
}
