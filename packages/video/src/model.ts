/**
 * Dynamic-texture synthesis (STGConvNet, Xie, Zhu and Wu, CVPR 2017, §3–4): a spatial-temporal
 * descriptor is learned from one video by maximum likelihood; persistent Langevin chains, started
 * at the video's mean colour, are the synthesized clips. Pixels are in the paper's units, [0, 255]
 * minus the mean colour. A video longer than the net's clip length is used as evenly spaced
 * temporal crops, all in every update (gradients accumulated over them, as the paper accumulates
 * over its epoch). Because the nets are convolutional over time, the learned descriptor also
 * scores clips longer than the ones it learned from: `synthesize` draws those.
 */
import { chainInit, createNet, deriveSeed, InvalidOptionError, langevin, log, netEnergy, sampleNoise, tf, trainMle, type ChainInitializer, type Energy, type Net, type Preset, type Tensor, type TrainEvent, type TrainMleOptions } from '@ebm/core';
import { centerSquareClip, clipChannels, clipShape, clipsToTensor, cropFrames, resizeClip, tensorToClips, type Clip, type PixelRange } from './clip';
import { withFrames } from './nets';
import { presets } from './presets';

/** The paper's pixel units: [0, 1] maps onto [0, 255], and the mean colour is subtracted. */
export const VIDEO_RANGE: PixelRange = [0, 255];

export interface DynamicTextureOptions {
  /** The setting: net, sampler, chain start and trainer options; default `presets.stCpu`. */
  preset?: Preset;
  /** Updates; default the preset's. */
  iterations?: number;
  /** The most temporal crops of the video used in every update; default 4. */
  maxCrops?: number;
  /** Seeds the net's initialisation, the chains and the trainer; default 0. */
  seed?: number;
  /** 'onnx' (default: the fast CPU path) or 'tfjs'. */
  runtime?: string;
  /** Other trainMle options (checkpoint, samplesEvery, guard, watch, signal, …), over the preset's. */
  train?: Partial<Omit<TrainMleOptions, 'sampler' | 'init'>>;
}

export interface VideoModel {
  net: Net;
  energy: Energy;
  preset: Preset;
  /** The mean colour subtracted in the net's units (per channel, [0, 255]). */
  offset: Float32Array;
  /** The persistent chains: after training, the synthesized clips. */
  chains: ChainInitializer;
  /** The training clips (the video at the net's size, its temporal crops), in [0, 1]. */
  clips: Clip[];
  /** The training clips as the net sees them: [N, T, H, W, C]. */
  data: Tensor;
  /** Trains the model as they are consumed. */
  events: AsyncGenerator<TrainEvent, void, undefined>;
  dispose(): void;
}

/**
 * The video at a preset's frame size and channels: each frame's centre square, resized. Shorter
 * videos than the net's clip length are kept whole (the net is rebuilt for their length).
 */
export function fitVideo(video: Clip, preset: Preset): Clip {
  const [, h, w, c] = preset.net.input as [number, number, number, 1 | 3];
  return clipChannels(resizeClip(centerSquareClip(video), w, h), c);
}

/** Evenly spaced crops of `frames` frames (at most `max`), covering the video from start to end. */
export function evenCrops(video: Clip, frames: number, max: number): Clip[] {
  if (video.frames <= frames) return [video];
  const n = Math.min(max, Math.ceil((video.frames - frames) / (frames / 2)) + 1);
  if (n <= 1) return [cropFrames(video, 0, frames)];
  return Array.from({ length: n }, (_, i) => cropFrames(video, Math.round((i * (video.frames - frames)) / (n - 1)), frames));
}

/** The dynamic-texture model of one video; consume `events` to train it, then `chainClips` are the synthesized clips. */
export function dynamicTexture(video: Clip, options: DynamicTextureOptions = {}): VideoModel {
  const fn = 'dynamicTexture';
  let preset: Preset = options.preset ?? presets.stCpu;
  const frames = preset.net.input[0]!;
  if (video.frames < 2) throw new InvalidOptionError(fn, 'video', clipShape(video), 'a clip of at least 2 frames');
  const fitted = fitVideo(video, preset);
  if (fitted.frames < frames) {
    log('info', `${fn}: the video has ${fitted.frames} frames, fewer than the net's ${frames}; the net is built for ${fitted.frames}`);
    preset = { ...preset, net: withFrames(preset.net, fitted.frames) };
  }
  const maxCrops = options.maxCrops ?? 4;
  if (!Number.isInteger(maxCrops) || maxCrops < 1) throw new InvalidOptionError(fn, 'maxCrops', maxCrops, 'a positive integer');
  const clips = evenCrops(fitted, preset.net.input[0]!, maxCrops);
  const offset = meanColour(fitted, VIDEO_RANGE[1]);
  const seed = options.seed ?? 0;
  const net = createNet(preset.net, { seed, runtime: options.runtime ?? 'onnx' });
  const energy = netEnergy(net);
  const data = toNetUnits(clips, offset);
  const chains = chainInit(preset.net.input, preset.init);
  preset = { ...preset, sampler: { ...preset.sampler, clamp: preset.sampler.clamp ?? pixelClamp(offset) } };
  const events = trainMle(energy, data, { ...preset.train, batchSize: clips.length, ...options.train, ...(options.iterations !== undefined ? { iterations: options.iterations } : {}), sampler: preset.sampler, init: chains, seed });
  return {
    net,
    energy,
    preset,
    offset,
    chains,
    clips,
    data,
    events,
    dispose() {
      net.dispose();
      data.dispose();
    },
  };
}

