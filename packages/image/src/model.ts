/**
 * An image model being trained: a net from a preset, its energy, its chains and the trainer's
 * events. Consuming `events` trains it (the caller shows progress, records curves, or just drains
 * them); afterwards the net is the learned descriptor. Every model function of the package
 * (texture, objects, short-run) returns one, so they all train, report and stop the same way.
 */
import { chainInit, createNet, InvalidOptionError, netEnergy, ShapeMismatchError, tf, trainMle, type ChainInitializer, type Energy, type Net, type Preset, type Tensor, type TrainEvent, type TrainMleOptions } from '@ebm/core';
import { imagesToTensor, tensorToImages, type Image, type PixelRange } from './image';

export interface ImageModelOptions {
  /** The setting: net, sampler, chain start and trainer options (`presets` of this package). */
  preset: Preset;
  /** Updates; default the preset's. */
  iterations?: number;
  /** Seeds the net's initialisation, the chains and the trainer; default 0. */
  seed?: number;
  /** 'onnx' (default: the fast CPU path) or 'tfjs'. */
  runtime?: string;
  /** Other trainMle options (checkpoint, samplesEvery, guard, watch, signal, …), over the preset's. */
  train?: Partial<Omit<TrainMleOptions, 'sampler' | 'init'>>;
}

export interface ImageModel {
  net: Net;
  energy: Energy;
  /** The pixel range the net sees ([0, 1] maps onto it), minus `offset`. */
  range: PixelRange;
  /** Subtracted from every channel after the range mapping (the texture model's mean colour), per channel. */
  offset: Float32Array;
  /** The chains the trainer runs (persistent chains hold the synthesized images). */
  chains: ChainInitializer;
  /** The training data, as the net sees it. */
  data: Tensor;
  /** Trains the model as they are consumed. */
  events: AsyncGenerator<TrainEvent, void, undefined>;
  /** Frees the net and the data. */
  dispose(): void;
}

/** Builds the model of `preset` on images of one size and starts (lazily) its training. */
export function imageModel(fn: string, images: readonly Image[], range: PixelRange, offset: Float32Array, options: ImageModelOptions): ImageModel {
  const { preset } = options;
  if (images.length === 0) throw new InvalidOptionError(fn, 'images', '[]', 'at least one image');
  const { width, height, channels } = images[0]!;
  const want = preset.net.input;
  if (want[0] !== height || want[1] !== width || want[2] !== channels) throw new ShapeMismatchError(`${fn}: the preset's net takes ${want.join('×')} images, these are ${height}×${width}×${channels} (build the net for their size, e.g. presets' functions take a size)`);
  const seed = options.seed ?? 0;
  const net = createNet(preset.net, { seed, runtime: options.runtime ?? 'onnx' });
  const energy = netEnergy(net);
  const data = toNetRange(images, range, offset);
  const chains = chainInit([height, width, channels], preset.init);
  const events = trainMle(energy, data, { ...preset.train, ...options.train, ...(options.iterations !== undefined ? { iterations: options.iterations } : {}), sampler: preset.sampler, init: chains, seed });
  return {
    net,
    energy,
    range,
    offset,
    chains,
    data,
    events,
    dispose() {
      net.dispose();
      data.dispose();
    },
  };
}

/** Images in a net's units: `range`, minus a per-channel offset. Owned by the caller. */
export function toNetRange(images: readonly Image[], range: PixelRange, offset?: Float32Array): Tensor {
  const t = imagesToTensor(images, range);
  if (!offset || offset.every((v) => v === 0)) return t;
  const out = tf.tidy(() => tf.sub(t, tf.tensor1d(offset)));
  t.dispose();
  return out;
}

/** A tensor in a net's units back to images (offset added back, range undone, clamped). Borrows t. */
export async function fromNetRange(t: Tensor, range: PixelRange, offset?: Float32Array): Promise<Image[]> {
  if (!offset || offset.every((v) => v === 0)) return tensorToImages(t, range);
  const shifted = tf.tidy(() => tf.add(t, tf.tensor1d(offset)));
  try {
    return await tensorToImages(shifted, range);
  } finally {
    shifted.dispose();
  }
}

/** The model's persistent chains as images (texture and object synthesis: the chains are the samples). */
export async function chainImages(model: ImageModel): Promise<Image[]> {
  const state = model.chains.state();
  if (!state) throw new InvalidOptionError('chainImages', 'model', model.chains.kind, 'a model with persistent chains');
  const shape = model.data.shape.slice(1);
  const n = state.length / shape.reduce((a, b) => a * b, 1);
  const t = tf.tensor(state, [n, ...shape]);
  try {
    return await fromNetRange(t, model.range, model.offset);
  } finally {
    t.dispose();
  }
}
