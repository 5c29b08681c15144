/**
 * Writing clips: animated GIFs and PNG frame strips, through core's raster encoders (a gray
 * palette for gray clips, one dithered colour cube for colour ones, the same for every frame).
 */
import { encodeGif as encodeFrames, InvalidOptionError, type GifOptions } from '@ebm/core';
import { clipFrames, type Clip, type Frame } from '../clip';

export { encodePng, type GifOptions } from '@ebm/core';

/** A clip as an animated GIF; the frame delay defaults to the clip's fps (else 100 ms). */
export function encodeGif(clip: Clip, options: GifOptions = {}): Uint8Array {
  return encodeFrames(clipFrames(clip), { delayMs: clip.fps ? 1000 / clip.fps : 100, ...options });
}

export interface StripOptions {
  /** Every how many frames a column is taken; default so that at most 16 columns show. */
  every?: number;
  /** Integer magnification (nearest neighbour); default 1. */
  scale?: number;
  /** Pixels between frames; default 2 (white). */
  pad?: number;
}

/**
 * Clips as one picture: a row per clip, a column per shown frame (frame 0, every, 2·every, …),
 * for reports. Clips may differ in length; all must share the frame size.
 */
export function frameStrip(clips: readonly Clip[], options: StripOptions = {}): Frame {
  if (clips.length === 0) throw new InvalidOptionError('frameStrip', 'clips', '[]', 'at least one clip');
  const { width, height } = clips[0]!;
  clips.forEach((c, i) => {
    if (c.width !== width || c.height !== height) throw new InvalidOptionError('frameStrip', `clips[${i}]`, `${c.width}×${c.height} frames`, `the frame size of clip 0 (${width}×${height})`);
  });
  const longest = Math.max(...clips.map((c) => c.frames));
  const every = options.every ?? Math.max(1, Math.ceil(longest / 16));
  const s = options.scale ?? 1;
  const pad = options.pad ?? 2;
  if (!Number.isInteger(s) || s < 1) throw new InvalidOptionError('frameStrip', 'scale', s, 'a positive integer');
  if (!Number.isInteger(every) || every < 1) throw new InvalidOptionError('frameStrip', 'every', every, 'a positive integer');
  const cols = Math.ceil(longest / every);
  const W = cols * width * s + (cols + 1) * pad;
  const H = clips.length * height * s + (clips.length + 1) * pad;
  const data = new Float32Array(W * H * 3).fill(1);
  clips.forEach((clip, r) => {
    const frames = clipFrames(clip);
    for (let j = 0; j * every < clip.frames; j++) {
      const f = frames[j * every]!;
      const ox = pad + j * (width * s + pad);
      const oy = pad + r * (height * s + pad);
      for (let y = 0; y < height * s; y++) {
        for (let x = 0; x < width * s; x++) {
          const src = (Math.floor(y / s) * width + Math.floor(x / s)) * f.channels;
          const dst = ((oy + y) * W + ox + x) * 3;
          for (let k = 0; k < 3; k++) data[dst + k] = f.data[src + (f.channels === 3 ? k : 0)]!;
        }
      }
    }
  });
  return { width: W, height: H, channels: 3, data };
}
