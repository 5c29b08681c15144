/**
 * Frame decoding through core's raster codecs: PNG, JPEG and GIF (every frame, composed as a
 * viewer shows it), the format sniffed from the bytes. Every codec failure is a VideoFormatError
 * naming the file.
 */
import { decodeRgba, rgbaToPixels, sniffPixels } from '@ebm/core';
import { clipFromFrames, type Clip, type Frame } from '../clip';
import { VideoFormatError } from '../errors';

export { sniffPixels as sniffFrame, MAX_PIXELS as MAX_FRAME_PIXELS, type PixelFormat as FrameKind } from '@ebm/core';

/** The most pixels of all frames of one clip held in memory (3.6 GB of float32 at 3 channels). */
export const MAX_CLIP_PIXELS = 300_000_000;

/**
 * One PNG or JPEG frame (or a GIF's first frame), RGB in [0, 1], transparency over white.
 * @throws VideoFormatError naming `path`.
 */
export function decodeFrame(bytes: Uint8Array, path: string): Frame {
  const r = decodeRgba(bytes, path, { maxFrames: 1 });
  return rgbaToPixels(r.frames[0]!, r.width, r.height);
}

/**
 * Every frame of an animated GIF as a clip (at most `maxFrames`, and at most MAX_CLIP_PIXELS in
 * all), RGB, with `fps` from the first frame's delay.
 * @throws VideoFormatError naming `path`.
 */
export function decodeGif(bytes: Uint8Array, path: string, options: { maxFrames?: number } = {}): Clip {
  if (sniffPixels(bytes) !== 'gif') throw new VideoFormatError(path, bytes.length === 0 ? 'is empty' : 'is not a GIF (no GIF8 signature)');
  const r = decodeRgba(bytes, path, { maxFrames: options.maxFrames, maxTotalPixels: MAX_CLIP_PIXELS });
  return clipFromFrames(
    r.frames.map((f) => rgbaToPixels(f, r.width, r.height)),
    r.delayMs ? 1000 / r.delayMs : undefined,
  );
}
