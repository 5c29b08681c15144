/**
 * Point features for classification (GPointNet §5.4): the per-point activations of the last local
 * layer (before pooling), pooled over the points by mean and by max, concatenated; a linear
 * classifier goes on top (`fitLinearClassifier` in @ebm/core; the paper uses liblinear).
 */
import { EbmError, tf, type Net, type Tensor } from '@ebm/core';

/** Index of the last layer before the pooling over points. */
export function localFeatureLayer(net: Net): number {
  const pool = net.spec.layers.findIndex((l) => l.type === 'pool');
  if (pool <= 0) throw new EbmError(`net${net.spec.name ? ` "${net.spec.name}"` : ''} has no pooling over points to take local features before`);
  return pool - 1;
}

/** Mean- and max-pooled local features of x ([N, n, 3]) as rows of a Float32Array, with their count. */
export async function pointFeatures(net: Net, x: Tensor, options: { batchSize?: number } = {}): Promise<{ features: Float32Array; numFeatures: number }> {
  const layer = localFeatureLayer(net);
  const batch = options.batchSize ?? 32;
  const n = x.shape[0]!;
  const parts: Float32Array[] = [];
  let numFeatures = 0;
  for (let s = 0; s < n; s += batch) {
    const xb = tf.slice(x, s, Math.min(batch, n - s));
    const a = await net.forwardTo(xb, layer);
    const f = tf.tidy(() => tf.concat([tf.mean(a, 1), tf.max(a, 1)], 1));
    numFeatures = f.shape[1]!;
    parts.push((await f.data()) as Float32Array);
    [xb, a, f].forEach((t) => t.dispose());
  }
  const features = new Float32Array(n * numFeatures);
  let o = 0;
  for (const p of parts) (features.set(p, o), (o += p.length));
  return { features, numFeatures };
}
