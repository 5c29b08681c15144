/**
 * How a synthesized clip compares with the video it learned from, each number with a baseline
 * that a failure would score: the spatial texture of the frames (core's Gram distance), the
 * temporal statistics of the motion (the power spectrum over time of frame differences), and how
 * close the frames come to copies of the observed ones.
 */
import { gramDistance, InvalidOptionError, mulberry32, tf, type GramOptions } from '@ebm/core';
import { clipFrames, createClip, type Clip } from './clip';

function framesTensor(clips: readonly Clip[]): tf.Tensor4D {
  const { height, width, channels } = clips[0]!;
  const n = clips.reduce((a, c) => a + c.frames, 0);
  const buf = new Float32Array(n * height * width * channels);
  let o = 0;
  for (const c of clips) {
    if (c.height !== height || c.width !== width || c.channels !== channels) throw new InvalidOptionError('videoMetrics', 'clips', `${c.height}×${c.width}×${c.channels} frames`, `frames of one size (${height}×${width}×${channels})`);
    buf.set(c.data, o);
    o += c.data.length;
  }
  return tf.tensor4d(buf, [n, height, width, channels]);
}

/**
 * The Gram-matrix texture distance of every frame of `x` to the frames of `reference`
 * (core's `gramDistance`: relative distance of random-filter Gram matrices to the reference
 * frames' mean), averaged over frames. ~0 for the reference itself; of order 1 for noise.
 */
export async function spatialDistance(x: readonly Clip[], reference: readonly Clip[], options: GramOptions = {}): Promise<number> {
  const a = framesTensor(x);
  const b = framesTensor(reference);
  try {
    return await gramDistance(a, b, { scales: Math.min(3, Math.max(1, Math.floor(Math.log2(Math.min(a.shape[1], a.shape[2]) / 5)) + 1)), ...options });
  } finally {
    a.dispose();
    b.dispose();
  }
}

export interface TemporalOptions {
  /** Frames per window of the spectrum (Welch's method: windows overlap by half); default min(16, shortest clip). */
  window?: number;
  /** Spatial scales: the frames, then 2×2-averaged, …; default 3 (fewer for small frames). */
  scales?: number;
}

/**
 * The motion statistics of clips: at each spatial scale, the amplitude spectrum over time of
 * the frame differences x(t+1) − x(t) (Hann-windowed periodograms averaged over windows, pixels
 * and channels; frequencies 1 … window/2). Averaging frames spatially before differencing keeps
 * coherent motion (a wave moving across the frame) and removes pixel noise, so a clip whose pixels
 * flicker independently scores differently at coarse scales from one that moves.
 */
export function temporalSpectrum(clips: readonly Clip[], options: TemporalOptions = {}): Float64Array[] {
  const shortest = Math.min(...clips.map((c) => c.frames));
  const win = (options.window ?? Math.min(16, shortest - 1)) | 0;
  if (win < 2 || win > shortest - 1) throw new InvalidOptionError('temporalSpectrum', 'window', win, `2 … ${shortest - 1} (frames of the shortest clip, less 1)`);
  const maxScales = Math.max(1, Math.floor(Math.log2(Math.min(clips[0]!.height, clips[0]!.width) / 4)) + 1);
  const scales = Math.min(options.scales ?? 3, maxScales);
  const bins = Math.floor(win / 2);
  const hann = Float64Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / win));
  const cos = Float64Array.from({ length: bins * win }, (_, j) => Math.cos((2 * Math.PI * (Math.floor(j / win) + 1) * (j % win)) / win));
  const sin = Float64Array.from({ length: bins * win }, (_, j) => Math.sin((2 * Math.PI * (Math.floor(j / win) + 1) * (j % win)) / win));
  const out: Float64Array[] = [];
  for (let s = 0; s < scales; s++) {
    const power = new Float64Array(bins);
    let count = 0;
    for (const clip of clips) {
      const f = 2 ** s;
      const h = Math.floor(clip.height / f);
      const w = Math.floor(clip.width / f);
      const c = clip.channels;
      const small = pooled(clip, f, h, w);
      const diffs = clip.frames - 1;
      const seq = new Float64Array(win);
      for (let start = 0; start + win <= diffs; start += Math.max(1, win >> 1)) {
        for (let p = 0; p < h * w * c; p++) {
          for (let t = 0; t < win; t++) seq[t] = (small[(start + t + 1) * h * w * c + p]! - small[(start + t) * h * w * c + p]!) * hann[t]!;
          for (let k = 0; k < bins; k++) {
            let re = 0;
            let im = 0;
            for (let t = 0; t < win; t++) {
              re += seq[t]! * cos[k * win + t]!;
              im += seq[t]! * sin[k * win + t]!;
            }
            power[k]! += re * re + im * im;
          }
          count++;
        }
      }
    }
    out.push(power.map((v) => Math.sqrt(v / count)));
  }
  return out;
}

