/** Animated GIFs: a Langevin chain as a movie (core's encoder), and a GIF's frames as images. */
import { decodeRgba, isGrayPixels, rgbaToPixels, sniffPixels } from '@ebm/core';
import { ImageFormatError } from '../errors';
import { toChannels, type Image } from '../image';

export { encodeGif, type GifOptions } from '@ebm/core';

/**
 * Every frame of an animated GIF as an image (composed as a viewer shows them).
 * @throws ImageFormatError naming `path`.
 */
export function decodeGif(bytes: Uint8Array, path: string, options: { channels?: 1 | 3 | 'auto' } = {}): Image[] {
  if (sniffPixels(bytes) !== 'gif') throw new ImageFormatError(path, 'is not a GIF (no GIF8 signature)');
  const r = decodeRgba(bytes, path);
  const frames = r.frames.map((f) => rgbaToPixels(f, r.width, r.height));
  const c = options.channels ?? 'auto';
  const channels = c === 'auto' ? (frames.every(isGrayPixels) ? 1 : 3) : c;
  return frames.map((f) => toChannels(f, channels));
}
