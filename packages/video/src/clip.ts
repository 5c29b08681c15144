/**
 * Clips as the package passes them around: frames × height × width × channels, row-major
 * (channels last, as the nets' NDHWC tensors with time as depth), values in [0, 1].
 * `clipsToTensor` maps clips to the range a net is trained in.
 */
import { InvalidOptionError, isGrayPixels, ShapeMismatchError, tf, type Tensor } from '@ebm/core';

export interface Clip {
  frames: number;
  height: number;
  width: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** frames · height · width · channels values in [0, 1]. */
  data: Float32Array;
  /** Frames per second where the source says (GIF delays, ffmpeg); informational. */
  fps?: number;
}

/** One frame of a clip: height × width × channels in [0, 1] (the layout of @ebm/image's Image). */
export interface Frame {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** The pixel range a net sees: [0, 1] maps linearly onto [lo, hi]. */
export type PixelRange = readonly [number, number];

/** A blank clip. */
export function createClip(frames: number, height: number, width: number, channels: 1 | 3, fill = 0): Clip {
  for (const [k, v] of Object.entries({ frames, height, width })) if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError('createClip', k, v, 'a positive integer');
  return { frames, height, width, channels, data: new Float32Array(frames * height * width * channels).fill(fill) };
}

/** Frame t of a clip (a view, not a copy). */
export function clipFrame(clip: Clip, t: number): Frame {
  if (!Number.isInteger(t) || t < 0 || t >= clip.frames) throw new InvalidOptionError('clipFrame', 't', t, `a frame index in [0, ${clip.frames})`);
  const n = clip.height * clip.width * clip.channels;
  return { width: clip.width, height: clip.height, channels: clip.channels, data: clip.data.subarray(t * n, (t + 1) * n) };
}

/** Every frame of a clip (views). */
export function clipFrames(clip: Clip): Frame[] {
  return Array.from({ length: clip.frames }, (_, t) => clipFrame(clip, t));
}

/**
 * A clip from frames of one size.
 * @throws ShapeMismatchError naming the first frame of another size.
 */
export function clipFromFrames(frames: readonly Frame[], fps?: number): Clip {
  if (frames.length === 0) throw new InvalidOptionError('clipFromFrames', 'frames', '[]', 'at least one frame');
  const { width, height } = frames[0]!;
  const channels = frames.every((f) => f.channels === 1) ? 1 : 3;
  const clip = createClip(frames.length, height, width, channels);
  const n = width * height * channels;
  frames.forEach((f, t) => {
    if (f.width !== width || f.height !== height) throw new ShapeMismatchError(`clipFromFrames: frame ${t} is ${f.width}×${f.height}, frame 0 is ${width}×${height}`);
    clip.data.set(frameChannels(f, channels).data, t * n);
  });
  return fps === undefined ? clip : { ...clip, fps };
}

function frameChannels(f: Frame, channels: 1 | 3): Frame {
  if (f.channels === channels) return f;
  const p = f.width * f.height;
  const data = new Float32Array(p * channels);
  if (channels === 1) for (let i = 0; i < p; i++) data[i] = (f.data[3 * i]! + f.data[3 * i + 1]! + f.data[3 * i + 2]!) / 3;
  else for (let i = 0; i < p; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = f.data[i]!;
  return { ...f, channels, data };
}

/** The clip with 1 or 3 channels (gray = the mean of R, G, B; gray → RGB repeats it). */
export function clipChannels(clip: Clip, channels: 1 | 3): Clip {
  return clip.channels === channels ? clip : { ...clipFromFrames(clipFrames(clip).map((f) => frameChannels(f, channels))), ...(clip.fps ? { fps: clip.fps } : {}) };
}

/** True when every pixel of every frame has R = G = B. */
export function isGrayClip(clip: Clip): boolean {
  return isGrayPixels({ width: clip.width, height: clip.height * clip.frames, channels: clip.channels, data: clip.data });
}

/** Frames [start, start + count) of a clip. */
export function cropFrames(clip: Clip, start: number, count: number): Clip {
  if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 1 || start + count > clip.frames) throw new InvalidOptionError('cropFrames', 'range', `${count} frames from ${start}`, `inside the clip's ${clip.frames} frames`);
  const n = clip.height * clip.width * clip.channels;
  return { ...clip, frames: count, data: clip.data.slice(start * n, (start + count) * n) };
}

/** The largest centred square of every frame. */
export function centerSquareClip(clip: Clip): Clip {
  const s = Math.min(clip.width, clip.height);
  if (s === clip.width && s === clip.height) return clip;
  const x0 = Math.floor((clip.width - s) / 2);
  const y0 = Math.floor((clip.height - s) / 2);
  const c = clip.channels;
  const out = createClip(clip.frames, s, s, c);
  for (let t = 0; t < clip.frames; t++) {
    for (let y = 0; y < s; y++) {
      const src = ((t * clip.height + y0 + y) * clip.width + x0) * c;
      out.data.set(clip.data.subarray(src, src + s * c), (t * s + y) * s * c);
    }
  }
  return { ...out, ...(clip.fps ? { fps: clip.fps } : {}) };
}

/**
 * Resamples every frame to width × height (and, with `frames`, time to that many frames). Each
 * axis is resampled separably: shrinking averages each output sample's footprint exactly (area
 * resampling, no aliasing), enlarging interpolates linearly between sample centres.
 */
export function resizeClip(clip: Clip, width: number, height: number, frames = clip.frames): Clip {
  for (const [k, v] of Object.entries({ width, height, frames })) if (!Number.isInteger(v) || v < 1) throw new InvalidOptionError('resizeClip', k, v, 'a positive integer');
  if (width === clip.width && height === clip.height && frames === clip.frames) return clip;
  const c = clip.channels;
  const out = tf.tidy(() => {
    let x: Tensor = tf.tensor(clip.data, [clip.frames, clip.height, clip.width * c]);
    // Axis by axis as matrix products with the [out, in] resampling matrices.
    const byAxis = (t: Tensor, m: Tensor) => tf.matMul(m as tf.Tensor2D, t as tf.Tensor2D);
    const [T, H, W] = [clip.frames, clip.height, clip.width];
    x = tf.reshape(byAxis(tf.reshape(x, [T, H * W * c]), resampleMatrix(T, frames)), [frames, H, W, c]);
    x = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [H, frames * W * c]);
    x = tf.transpose(tf.reshape(byAxis(x, resampleMatrix(H, height)), [height, frames, W, c]), [1, 0, 2, 3]);
    x = tf.reshape(tf.transpose(x, [2, 0, 1, 3]), [W, frames * height * c]);
    x = tf.transpose(tf.reshape(byAxis(x, resampleMatrix(W, width)), [width, frames, height, c]), [1, 2, 0, 3]);
    return tf.clipByValue(x, 0, 1);
  });
  const data = out.dataSync() as Float32Array;
  out.dispose();
  return { frames, height, width, channels: c, data: Float32Array.from(data), ...(clip.fps ? { fps: (clip.fps * frames) / clip.frames } : {}) };
}

