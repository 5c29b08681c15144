/**
 * A small image classifier as a NetSpec ConvNet, trained by softmax cross-entropy on the net's own
 * vjp (either runtime), used to score what the generative models make: the share of samples it
 * is confident about, which classes appear, and a Fréchet distance on its penultimate features
 * (FID-style; Inception is not reachable offline and knows nothing about digits anyway).
 */
import { createHash } from 'node:crypto';
import { Adam, createNet, deriveSeed, InvalidOptionError, loadCheckpoint, netSpec, permutation, saveCheckpoint, tf, type Net, type NetSpec, type Tensor } from '@ebm/core';
import { imagesToTensor, type Image } from './image';

/**
 * The digit classifier: 16 @ 5×5 s2 → 32 @ 5×5 s2 (ReLU) → dense 64 (ReLU, the feature layer) →
 * dense `classes` logits. ~45k parameters at 28×28.
 */
export function classifierNet(size = 28, channels = 1, classes = 10): NetSpec {
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: 16, kernel: 5, stride: 2 },
    { type: 'relu' },
    { type: 'conv2d', filters: 32, kernel: 5, stride: 2 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 64 },
    { type: 'relu' },
    { type: 'dense', units: classes },
  ], 'classifier');
}

/** The layer whose output is the feature vector (the ReLU before the logits). */
const FEATURE_LAYER = 6;
const CLASSIFIER_RANGE = [0, 1] as const;

export interface TrainClassifierOptions {
  /** Number of classes; default max label + 1. */
  classes?: number;
  /** Passes over the data; default 3. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Adam's learning rate; default 2e-3, decayed linearly to 10% over the run. */
  learningRate?: number;
  /** 'onnx' (default, fast on a CPU) or 'tfjs'. */
  runtime?: string;
  seed?: number;
  /** Called after every batch with (done, total). */
  onProgress?: (done: number, total: number, loss: number) => void;
}

/** A trained classifier: class probabilities and penultimate features of images. */
export class ImageClassifier {
  constructor(
    readonly net: Net,
    readonly classes: number,
  ) {}

  /** Class probabilities, one Float32Array per image. */
  async probabilities(images: readonly Image[], batch = 256): Promise<Float32Array[]> {
    return this.rows(images, batch, async (x) => {
      const y = await this.net.forward(x);
      const p = tf.softmax(y as tf.Tensor2D);
      y.dispose();
      return p;
    });
  }

  /** The feature vectors (the ReLU layer before the logits), for Fréchet distances. */
  async features(images: readonly Image[], batch = 256): Promise<Float32Array[]> {
    return this.rows(images, batch, (x) => this.net.forwardTo(x, FEATURE_LAYER));
  }

  /** The most probable class of each image. */
  async predict(images: readonly Image[]): Promise<Int32Array> {
    return Int32Array.from(await this.probabilities(images), argmax);
  }

  /** Share of images whose predicted class is their label. */
  async accuracy(images: readonly Image[], labels: ArrayLike<number>): Promise<number> {
    const p = await this.predict(images);
    let ok = 0;
    p.forEach((c, i) => (ok += c === labels[i] ? 1 : 0));
    return ok / p.length;
  }

  dispose(): void {
    this.net.dispose();
  }

  private async rows(images: readonly Image[], batch: number, f: (x: Tensor) => Promise<Tensor>): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < images.length; i += batch) {
      const x = imagesToTensor(images.slice(i, i + batch), CLASSIFIER_RANGE);
      const y = await f(x);
      x.dispose();
      const v = (await y.data()) as Float32Array;
      const n = y.shape[0]!;
      const k = y.size / n;
      y.dispose();
      for (let r = 0; r < n; r++) out.push(v.slice(r * k, (r + 1) * k));
    }
    return out;
  }
}

export const argmax = (p: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
};

/**
 * Trains a classifier net on labelled images (all one size) by minibatch softmax cross-entropy
 * with Adam; the gradient of the loss with respect to the logits, (softmax − one-hot) / B, is
 * pulled back through the net's vjp.
 */
