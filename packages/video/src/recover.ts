/**
 * Recovery: learning from an incomplete video (STGConvNet, CVPR 2017, §5 "learning from
 * incomplete data"). Some pixels of the video are hidden — a fixed region in every frame, random
 * pixels, or whole frames. The model never sees them: in every iteration, Langevin dynamics
 * conditioned on the observed pixels (held fixed) updates the hidden ones of the current
 * recovery, then the descriptor takes its maximum-likelihood step with the recovered video as
 * the observed example. Learning and recovery improve each other; the recovery is the average of
 * the chain's states over the later iterations.
 */
import { chainInit, createNet, deriveSeed, InvalidOptionError, langevin, mulberry32, netEnergy, createOptimizer, resolveGuard, resolveLangevinOptions, trainLoop, mleIteration, tf, type Energy, type LangevinOptions, type Net, type Preset, type Tensor, type TrainEvent } from '@ebm/core';
import { clipShape, type Clip } from './clip';
import { fromNetUnits, meanColour, pixelClamp, toNetUnits, VIDEO_RANGE } from './model';
import { withFrames } from './nets';
import { presets } from './presets';

/** What is hidden: a centred box in every frame, random pixels of every frame, or whole frames. */
export type Occlusion = { kind: 'region'; fraction?: number } | { kind: 'pixels'; fraction?: number } | { kind: 'frames'; fraction?: number };

/**
 * A mask for a clip of frames × height × width: 1 where observed, 0 where hidden (one value
 * per pixel, shared by its channels). `fraction` is the share hidden: of each frame's area for
 * 'region' (default 0.25, a centred box), of all pixels for 'pixels' (default 0.5, drawn
 * independently), of the frames for 'frames' (default 0.25, in evenly spaced runs of 2, never the
 * first or last frame, so each run has observed frames on both sides).
 */
export function occlusionMask(frames: number, height: number, width: number, occlusion: Occlusion, seed = 0): Float32Array {
  const m = new Float32Array(frames * height * width).fill(1);
  const kind = (occlusion as { kind?: unknown }).kind;
  const fraction = occlusion.fraction ?? (kind === 'pixels' ? 0.5 : 0.25);
  if (!(fraction > 0 && fraction < 1)) throw new InvalidOptionError('occlusionMask', 'fraction', fraction, 'a share in (0, 1)');
  const hw = height * width;
  if (kind === 'region') {
    const s = Math.sqrt(fraction);
    const h = Math.max(1, Math.round(height * s));
    const w = Math.max(1, Math.round(width * s));
    const y0 = Math.floor((height - h) / 2);
    const x0 = Math.floor((width - w) / 2);
    for (let t = 0; t < frames; t++) for (let y = y0; y < y0 + h; y++) m.fill(0, t * hw + y * width + x0, t * hw + y * width + x0 + w);
  } else if (kind === 'pixels') {
    const rand = mulberry32(seed);
    for (let i = 0; i < m.length; i++) if (rand() < fraction) m[i] = 0;
  } else if (kind === 'frames') {
    const hidden = Math.max(1, Math.round(frames * fraction));
    const runs = Math.ceil(hidden / 2);
    if (frames < hidden + runs + 1) throw new InvalidOptionError('occlusionMask', 'fraction', fraction, `a share of frames that leaves observed frames around every hidden run (${frames} frames)`);
    let left = hidden;
    for (let r = 0; r < runs; r++) {
      // Runs centred in equal parts of the clip.
      const len = Math.min(2, left);
      const start = Math.max(1, Math.min(frames - 1 - len, Math.round(((r + 0.5) * frames) / runs - len / 2)));
      m.fill(0, start * hw, (start + len) * hw);
      left -= len;
    }
  } else throw new InvalidOptionError('occlusionMask', 'occlusion.kind', kind, "'region', 'pixels' or 'frames'");
  return m;
}

/** The video with its hidden pixels set to 0.5 (what a damaged video looks like in a report). */
export function applyMask(video: Clip, mask: Float32Array, fill = 0.5): Clip {
  checkMask('applyMask', video, mask);
  const out = { ...video, data: video.data.slice() };
  const c = video.channels;
  for (let p = 0; p < mask.length; p++) if (mask[p] === 0) out.data.fill(fill, p * c, (p + 1) * c);
  return out;
}

function checkMask(fn: string, video: Clip, mask: Float32Array): void {
  if (mask.length !== video.frames * video.height * video.width) throw new InvalidOptionError(fn, 'mask', `${mask.length} values`, `one per pixel of the ${clipShape(video)} clip (${video.frames * video.height * video.width})`);
}