/** The [m, n] matrix that resamples n samples to m (area when shrinking, linear when enlarging). */
function resampleMatrix(n: number, m: number): Tensor {
  const w = new Float32Array(m * n);
  const s = n / m;
  for (let o = 0; o < m; o++) {
    if (m < n) {
      const a = o * s;
      const b = a + s;
      for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i++) w[o * n + i] = Math.max(0, Math.min(b, i + 1) - Math.max(a, i)) / s;
    } else {
      const p = Math.min(n - 1, Math.max(0, (o + 0.5) * s - 0.5));
      const i = Math.floor(p);
      const f = p - i;
      w[o * n + i] = 1 - f;
      if (f > 0 && i + 1 < n) w[o * n + i + 1] = f;
    }
  }
  return tf.tensor2d(w, [m, n]);
}

/**
 * Clips of one size as an [N, T, H, W, C] tensor in `range`. Owned by the caller.
 * @throws ShapeMismatchError naming the first clip whose size differs.
 */
export function clipsToTensor(clips: readonly Clip[], range: PixelRange): Tensor {
  if (clips.length === 0) throw new InvalidOptionError('clipsToTensor', 'clips', '[]', 'at least one clip');
  const { frames, height, width, channels } = clips[0]!;
  const size = clips[0]!.data.length;
  const buf = new Float32Array(clips.length * size);
  const [lo, hi] = range;
  clips.forEach((clip, i) => {
    if (clip.frames !== frames || clip.height !== height || clip.width !== width || clip.channels !== channels) throw new ShapeMismatchError(`clipsToTensor: clip ${i} is ${clipShape(clip)}, clip 0 is ${clipShape(clips[0]!)} (resize or crop them first)`);
    for (let j = 0; j < size; j++) buf[i * size + j] = lo + (hi - lo) * clip.data[j]!;
  });
  return tf.tensor(buf, [clips.length, frames, height, width, channels]);
}

/** An [N, T, H, W, C] tensor in `range` back to clips, clamped to [0, 1]. Borrows t. */
export async function tensorToClips(t: Tensor, range: PixelRange): Promise<Clip[]> {
  if (t.rank !== 5 || (t.shape[4] !== 1 && t.shape[4] !== 3)) throw new ShapeMismatchError(`tensorToClips: expected [N, T, H, W, 1 or 3], got [${t.shape}]`);
  const [n, frames, height, width, channels] = t.shape as [number, number, number, number, 1 | 3];
  const v = (await t.data()) as Float32Array;
  const [lo, hi] = range;
  const size = frames * height * width * channels;
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(size);
    for (let j = 0; j < size; j++) data[j] = Math.min(1, Math.max(0, (v[i * size + j]! - lo) / (hi - lo)));
    return { frames, height, width, channels, data };
  });
}

/** "16×32×32×3" (frames × height × width × channels). */
export const clipShape = (c: Pick<Clip, 'frames' | 'height' | 'width' | 'channels'>) => `${c.frames}×${c.height}×${c.width}×${c.channels}`;
