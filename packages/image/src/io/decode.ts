/**
 * Image decoding through core's raster codecs (PNG, JPEG and GIF, sniffed from the bytes): every
 * damaged file is an ImageFormatError naming it, and nothing from deep inside a codec reaches
 * the user.
 */
import { decodeRgba, isGrayPixels, rgbaToPixels, sniffPixels, type PixelFormat } from '@ebm/core';
import { toChannels, type Image } from '../image';

export { MAX_PIXELS } from '@ebm/core';

export type ImageKind = PixelFormat;

/** The format of an image file from its first bytes, or undefined. */
export const sniffImage: (bytes: Uint8Array) => ImageKind | undefined = sniffPixels;

export interface DecodeOptions {
  /** 1 or 3 channels, or 'auto' (default): gray when every pixel has R = G = B. */
  channels?: 1 | 3 | 'auto';
}

/**
 * Decodes a PNG (any bit depth, palette, interlace), baseline or progressive JPEG, or the first
 * frame of a GIF. Transparent pixels are composited over white.
 * @throws ImageFormatError naming `path` for empty, truncated, corrupt or unsupported files.
 */
export function decodeImage(bytes: Uint8Array, path: string, options: DecodeOptions = {}): Image {
  const r = decodeRgba(bytes, path, { maxFrames: 1 });
  const img = rgbaToPixels(r.frames[0]!, r.width, r.height);
  const c = options.channels ?? 'auto';
  return toChannels(img, c === 'auto' ? (isGrayPixels(img) ? 1 : 3) : c);
}
