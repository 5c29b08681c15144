/**
 * Cooperative learning of images (CoopNets, Xie et al. AAAI 2018 / TPAMI 2018; Conditional
 * CoopNets, TPAMI 2021): a generator proposes images, the descriptor revises them by Langevin, the
 * descriptor learns from observed vs revised images and the generator learns to reproduce the
 * revisions. After training, sampling is one generator pass plus the descriptor's few revision
 * steps. Pixels in [−1, 1]. Three forms: unconditional (z → image), class-conditional (label and z
 * → image) and recovery (damaged image → completed image).
 */
import { createNet, deriveSeed, gaussianArray, InvalidOptionError, langevin, netEnergy, ShapeMismatchError, tf, trainCoop, type CoopPreset, type Net, type Tensor, type TrainCoopOptions, type TrainEvent } from '@ebm/core';
import { imagesToTensor, resizeImage, SIGNED_RANGE, toChannels, type Image } from './image';
import { fromNetRange } from './model';

export interface CoopOptions {
  /** The setting (`presets.coopDigits`, `coopPresets…`); its nets fix the image size and channels. */
  preset: CoopPreset;
  /** Class of every image (0-based), for a class-conditional preset (its nets take a one-hot `label`). */
  labels?: ArrayLike<number>;
  /** Updates; default the preset's. */
  iterations?: number;
  /** Seeds both nets' initialisation and the trainer; default 0. */
  seed?: number;
  /** 'onnx' (default) or 'tfjs'. */
  runtime?: string;
  /** Other trainCoop options (checkpoint, samplesEvery, guard, watch, signal, …), over the preset's. */
  train?: Partial<Omit<TrainCoopOptions, 'sampler' | 'labels' | 'conditions' | 'mask'>>;
}

export interface CoopModel {
  descriptor: Net;
  generator: Net;
  preset: CoopPreset;
  /** The training images in [−1, 1]. */
  data: Tensor;
  /** Trains both nets as they are consumed. */
  events: AsyncGenerator<TrainEvent, void, undefined>;
  dispose(): void;
}

/** The number of classes a net's `label` input takes, or 0. */
const labelCount = (spec: CoopPreset['generator']) => spec.inputs?.label?.[0] ?? 0;

/** One-hot rows of `labels` over `k` classes, [n, k]. Owned by the caller. */
export function oneHot(labels: ArrayLike<number>, k: number): Tensor {
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= k) throw new InvalidOptionError('oneHot', `labels[${i}]`, l, `a class in 0…${k - 1}`);
  }
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Array.from(labels), 'int32'), k), 'float32'));
}

/** Images at the net's size and channels, in [−1, 1]. */
function netImages(fn: string, images: readonly Image[], spec: CoopPreset['descriptor']): Tensor {
  if (images.length === 0) throw new InvalidOptionError(fn, 'images', '[]', 'at least one image');
  const [h, w, c] = spec.input as [number, number, 1 | 3];
  return imagesToTensor(images.map((i) => toChannels(resizeImage(i, w, h), c)), SIGNED_RANGE);
}

/**
 * A descriptor and a generator of the preset, trained together on `images` (unconditional, or
 * class-conditional with `labels`) as `events` are consumed. Images are resized to the nets' size.
 */
export function coopTraining(images: readonly Image[], options: CoopOptions): CoopModel {
  const { preset } = options;
  const k = labelCount(preset.generator);
  if (k > 0 && !options.labels) throw new InvalidOptionError('coopTraining', 'labels', undefined, `a class per image: the preset's nets are conditional on ${k} classes`);
  if (k === 0 && options.labels) throw new InvalidOptionError('coopTraining', 'labels', 'given', 'a class-conditional preset (its nets take a label input)');
  if (options.labels && options.labels.length !== images.length) throw new ShapeMismatchError(`coopTraining: ${options.labels.length} labels for ${images.length} images`);
  const seed = options.seed ?? 0;
  const runtime = options.runtime ?? 'onnx';
  const data = netImages('coopTraining', images, preset.descriptor);
  const labels = options.labels ? oneHot(options.labels, k) : undefined;
  const descriptor = createNet(preset.descriptor, { seed, runtime });
  const generator = createNet(preset.generator, { seed: seed + 1, runtime });
  const events = trainCoop(descriptor, generator, data, { ...preset.train, ...options.train, ...(options.iterations !== undefined ? { iterations: options.iterations } : {}), sampler: preset.sampler, labels, seed });
  return {
    descriptor,
    generator,
    preset,
    data,
    events,
    dispose() {
      [descriptor, generator, data].forEach((t) => t.dispose());
      labels?.dispose();
    },
  };
}

export interface CoopSampleOptions {
  /** Class of each sample (class-conditional models); its length is the number of samples. */
  labels?: ArrayLike<number>;
  /** Revision steps by the descriptor; default the preset's (0: the generator alone). */
  numSteps?: number;
  /** Seed of z and of the revision's noise; default 0. */
  seed?: number;
  /** Samples per runtime call; default 100. */
  batch?: number;
}

/**
 * n samples of a trained pair: the generator's proposals (batch norm in eval mode) and the same
 * proposals revised by the descriptor, both as images.
 */
