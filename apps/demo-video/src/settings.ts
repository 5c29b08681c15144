/**
 * Run sizes per mode. The preset (stCpu from @ebm/video, whose `source` says what it scales down
 * from the paper) is sized here: --smoke checks the pipeline in seconds, --quick fits each task in
 * about 5 minutes on 2 cores (measured, docs/video.md), --full is a longer, larger run.
 */
import type { Mode } from '@ebm/demo-kit';

export interface VideoSize {
  /** Frame side the video is resized to. */
  size: number;
  /** Frames of the net's clips. */
  frames: number;
  /** Frames read from the video (and of the procedural default). */
  videoFrames: number;
}

export const SYNTHESIZE: Record<Mode, VideoSize & { iterations: number; longFrames: number; longSteps: number }> = {
  smoke: { size: 16, frames: 8, videoFrames: 12, iterations: 3, longFrames: 12, longSteps: 20 },
  quick: { size: 32, frames: 16, videoFrames: 32, iterations: 250, longFrames: 24, longSteps: 600 },
  full: { size: 64, frames: 24, videoFrames: 70, iterations: 500, longFrames: 48, longSteps: 2000 },
};

export const RECOVER: Record<Mode, VideoSize & { iterations: number }> = {
  smoke: { size: 16, frames: 8, videoFrames: 8, iterations: 3 },
  quick: { size: 32, frames: 16, videoFrames: 16, iterations: 100 },
  full: { size: 64, frames: 24, videoFrames: 24, iterations: 500 },
};
