/**
 * PNG, JPEG and GIF decoding through pngjs, jpeg-js and omggif, behind one function that sniffs
 * the format from the bytes (not the extension) and turns every codec failure into an
 * ImageFormatError naming the file: nothing from deep inside a codec reaches the user.
 */
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import pngjs from 'pngjs';
import { log } from '@ebm/core';
import { ImageFormatError } from '../errors';
import { isGray, toChannels, type Image } from '../image';

/** The largest image decoded (pixels); a 100-megapixel photo is not training data for these nets. */
export const MAX_PIXELS = 50_000_000;

export type ImageKind = 'png' | 'jpeg' | 'gif';

/** The format of an image file from its first bytes, or undefined. */
export function sniffImage(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) return 'gif';
  return undefined;
}

export interface DecodeOptions {
  /** 1 or 3 channels, or 'auto' (default): gray when every pixel has R = G = B. */
  channels?: 1 | 3 | 'auto';
}

/**
 * Decodes a PNG (any bit depth, palette, interlace), baseline or progressive JPEG, or the first
 * frame of a GIF. Transparent pixels are composited over white.
 * @throws ImageFormatError naming `path` for truncated, corrupt or unsupported files.
 */
export function decodeImage(bytes: Uint8Array, path: string, options: DecodeOptions = {}): Image {
  const kind = sniffImage(bytes);
  if (!kind) throw new ImageFormatError(path, bytes.length === 0 ? 'is empty' : 'is not a PNG, JPEG or GIF image (unrecognised first bytes)');
  const rgba = kind === 'gif' ? decodeGifFrames(bytes, path, 1)[0]! : kind === 'png' ? decodePng(bytes, path) : decodeJpeg(bytes, path);
  const img = fromRgba(rgba.data, rgba.width, rgba.height);
  const c = options.channels ?? 'auto';
  return toChannels(img, c === 'auto' ? (isGray(img) ? 1 : 3) : c);
}

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

function checkSize(width: number, height: number, path: string): void {
  if (!(width > 0 && height > 0)) throw new ImageFormatError(path, `has no pixels (${width}×${height})`);
  if (width * height > MAX_PIXELS) throw new ImageFormatError(path, `is ${width}×${height} pixels, over the ${MAX_PIXELS / 1e6}-megapixel limit (downscale it first)`);
}

function decodePng(bytes: Uint8Array, path: string): Rgba {
  let png;
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ImageFormatError(path, `is not a readable PNG (${(e as Error).message})`);
  }
  checkSize(png.width, png.height, path);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
}

function decodeJpeg(bytes: Uint8Array, path: string): Rgba {
  let j;
  try {
    j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new ImageFormatError(path, `is not a readable JPEG (${(e as Error).message})`);
  }
  checkSize(j.width, j.height, path);
  return { width: j.width, height: j.height, data: j.data };
}

/**
 * The composed frames of a GIF (each frame drawn over the previous one, with the format's
 * disposal methods), at most `limit` of them.
 * @throws ImageFormatError naming `path`.
 */
export function decodeGifFrames(bytes: Uint8Array, path: string, limit = Infinity): Rgba[] {
  let reader: omggif.GifReader;
  try {
    reader = new omggif.GifReader(bytes);
  } catch (e) {
    throw new ImageFormatError(path, `is not a readable GIF (${(e as Error).message})`);
  }
  const { width, height } = reader;
  checkSize(width, height, path);
  const n = Math.min(limit, reader.numFrames());
  if (n === 0) throw new ImageFormatError(path, 'is a GIF without frames');
  const canvas = new Uint8Array(width * height * 4);
  const frames: Rgba[] = [];
  // omggif reports an LZW stream of the wrong length with console.log and decodes what it has,
  // as browsers do; the report is turned into one warning naming the file.
  const quiet = console.log;
  let damaged = false;
  console.log = () => void (damaged = true);
  try {
    for (let i = 0; i < n; i++) {
      try {
        const info = reader.frameInfo(i);
        const before = info.disposal === 3 ? canvas.slice() : undefined;
        reader.decodeAndBlitFrameRGBA(i, canvas);
        frames.push({ width, height, data: canvas.slice() });
        // Disposal 2 clears the frame's rectangle, 3 restores what was under it.
        if (info.disposal === 2) for (let y = info.y; y < Math.min(height, info.y + info.height); y++) canvas.fill(0, (y * width + info.x) * 4, (y * width + Math.min(width, info.x + info.width)) * 4);
        if (before) canvas.set(before);
      } catch (e) {
        throw new ImageFormatError(path, `frame ${i} of the GIF cannot be decoded (${(e as Error).message})`);
      }
    }
  } finally {
    console.log = quiet;
  }
  if (damaged) log('warn', `${path}: a GIF frame's data is shorter or longer than its size; decoded what is there`);
  return frames;
}

/** 8-bit RGBA → an RGB image in [0, 1], alpha composited over white. */
export function fromRgba(rgba: Uint8Array, width: number, height: number): Image {
  const n = width * height;
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    for (let k = 0; k < 3; k++) data[3 * i + k] = (a * rgba[4 * i + k]!) / 255 + (1 - a);
  }
  return { width, height, channels: 3, data };
}
