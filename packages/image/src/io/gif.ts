/**
 * Animated GIFs (omggif): a Langevin chain as a movie, and GIF frames as images. Gray images
 * use a 256-level gray palette (exact at 8 bits); colour images a fixed 6×7×6 colour cube with
 * ordered dithering, which keeps every frame on one palette so the movie does not flicker.
 */
import { InvalidOptionError } from '@ebm/core';
import omggif from 'omggif';
import { ImageFormatError } from '../errors';
import { isGray, toChannels, type Image } from '../image';
import { decodeGifFrames, fromRgba } from './decode';

export interface GifOptions {
  /** Time each frame is shown, in milliseconds (GIF stores hundredths); default 100. */
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

/**
 * Encodes frames of one size as an animated GIF.
 * @throws InvalidOptionError when frames are missing or differ in size.
 */
export function encodeGif(frames: readonly Image[], options: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new InvalidOptionError('encodeGif', 'frames', '[]', 'at least one frame');
  const { width, height } = frames[0]!;
  frames.forEach((f, i) => {
    if (f.width !== width || f.height !== height) throw new InvalidOptionError('encodeGif', `frames[${i}]`, `${f.width}×${f.height}`, `the size of frame 0 (${width}×${height})`);
  });
  const gray = frames.every(isGray);
  const buf = new Uint8Array(4096 + frames.length * (2 * width * height + 1024));
  const writer = new omggif.GifWriter(buf, width, height, { palette: gray ? GRAY : CUBE, ...(options.loop === false ? {} : { loop: 0 }) });
  const delay = Math.max(1, Math.round((options.delayMs ?? 100) / 10));
  for (const f of frames) writer.addFrame(0, 0, width, height, (gray ? grayIndices(toChannels(f, 1)) : cubeIndices(toChannels(f, 3))) as unknown as number[], { delay });
  return buf.slice(0, writer.end());
}

function grayIndices(img: Image): Uint8Array {
  return Uint8Array.from(img.data, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
}

function cubeIndices(img: Image): Uint8Array {
  const out = new Uint8Array(img.width * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const p = y * img.width + x;
      const d = BAYER[(y & 3) * 4 + (x & 3)]!;
      const q = LEVELS.map((l, k) => Math.min(l - 1, Math.max(0, Math.round(img.data[3 * p + k]! * (l - 1) + d))));
      out[p] = q[0]! * 42 + q[1]! * 6 + q[2]!;
    }
  }
  return out;
}

/**
 * Every frame of an animated GIF as an image (composed as a viewer shows them).
 * @throws ImageFormatError naming `path`.
 */
export function decodeGif(bytes: Uint8Array, path: string, options: { channels?: 1 | 3 | 'auto' } = {}): Image[] {
  if (!(bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46)) throw new ImageFormatError(path, 'is not a GIF (no GIF8 signature)');
  const frames = decodeGifFrames(bytes, path).map((f) => fromRgba(f.data, f.width, f.height));
  const c = options.channels ?? 'auto';
  const channels = c === 'auto' ? (frames.every(isGray) ? 1 : 3) : c;
  return frames.map((f) => toChannels(f, channels));
}