/**
 * The baseline: every hidden pixel filled with the mean of its nearest observed values in time
 * (the same pixel in the closest observed frame before and after; one side at the clip's ends);
 * pixels hidden in every frame get the observed mean of their frame.
 */
export function temporalFill(video: Clip, mask: Float32Array): Clip {
  checkMask('temporalFill', video, mask);
  const { frames: T, channels: c } = video;
  const hw = video.height * video.width;
  const out = { ...video, data: video.data.slice() };
  const frameMean = Array.from({ length: T }, (_, t) => {
    const s = new Float64Array(c);
    let n = 0;
    for (let p = 0; p < hw; p++) {
      if (mask[t * hw + p] === 0) continue;
      n++;
      for (let k = 0; k < c; k++) s[k]! += video.data[(t * hw + p) * c + k]!;
    }
    return n > 0 ? Array.from(s, (v) => v / n) : undefined;
  });
  const overall = Array.from({ length: c }, (_, k) => {
    const ms = frameMean.filter((m) => m !== undefined);
    return ms.length > 0 ? ms.reduce((a, m) => a + m![k]!, 0) / ms.length : 0.5;
  });
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < hw; p++) {
      if (mask[t * hw + p] !== 0) continue;
      let b = t - 1;
      while (b >= 0 && mask[b * hw + p] === 0) b--;
      let a = t + 1;
      while (a < T && mask[a * hw + p] === 0) a++;
      const sides = [b >= 0 ? b : -1, a < T ? a : -1].filter((s) => s >= 0);
      for (let k = 0; k < c; k++) {
        out.data[(t * hw + p) * c + k] = sides.length > 0 ? sides.reduce((acc, s) => acc + video.data[(s * hw + p) * c + k]!, 0) / sides.length : (frameMean[t] ?? overall)[k]!;
      }
    }
  }
  return out;
}

/** PSNR (dB, peak 1) of `x` against `truth` over the hidden pixels of `mask` (all pixels without one). */
export function clipPsnr(x: Clip, truth: Clip, mask?: Float32Array): number {
  const c = truth.channels;
  let s = 0;
  let n = 0;
  for (let i = 0; i < truth.data.length; i++) {
    if (mask && mask[Math.floor(i / c)] !== 0) continue;
    s += (x.data[i]! - truth.data[i]!) ** 2;
    n++;
  }
  return 10 * Math.log10(1 / Math.max(s / Math.max(n, 1), 1e-12));
}

export interface RecoveryOptions {
  /** Default `presets.stCpu`; its net is rebuilt for the video's length. */
  preset?: Preset;
  iterations?: number;
  /** Langevin steps on the hidden pixels per iteration; default the preset's sampler steps. */
  recoverySteps?: number;
  /**
   * The recovery is the average of the chain's states from this share of the iterations on
   * (default 0.5): an estimate of the model's conditional mean of the hidden pixels, the recovery
   * with the least expected squared error, where one state is one sharp sample. 1 keeps the last state.
   */
  averageFrom?: number;
  seed?: number;
  runtime?: string;
  signal?: AbortSignal;
}

export interface RecoveryModel {
  net: Net;
  energy: Energy;
  /** The video at the net's frame size, hidden pixels filled by `temporalFill` (where recovery starts). */
  start: Clip;
  /** Trains the model and refines the recovery as they are consumed. */
  events: AsyncGenerator<TrainEvent, void, undefined>;
  /** The current recovery (observed pixels as given, hidden ones from the chains). */
  recovered(): Promise<Clip>;
  dispose(): void;
}

/**
 * Learns a descriptor from a video with hidden pixels and recovers them (see the module
 * comment). `video` must already be at the preset's frame size (`fitVideo`) and `mask` one value
 * per pixel (`occlusionMask`); the net is built for the video's length.
 */
