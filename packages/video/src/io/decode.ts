/**
 * Frame decoding: PNG (pngjs), JPEG (jpeg-js) and GIF (omggif, every frame composed as a viewer
 * shows it), the format sniffed from the bytes. Every codec failure becomes a VideoFormatError
 * naming the file: nothing from deep inside a codec reaches the user.
 */
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import pngjs from 'pngjs';
import { log } from '@ebm/core';
import { clipFromFrames, type Clip, type Frame } from '../clip';
import { VideoFormatError } from '../errors';

/** The largest frame decoded (pixels). */
export const MAX_FRAME_PIXELS = 50_000_000;
/** The most pixels of all frames of one clip held in memory (4 GB of float32 at 3 channels). */
export const MAX_CLIP_PIXELS = 300_000_000;

export type FrameKind = 'png' | 'jpeg' | 'gif';

/** The format of an image file from its first bytes, or undefined. */
export function sniffFrame(bytes: Uint8Array): FrameKind | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) return 'gif';
  return undefined;
}

function checkSize(width: number, height: number, path: string): void {
  if (!(width > 0 && height > 0)) throw new VideoFormatError(path, `has no pixels (${width}×${height})`);
  if (width * height > MAX_FRAME_PIXELS) throw new VideoFormatError(path, `has ${width}×${height} frames, over the ${MAX_FRAME_PIXELS / 1e6}-megapixel limit (downscale it first)`);
}

/**
 * One PNG or JPEG frame (or a GIF's first frame), RGB in [0, 1], transparency over white.
 * @throws VideoFormatError naming `path`.
 */
export function decodeFrame(bytes: Uint8Array, path: string): Frame {
  const kind = sniffFrame(bytes);
  if (kind === 'gif') return firstFrame(decodeGif(bytes, path, { maxFrames: 1 }));
  if (kind === 'png') {
    let png;
    try {
      png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new VideoFormatError(path, `is not a readable PNG (${(e as Error).message})`);
    }
    checkSize(png.width, png.height, path);
    return rgbaToFrame(new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height);
  }
  if (kind === 'jpeg') {
    let j;
    try {
      j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_FRAME_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    } catch (e) {
      throw new VideoFormatError(path, `is not a readable JPEG (${(e as Error).message})`);
    }
    checkSize(j.width, j.height, path);
    return rgbaToFrame(j.data, j.width, j.height);
  }
  throw new VideoFormatError(path, bytes.length === 0 ? 'is empty' : 'is not a PNG, JPEG or GIF image (unrecognised first bytes)');
}

function firstFrame(clip: Clip): Frame {
  return { width: clip.width, height: clip.height, channels: clip.channels, data: clip.data };
}

/**
 * Every frame of an animated GIF as a clip (at most `maxFrames`), gray when every frame is, with
 * `fps` from the first frame's delay.
 * @throws VideoFormatError naming `path`.
 */
export function decodeGif(bytes: Uint8Array, path: string, options: { maxFrames?: number } = {}): Clip {
  if (sniffFrame(bytes) !== 'gif') throw new VideoFormatError(path, bytes.length === 0 ? 'is empty' : 'is not a GIF (no GIF8 signature)');
  const { frames, delay } = decodeGifRgba(bytes, path, options.maxFrames ?? Infinity);
  return clipFromRgba(frames, delay > 0 ? 100 / delay : undefined);
}

function clipFromRgba(frames: Uint8Array[] & { width?: number; height?: number }, fps: number | undefined): Clip {
  return clipFromFrames(frames.map((f) => rgbaToFrame(f, frames.width!, frames.height!)), fps);
}

/** The composed RGBA frames of a GIF (disposal methods applied) and its first delay in 1/100 s. */
function decodeGifRgba(bytes: Uint8Array, path: string, limit: number): { frames: Uint8Array[] & { width?: number; height?: number }; delay: number } {
  let reader: omggif.GifReader;
  try {
    reader = new omggif.GifReader(bytes);
  } catch (e) {
    throw new VideoFormatError(path, `is not a readable GIF (${(e as Error).message})`);
  }
  const { width, height } = reader;
  checkSize(width, height, path);
  const n = Math.min(limit, reader.numFrames(), Math.max(1, Math.floor(MAX_CLIP_PIXELS / (width * height))));
  if (n === 0) throw new VideoFormatError(path, 'is a GIF without frames');
  if (n < Math.min(limit, reader.numFrames())) log('warn', `${path}: only the first ${n} of ${reader.numFrames()} frames are read (${MAX_CLIP_PIXELS / 1e6} megapixels in all)`);
  const canvas = new Uint8Array(width * height * 4);
  const frames: Uint8Array[] & { width?: number; height?: number } = Object.assign([], { width, height });
  let delay = 0;
  // omggif reports an LZW stream of the wrong length with console.log and decodes what it has,
  // as browsers do; the report becomes one warning naming the file.
  const quiet = console.log;
  let damaged = false;
  console.log = () => void (damaged = true);
  try {
    for (let i = 0; i < n; i++) {
      try {
        const info = reader.frameInfo(i);
        if (i === 0) delay = info.delay;
        const before = info.disposal === 3 ? canvas.slice() : undefined;
        reader.decodeAndBlitFrameRGBA(i, canvas);
        frames.push(canvas.slice());
        // Disposal 2 clears the frame's rectangle, 3 restores what was under it.
        if (info.disposal === 2) for (let y = info.y; y < Math.min(height, info.y + info.height); y++) canvas.fill(0, (y * width + info.x) * 4, (y * width + Math.min(width, info.x + info.width)) * 4);
        if (before) canvas.set(before);
      } catch (e) {
        throw new VideoFormatError(path, `frame ${i} of the GIF cannot be decoded (${(e as Error).message})`);
      }
    }
  } finally {
    console.log = quiet;
  }
  if (damaged) log('warn', `${path}: a GIF frame's data is shorter or longer than its size; decoded what is there`);
  return { frames, delay };
}

/** 8-bit RGBA → an RGB frame in [0, 1], alpha composited over white. */
export function rgbaToFrame(rgba: Uint8Array, width: number, height: number): Frame {
  const n = width * height;
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    for (let k = 0; k < 3; k++) data[3 * i + k] = (a * rgba[4 * i + k]!) / 255 + (1 - a);
  }
  return { width, height, channels: 3, data };
}