/** The model's persistent chains as clips (after training: the synthesized clips). */
export async function chainClips(model: VideoModel): Promise<Clip[]> {
  const state = model.chains.state();
  if (!state) throw new InvalidOptionError('chainClips', 'model', model.chains.kind, 'a model with persistent chains');
  const shape = model.data.shape.slice(1);
  const n = state.length / shape.reduce((a, b) => a * b, 1);
  const t = tf.tensor(state, [n, ...shape]);
  try {
    return await fromNetUnits(t, model.offset);
  } finally {
    t.dispose();
  }
}

export interface SynthesizeOptions {
  /** Frames per clip; default the training clips'. Longer clips use the same weights (the nets are convolutional over time). */
  frames?: number;
  /** Clips; default 1. */
  count?: number;
  /** Langevin steps from the mean colour; default 1000. */
  steps?: number;
  seed?: number;
  /** Called every 100 steps with the steps done. */
  onProgress?: (done: number) => void;
}

/**
 * New clips from the learned descriptor: fresh Langevin chains from the mean colour (the model's
 * sampler), of any length the net accepts.
 */
export async function synthesize(model: VideoModel, options: SynthesizeOptions = {}): Promise<Clip[]> {
  const frames = options.frames ?? model.preset.net.input[0]!;
  const count = options.count ?? 1;
  const steps = options.steps ?? 1000;
  const seed = options.seed ?? 0;
  const spec = withFrames(model.net.spec, frames);
  const net = frames === model.net.inputShape[0] ? model.net : createNet(spec, { runtime: model.net.runtime, seed });
  try {
    if (net !== model.net) net.setWeights(await model.net.getWeights());
    const energy = net === model.net ? model.energy : netEnergy(net);
    const init = model.preset.init.noise ?? { dist: 'gaussian' as const, mean: 0, std: 1 };
    let x = sampleNoise(count, spec.input, init, deriveSeed(seed, 0x51));
    for (let done = 0; done < steps; ) {
      const k = Math.min(100, steps - done);
      const r = await langevin(energy, x, { ...model.preset.sampler, numSteps: k, seed: deriveSeed(seed, done) });
      x.dispose();
      x = r.x;
      done += k;
      options.onProgress?.(done);
    }
    try {
      return await fromNetUnits(x, model.offset);
    } finally {
      x.dispose();
    }
  } finally {
    if (net !== model.net) net.dispose();
  }
}

/**
 * The values pixels can take in the net's units, [0, 255] minus the mean colour (the widest
 * channel's range): where the model functions clamp their chains unless a preset says otherwise.
 * The official code does not clamp; without it, a high-contrast real video (Muybridge's dancers,
 * 24 frames) diverged within 120 updates, the chains' values running far outside [0, 255].
 */
export function pixelClamp(offset: Float32Array): [number, number] {
  return [-Math.max(...offset), VIDEO_RANGE[1] - Math.min(...offset)];
}

/** Clips in the net's units: [0, 255] minus `offset` per channel. Owned by the caller. */
export function toNetUnits(clips: readonly Clip[], offset: Float32Array): Tensor {
  const t = clipsToTensor(clips, VIDEO_RANGE);
  const out = tf.tidy(() => tf.sub(t, tf.tensor1d(offset)));
  t.dispose();
  return out;
}

/** A tensor in the net's units back to clips (offset added back, clamped). Borrows t. */
export async function fromNetUnits(t: Tensor, offset: Float32Array): Promise<Clip[]> {
  const shifted = tf.tidy(() => tf.add(t, tf.tensor1d(offset)));
  try {
    return await tensorToClips(shifted, VIDEO_RANGE);
  } finally {
    shifted.dispose();
  }
}

/** The mean of each channel over every frame, times `scale`. */
export function meanColour(clip: Clip, scale = 1): Float32Array {
  const c = clip.channels;
  const m = new Float64Array(c);
  for (let i = 0; i < clip.data.length; i++) m[i % c]! += clip.data[i]!;
  return Float32Array.from(m, (v) => (scale * v * c) / clip.data.length);
}