export function learnFromIncomplete(video: Clip, mask: Float32Array, options: RecoveryOptions = {}): RecoveryModel {
  const fn = 'learnFromIncomplete';
  const base = options.preset ?? presets.stCpu;
  const [, h, w, c] = base.net.input;
  if (video.height !== h || video.width !== w || video.channels !== c) throw new InvalidOptionError(fn, 'video', clipShape(video), `frames of the preset's ${h}×${w}×${c} (fitVideo)`);
  checkMask(fn, video, mask);
  let preset: Preset = { ...base, net: withFrames(base.net, video.frames) };
  const seed = options.seed ?? 0;
  const start = temporalFill(video, mask);
  // The observed mean colour: hidden pixels must not leak into the units.
  const offset = meanColour(start, VIDEO_RANGE[1]);
  preset = { ...preset, sampler: { ...preset.sampler, clamp: preset.sampler.clamp ?? pixelClamp(offset) } };
  const net = createNet(preset.net, { seed, runtime: options.runtime ?? 'onnx' });
  const energy = netEnergy(net);
  let current = toNetUnits([start], offset);
  const m = tf.tidy(() => tf.broadcastTo(tf.tensor(mask, [1, video.frames, h!, w!, 1]), current.shape));
  const sampler = resolveLangevinOptions(preset.sampler as LangevinOptions, fn);
  const recoverySteps = options.recoverySteps ?? sampler.numSteps;
  const iterations = options.iterations ?? preset.train.iterations ?? 300;
  const averageFrom = options.averageFrom ?? 0.5;
  if (!(averageFrom >= 0 && averageFrom <= 1)) throw new InvalidOptionError(fn, 'averageFrom', averageFrom, 'a share of the iterations in [0, 1]');
  const firstAveraged = Math.min(iterations - 1, Math.floor(averageFrom * iterations));
  let sum: Tensor | undefined;
  let count = 0;
  const optimizer = createOptimizer(preset.train.optimizer, fn);
  const chains = chainInit(preset.net.input, preset.init);
  // Each iteration sees the video rolled in time by a random shift (see `roll`).
  let shift = 0;
  const batches = { perEpoch: 1, batch: () => roll(current, shift) };
  const guard = resolveGuard(preset.train.guard, sampler.refSigma, fn);
  const step = mleIteration({ energy, optimizer, batches, batchesOf: () => [0], init: chains, numSynthesized: preset.train.numSynthesized ?? 3, sampler, varianceBound: guard?.varianceBound, seed });
  async function* run(): AsyncGenerator<TrainEvent, void, undefined> {
    try {
      yield* trainLoop({
        fn,
        models: [{ name: 'energy', energy, optimizer, netSpec: preset.net }],
        chains,
        step: async (ctx) => {
          // Recovery first: the hidden pixels move under the current model, the observed stay.
          shift = mulberry32(deriveSeed(seed, 0x7011, ctx.iteration))() * video.frames | 0;
          const rolled = roll(current, shift);
          const rolledMask = roll(m, shift);
          const r = await langevin(energy, rolled, { ...sampler, numSteps: recoverySteps, mask: rolledMask, seed: deriveSeed(seed, 0x2ec, ctx.iteration), signal: options.signal });
          tf.dispose([rolled, rolledMask, current]);
          current = roll(r.x, -shift);
          r.x.dispose();
          if (averageFrom < 1 && ctx.iteration >= firstAveraged) {
            const next = sum ? tf.add(sum, current) : tf.clone(current);
            sum?.dispose();
            sum = next;
            count++;
          }
          return step(ctx);
        },
        iterations,
        epochOf: (it) => it,
        stepSize: sampler.stepSize,
        learningRateSchedule: { kind: 'constant' },
        guard,
        samplesEvery: 0,
        seed,
        signal: options.signal,
      });
    } finally {
      optimizer.dispose();
    }
  }
  return {
    net,
    energy,
    start,
    events: run(),
    async recovered() {
      if (!sum || count === 0) return (await fromNetUnits(current, offset))[0]!;
      const mean = tf.div(sum, count);
      try {
        return (await fromNetUnits(mean, offset))[0]!;
      } finally {
        mean.dispose();
      }
    },
    dispose() {
      net.dispose();
      current.dispose();
      sum?.dispose();
      m.dispose();
    },
  };
}

/**
 * x [N, T, …] rolled by `shift` frames along time (frame t moves to t + shift, the last ones wrap
 * to the front). The descriptors' temporal strides make them see frames at a few phases only; a
 * model that learned from a recovery at fixed positions would learn the recovery's artefacts at
 * those phases and keep them (measured: the first hidden frame of each run turned into saturated
 * checkerboards). Rolling the video by a random shift every iteration moves the hidden frames
 * through every phase. Owned by the caller.
 */
function roll(x: Tensor, shift: number): Tensor {
  const T = x.shape[1]!;
  const s = ((shift % T) + T) % T;
  if (s === 0) return tf.clone(x);
  return tf.tidy(() => {
    const size = (n: number) => x.shape.map((d, i) => (i === 1 ? n : d));
    const begin = (t: number) => x.shape.map((_, i) => (i === 1 ? t : 0));
    return tf.concat([tf.slice(x, begin(T - s), size(s)), tf.slice(x, begin(0), size(T - s))], 1);
  });
}
