/**
 * Descriptor features for classification (3D DescriptorNet, §4.5): the activations of the conv
 * layers of a trained descriptor, max-pooled to a coarse grid and concatenated (the paper pools
 * conv1 by 4 and conv2 by 2, then trains a linear SVM; we pool every layer to `cells`³ and fit a
 * linear softmax, `fitLinearClassifier` in @ebm/core).
 */
import { InvalidOptionError, tf, type Net, type Tensor } from '@ebm/core';

export interface DescriptorFeatureOptions {
  /** Layer indices whose outputs are pooled; default the activation after every conv3d layer. */
  layers?: number[];
  /** Each activation is max-pooled to cells³ positions; default 2. */
  cells?: number;
  /** Examples per forward call; default 32. */
  batchSize?: number;
}

/** The activation layer after each conv3d of a spec (or the conv itself when none follows). */
export function convFeatureLayers(net: Net): number[] {
  const layers = net.spec.layers;
  const out: number[] = [];
  layers.forEach((l, i) => {
    if (l.type !== 'conv3d') return;
    const next = layers[i + 1];
    out.push(next && ['relu', 'leakyRelu', 'swish', 'tanh', 'sigmoid', 'softplus'].includes(next.type) ? i + 1 : i);
  });
  return out;
}

/**
 * Pooled conv features of x ([N, D, H, W, 1], preprocessed like the training data) as rows of a
 * Float32Array (N × numFeatures), with numFeatures.
 */
export async function descriptorFeatures(net: Net, x: Tensor, options: DescriptorFeatureOptions = {}): Promise<{ features: Float32Array; numFeatures: number }> {
  const layers = options.layers ?? convFeatureLayers(net);
  if (layers.length === 0) throw new InvalidOptionError('descriptorFeatures', 'layers', '[]', 'at least one layer (the net has no conv3d layer)');
  const cells = options.cells ?? 2;
  if (!Number.isInteger(cells) || cells < 1) throw new InvalidOptionError('descriptorFeatures', 'cells', cells, 'a positive integer');
  const batch = options.batchSize ?? 32;
  const n = x.shape[0]!;
  const rows: Float32Array[] = [];
  let numFeatures = 0;
  for (let s = 0; s < n; s += batch) {
    const xb = tf.slice(x, s, Math.min(batch, n - s));
    const parts: Tensor[] = [];
    for (const layer of layers) {
      const a = await net.forwardTo(xb, layer);
      parts.push(
        tf.tidy(() => {
          const [, d, h, w] = a.shape as number[];
          const k = [Math.floor(d! / cells), Math.floor(h! / cells), Math.floor(w! / cells)] as [number, number, number];
          if (k.some((v) => v < 1)) throw new InvalidOptionError('descriptorFeatures', 'cells', cells, `at most the layer ${layer} grid ${d}×${h}×${w}`);
          return tf.reshape(tf.maxPool3d(a as tf.Tensor5D, k, k, 'valid'), [a.shape[0]!, -1]);
        }),
      );
      a.dispose();
    }
    const f = tf.concat(parts, 1);
    numFeatures = f.shape[1]!;
    rows.push((await f.data()) as Float32Array);
    [xb, f, ...parts].forEach((t) => t.dispose());
  }
  const features = new Float32Array(n * numFeatures);
  let o = 0;
  for (const r of rows) (features.set(r, o), (o += r.length));
  return { features, numFeatures };
}
