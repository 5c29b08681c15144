/**
 * Writing clips: animated GIFs (omggif) and PNG frames and strips (pngjs). Gray clips use a
 * 256-level gray palette (exact at 8 bits); colour clips one fixed 6×7×6 colour cube with
 * ordered dithering, the same palette and the same dither for every frame, so that a still
 * region stays still in the movie.
 */
import { InvalidOptionError } from '@ebm/core';
import omggif from 'omggif';
import pngjs from 'pngjs';
import { clipFrames, isGrayClip, type Clip, type Frame } from '../clip';

export interface GifOptions {
  /** Time each frame is shown, in milliseconds (GIF stores hundredths); default from the clip's fps, else 100. */
  delayMs?: number;
  /** Repeat forever (default true) or play once. */
  loop?: boolean;
}

const GRAY = Array.from({ length: 256 }, (_, i) => (i << 16) | (i << 8) | i);
const LEVELS = [6, 7, 6] as const;
const CUBE = Array.from({ length: 256 }, (_, i) => {
  if (i >= 252) return 0;
  const r = Math.floor(i / 42);
  const g = Math.floor((i % 42) / 6);
  const b = i % 6;
  return (Math.round((255 * r) / 5) << 16) | (Math.round((255 * g) / 6) << 8) | Math.round((255 * b) / 5);
});
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => (v + 0.5) / 16 - 0.5);

/** A clip as an animated GIF. */
export function encodeGif(clip: Clip, options: GifOptions = {}): Uint8Array {
  const { width, height } = clip;
  const gray = isGrayClip(clip);
  const buf = new Uint8Array(4096 + clip.frames * (2 * width * height + 1024));
  const writer = new omggif.GifWriter(buf, width, height, { palette: gray ? GRAY : CUBE, ...(options.loop === false ? {} : { loop: 0 }) });
  const ms = options.delayMs ?? (clip.fps ? 1000 / clip.fps : 100);
  const delay = Math.max(2, Math.round(ms / 10));
  for (const f of clipFrames(clip)) writer.addFrame(0, 0, width, height, (gray ? grayIndices(f) : cubeIndices(f)) as unknown as number[], { delay });
  return buf.slice(0, writer.end());
}

function grayIndices(f: Frame): Uint8Array {
  const c = f.channels;
  const out = new Uint8Array(f.width * f.height);
  for (let p = 0; p < out.length; p++) out[p] = Math.round(255 * Math.min(1, Math.max(0, f.data[p * c]!)));
  return out;
}

function cubeIndices(f: Frame): Uint8Array {
  const out = new Uint8Array(f.width * f.height);
  const c = f.channels;
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const p = y * f.width + x;
      const d = BAYER[(y & 3) * 4 + (x & 3)]!;
      const q = LEVELS.map((l, k) => Math.min(l - 1, Math.max(0, Math.round(f.data[p * c + (c === 3 ? k : 0)]! * (l - 1) + d))));
      out[p] = q[0]! * 42 + q[1]! * 6 + q[2]!;
    }
  }
  return out;
}

/** A frame as an 8-bit RGB PNG. */
export function encodePng(f: Frame): Uint8Array {
  const png = new pngjs.PNG({ width: f.width, height: f.height });
  const c = f.channels;
  for (let p = 0; p < f.width * f.height; p++) {
    for (let k = 0; k < 3; k++) png.data[4 * p + k] = Math.round(255 * Math.min(1, Math.max(0, f.data[p * c + (c === 3 ? k : 0)]!)));
    png.data[4 * p + 3] = 255;
  }
  return new Uint8Array(pngjs.PNG.sync.write(png));
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
