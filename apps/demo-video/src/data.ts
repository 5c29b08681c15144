/**
 * The demo's video: the user's --data (an animated GIF, a folder of PNG/JPEG frames, or a video
 * file read through ffmpeg), or procedural travelling waves generated at run time.
 */
import { EbmError } from '@ebm/core';
import { InputError } from '@ebm/demo-kit';
import { clipShape, loadClip, proceduralVideo, type Clip } from '@ebm/video';
import type { VideoSize } from './settings';

export interface VideoData {
  video: Clip;
  source: string;
}

/** The video of a run; a file that cannot be used is the user's input, not a bug: one line, exit 2. */
export async function loadVideo(data: string | undefined, s: VideoSize): Promise<VideoData> {
  if (!data) return { video: proceduralVideo({ frames: s.videoFrames, size: s.size }), source: `procedural travelling waves with flicker and noise (${s.videoFrames} frames)` };
  let video: Clip;
  try {
    video = await loadClip(data, { maxFrames: s.videoFrames, maxSide: 4 * s.size });
  } catch (e) {
    if (e instanceof EbmError) throw new InputError(e.message);
    throw e;
  }
  if (video.frames < 4) throw new InputError(`${data}: has ${video.frames} frame${video.frames === 1 ? '' : 's'}; a dynamic texture needs at least 4`);
  return { video, source: `${data} (${clipShape(video)}${video.fps ? `, ${+video.fps.toFixed(2)} fps` : ''}, first ${video.frames} frames)` };
}

/**
 * The frame side a run uses: the mode's, or the video's smaller side when that is smaller — a
 * video is never enlarged to fit a size (upsampling adds no detail, only cost), down to 8 pixels.
 */
export function frameSide(video: Clip, size: number): number {
  return Math.max(8, Math.min(size, video.width, video.height));
}
