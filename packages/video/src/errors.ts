import { EbmError, FormatError } from '@ebm/core';

/**
 * A GIF, frame or video file that cannot be used: names the file and what is wrong with it. The
 * same class as @ebm/core's FormatError, so one `instanceof` check covers every modality.
 */
export const VideoFormatError = FormatError;
export type VideoFormatError = FormatError;

/** A video file needs the system's ffmpeg, and none was found; the message says how to install it. */
export class FfmpegMissingError extends EbmError {
  constructor(readonly path: string) {
    super(`${path}: reading this video needs ffmpeg, which was not found on PATH (install it, e.g. \`sudo apt install ffmpeg\` or \`brew install ffmpeg\`, or set EBM_FFMPEG to its path; GIFs and folders of PNG/JPEG frames need nothing)`);
  }
}