export async function trainClassifier(images: readonly Image[], labels: ArrayLike<number>, options: TrainClassifierOptions = {}): Promise<ImageClassifier> {
  const fn = 'trainClassifier';
  if (images.length === 0 || images.length !== labels.length) throw new InvalidOptionError(fn, 'labels', `${labels.length} labels for ${images.length} images`, 'one label per image, at least one image');
  let maxLabel = 0;
  for (let i = 0; i < labels.length; i++) maxLabel = Math.max(maxLabel, labels[i]!);
  const classes = options.classes ?? maxLabel + 1;
  if (maxLabel >= classes) throw new InvalidOptionError(fn, 'classes', classes, `more than the largest label (${maxLabel})`);
  const { width, height, channels } = images[0]!;
  if (width !== height) throw new InvalidOptionError(fn, 'images', `${width}×${height}`, 'square images (resize them first)');
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 3;
  const batchSize = Math.min(images.length, options.batchSize ?? 64);
  const lr = options.learningRate ?? 2e-3;
  const net = createNet(classifierNet(width, channels, classes), { seed, runtime: options.runtime ?? 'onnx' });
  const opt = new Adam({ learningRate: lr });
  const perEpoch = Math.floor(images.length / batchSize);
  const total = epochs * perEpoch;
  try {
    for (let e = 0; e < epochs; e++) {
      const order = permutation(images.length, deriveSeed(seed, 0xc1a5, e));
      for (let b = 0; b < perEpoch; b++) {
        const rows = Array.from(order.subarray(b * batchSize, (b + 1) * batchSize));
        const x = imagesToTensor(rows.map((r) => images[r]!), CLASSIFIER_RANGE);
        const onehot = tf.oneHot(tf.tensor1d(Int32Array.from(rows, (r) => labels[r]!), 'int32'), classes);
        const logits = await net.forward(x);
        const [gy, loss] = tf.tidy(() => {
          const logp = tf.logSoftmax(logits as tf.Tensor2D);
          return [tf.div(tf.sub(tf.exp(logp), onehot), rows.length), tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1)))];
        });
        const r = await net.vjp(x, gy, { params: true });
        opt.learningRate = lr * (1 - (0.9 * (e * perEpoch + b)) / total);
        opt.apply(net.params, r.gParams!);
        const l = (await loss.data())[0]!;
        tf.dispose([x, onehot, logits, gy, loss, r.y, ...Object.values(r.gParams!)]);
        options.onProgress?.(e * perEpoch + b + 1, total, l);
      }
    }
  } catch (e) {
    net.dispose();
    throw e;
  } finally {
    opt.dispose();
  }
  return new ImageClassifier(net, classes);
}

export interface CachedClassifierOptions extends TrainClassifierOptions {
  /** Folder of the cached classifier (a checkpoint); trained and saved there when missing or stale. */
  cacheDir: string;
}

/**
 * A classifier trained once and kept on disk: the checkpoint in `cacheDir` is used when it was
 * trained on the same images, labels and settings (a SHA-256 of them is stored with it);
 * otherwise the classifier is trained and saved there.
 */
export async function cachedClassifier(images: readonly Image[], labels: ArrayLike<number>, options: CachedClassifierOptions): Promise<{ classifier: ImageClassifier; cached: boolean }> {
  const { cacheDir, onProgress, ...settings } = options;
  const key = fingerprint(images, labels, settings);
  const ck = await loadCheckpoint(cacheDir).catch(() => undefined);
  const saved = ck?.models.classifier;
  if (saved?.netSpec && ck?.meta?.key === key) {
    const net = createNet(saved.netSpec, { runtime: settings.runtime ?? 'onnx' });
    net.setWeights(Object.fromEntries(Object.entries(saved.params).map(([n, p]) => [n, p.values])));
    return { classifier: new ImageClassifier(net, net.outputShape[0]!), cached: true };
  }
  const classifier = await trainClassifier(images, labels, { ...settings, onProgress });
  const w = await classifier.net.getWeights();
  const shapes = Object.fromEntries(Object.entries(classifier.net.params).map(([n, p]) => [n, p.shape]));
  await saveCheckpoint(cacheDir, { models: { classifier: { netSpec: classifier.net.spec, params: Object.fromEntries(Object.entries(w).map(([n, values]) => [n, { shape: shapes[n]!, values }])) } }, meta: { key, count: images.length } });
  return { classifier, cached: false };
}

function fingerprint(images: readonly Image[], labels: ArrayLike<number>, settings: object): string {
  const h = createHash('sha256');
  const { width, channels } = images[0]!;
  h.update(JSON.stringify({ spec: classifierNet(width, channels, (settings as TrainClassifierOptions).classes), settings }));
  for (const img of images) h.update(new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength));
  h.update(Int32Array.from(labels as ArrayLike<number>));
  return h.digest('hex');
}