/** Frames averaged over f×f blocks: [T, h, w, C] flattened. */
function pooled(clip: Clip, f: number, h: number, w: number): Float64Array {
  const c = clip.channels;
  const out = new Float64Array(clip.frames * h * w * c);
  for (let t = 0; t < clip.frames; t++) {
    for (let y = 0; y < h * f; y++) {
      for (let x = 0; x < w * f; x++) {
        const src = ((t * clip.height + y) * clip.width + x) * c;
        const dst = ((t * h + Math.floor(y / f)) * w + Math.floor(x / f)) * c;
        for (let k = 0; k < c; k++) out[dst + k]! += clip.data[src + k]! / (f * f);
      }
    }
  }
  return out;
}

/**
 * How far the motion of `x` is from that of `reference`: per spatial scale, the relative distance
 * ‖S(x) − S(ref)‖ / ‖S(ref)‖ of their temporal spectra (`temporalSpectrum`), averaged over scales.
 * 0 for the same statistics; exactly 1 for a clip that does not move; above 1 for white flicker.
 */
export function temporalDistance(x: readonly Clip[], reference: readonly Clip[], options: TemporalOptions = {}): number {
  const shortest = Math.min(...[...x, ...reference].map((c) => c.frames));
  const o = { window: Math.min(16, shortest - 1), ...options };
  const a = temporalSpectrum(x, o);
  const b = temporalSpectrum(reference, o);
  let sum = 0;
  for (let s = 0; s < b.length; s++) {
    let d = 0;
    let n = 0;
    for (let k = 0; k < b[s]!.length; k++) {
      d += (a[s]![k]! - b[s]![k]!) ** 2;
      n += b[s]![k]! ** 2;
    }
    if (n === 0) throw new InvalidOptionError('temporalDistance', 'reference', 'clips that do not move', 'a moving reference');
    sum += Math.sqrt(d / n);
  }
  return sum / b.length;
}

/** Root-mean-square difference of two frames (values in [0, 1]). */
function rms(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

/**
 * The mean over the frames of `x` of the RMS distance to the nearest frame of `reference`: near 0
 * when `x` copies frames of the reference.
 */
export function nearestFrameDistance(x: readonly Clip[], reference: readonly Clip[]): number {
  const refs = reference.flatMap((c) => clipFrames(c).map((f) => f.data));
  const xs = x.flatMap((c) => clipFrames(c).map((f) => f.data));
  return xs.reduce((acc, f) => acc + Math.min(...refs.map((r) => rms(f, r))), 0) / xs.length;
}

/**
 * The same within one video: the mean over its frames of the distance to the nearest other frame
 * (usually a neighbour in time): how far apart the video's own frames are, the scale against
 * which `nearestFrameDistance` says "copy" or "new".
 */
export function ownNearestFrameDistance(video: Clip): number {
  const fs = clipFrames(video).map((f) => f.data);
  if (fs.length < 2) throw new InvalidOptionError('ownNearestFrameDistance', 'video', `${fs.length} frame`, 'at least 2 frames');
  return fs.reduce((acc, f, i) => acc + Math.min(...fs.filter((_, j) => j !== i).map((g) => rms(f, g))), 0) / fs.length;
}

/** Gaussian noise with the video's per-channel mean and variance, independent in every pixel and frame (clamped to [0, 1]). */
export function noiseLike(video: Clip, seed = 0, frames = video.frames): Clip {
  const c = video.channels;
  const mean = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < video.data.length; i++) {
    mean[i % c]! += video.data[i]!;
    sq[i % c]! += video.data[i]! ** 2;
  }
  const n = video.data.length / c;
  const sd = Array.from(mean, (m, k) => Math.sqrt(Math.max(0, sq[k]! / n - (m / n) ** 2)));
  const out = createClip(frames, video.height, video.width, c);
  const rand = mulberry32(seed);
  for (let i = 0; i < out.data.length; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out.data[i] = Math.min(1, Math.max(0, mean[i % c]! / n + sd[i % c]! * r * Math.cos(2 * Math.PI * v)));
    if (i + 1 < out.data.length) out.data[i + 1] = Math.min(1, Math.max(0, mean[(i + 1) % c]! / n + sd[(i + 1) % c]! * r * Math.sin(2 * Math.PI * v)));
  }
  return out;
}

/** A clip that repeats frame `t` of the video: the texture without its motion. */
export function staticLike(video: Clip, t = 0, frames = video.frames): Clip {
  const f = clipFrames(video)[t]!;
  const out = createClip(frames, video.height, video.width, video.channels);
  for (let i = 0; i < frames; i++) out.data.set(f.data, i * f.data.length);
  return out;
}