export async function coopSample(model: Pick<CoopModel, 'descriptor' | 'generator' | 'preset'>, n: number, options: CoopSampleOptions = {}): Promise<{ proposed: Image[]; revised: Image[] }> {
  const { descriptor, generator, preset } = model;
  const k = labelCount(preset.generator);
  if (k > 0 && options.labels?.length !== n) throw new InvalidOptionError('coopSample', 'labels', options.labels, `${n} classes (the model is class-conditional)`);
  const steps = options.numSteps ?? preset.sampler.numSteps;
  const batch = options.batch ?? 100;
  const seed = options.seed ?? 0;
  const proposed: Image[] = [];
  const revised: Image[] = [];
  await inEvalMode(generator, async () => {
    const latent = generator.inputShape;
    const size = latent.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i += batch) {
      const m = Math.min(batch, n - i);
      const z = tf.tensor(gaussianArray(m * size, deriveSeed(seed, i)), [m, ...latent]);
      const lab = k > 0 ? oneHot(Array.from(options.labels!).slice(i, i + m), k) : undefined;
      const inputs: Record<string, Tensor> = lab ? { label: lab } : {};
      try {
        const y = await generator.forward(z, inputs);
        proposed.push(...(await fromNetRange(y, SIGNED_RANGE)));
        if (steps > 0) {
          const energy = netEnergy(descriptor, { inputs });
          const r = await langevin(energy, y, { ...preset.sampler, numSteps: steps, seed: deriveSeed(seed, 0x5a3, i) });
          revised.push(...(await fromNetRange(r.x, SIGNED_RANGE)));
          r.x.dispose();
        }
        y.dispose();
      } finally {
        z.dispose();
        lab?.dispose();
      }
    }
  });
  return { proposed, revised: steps > 0 ? revised : proposed };
}

export interface CoopRecoveryOptions extends Omit<CoopOptions, 'labels'> {
  /** 1 where a pixel is observed, 0 where it is hidden: [1, H, W, 1] for every image, or [N, H, W, 1]. Borrowed. */
  mask: Tensor;
}

/**
 * The generator's input for recovery: the damaged image (hidden pixels at 0) and the mask as one
 * more channel, [N, H, W, C + 1]. Borrows both; owned by the caller.
 */
export function recoveryCondition(images: Tensor, mask: Tensor): Tensor {
  return tf.tidy(() => {
    const m = tf.broadcastTo(mask, [images.shape[0]!, images.shape[1]!, images.shape[2]!, 1]);
    return tf.concat([tf.mul(images, m), m], 3);
  });
}

/**
 * Image-to-image cooperative recovery (Conditional CoopNets): the generator maps a damaged image
 * to a completion, the descriptor revises it with the observed pixels held fixed, and both learn
 * from the complete `images`. The preset's generator takes [H, W, C + 1] (`recoveryGeneratorNet`).
 */
export function coopRecoveryTraining(images: readonly Image[], options: CoopRecoveryOptions): CoopModel & { conditions: Tensor } {
  const { preset } = options;
  const seed = options.seed ?? 0;
  const runtime = options.runtime ?? 'onnx';
  const [h, w, c] = preset.descriptor.input as [number, number, number];
  const g = preset.generator.input;
  if (g[0] !== h || g[1] !== w || g[2] !== c + 1) throw new ShapeMismatchError(`coopRecoveryTraining: the generator takes [${g}], recovery of ${h}×${w}×${c} images needs [${h}, ${w}, ${c + 1}] (image and mask)`);
  const data = netImages('coopRecoveryTraining', images, preset.descriptor);
  const conditions = recoveryCondition(data, options.mask);
  const descriptor = createNet(preset.descriptor, { seed, runtime });
  const generator = createNet(preset.generator, { seed: seed + 1, runtime });
  const events = trainCoop(descriptor, generator, data, { ...preset.train, ...options.train, ...(options.iterations !== undefined ? { iterations: options.iterations } : {}), sampler: preset.sampler, conditions, mask: options.mask, seed });
  return {
    descriptor,
    generator,
    preset,
    data,
    conditions,
    events,
    dispose() {
      [descriptor, generator, data, conditions].forEach((t) => t.dispose());
    },
  };
}

/**
 * Recovers the hidden pixels of `damaged` ([N, H, W, C] in [−1, 1]; `mask` 1 = observed) with a
 * trained recovery pair: the generator's completion (`proposed`, observed pixels pasted in) and
 * the descriptor's revision of it (`revised`). Borrows its inputs; the caller owns the results.
 */
export async function coopRecover(model: Pick<CoopModel, 'descriptor' | 'generator' | 'preset'>, damaged: Tensor, mask: Tensor, options: { numSteps?: number; seed?: number } = {}): Promise<{ proposed: Tensor; revised: Tensor }> {
  const { descriptor, generator, preset } = model;
  const cond = recoveryCondition(damaged, mask);
  try {
    const y = await inEvalMode(generator, () => generator.forward(cond));
    const proposed = tf.tidy(() => {
      const m = tf.broadcastTo(mask, damaged.shape);
      return tf.add(tf.mul(m, damaged), tf.mul(tf.sub(1, m), y));
    });
    y.dispose();
    const steps = options.numSteps ?? preset.sampler.numSteps;
    if (steps === 0) return { proposed, revised: tf.clone(proposed) };
    const m = tf.tidy(() => tf.broadcastTo(mask, damaged.shape));
    const r = await langevin(netEnergy(descriptor), proposed, { ...preset.sampler, numSteps: steps, mask: m, seed: options.seed ?? 0 });
    m.dispose();
    return { proposed, revised: r.x };
  } finally {
    cond.dispose();
  }
}

/** Runs `f` with the generator's batch norms on their running statistics, then restores its mode. */
async function inEvalMode<T>(generator: Net, f: () => Promise<T>): Promise<T> {
  const mode = generator.mode;
  generator.mode = 'eval';
  try {
    return await f();
  } finally {
    generator.mode = mode;
  }
}
