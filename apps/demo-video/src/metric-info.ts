/** What each task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';

const psnr = (kind: string) => ({
  means: `PSNR (dB, over the hidden pixels only) of the recovery from ${kind}: the descriptor learned from the damaged video alone, its Langevin chains filling the hidden pixels with the observed ones held fixed.`,
  better: 'higher' as const,
});

export const INFO: Record<'synthesize' | 'recover', MetricInfos> = {
  synthesize: {
    spatialDistance: { means: 'Texture distance of the synthesized frames to the observed ones: relative difference of Gram matrices of a fixed random filter bank at 3 scales, averaged over frames.', better: 'lower', baseline: 'spatialDistanceNoise' },
    spatialDistanceNoise: { means: "Baseline: the same for Gaussian noise with the video's mean and variance per channel." },
    temporalDistance: { means: 'Motion distance: relative difference of the amplitude spectra over time of frame differences (at 3 spatial scales) between the synthesized clips and the observed video.', better: 'lower', baseline: ['temporalDistanceStatic', 'temporalDistanceNoise'] },
    temporalDistanceStatic: { means: 'Baseline: the same for a clip repeating the first observed frame (no motion at all: exactly 1).' },
    temporalDistanceNoise: { means: 'Baseline: the same for the Gaussian noise clips (independent flicker in every pixel).' },
    nearestCopyL2: { means: 'Mean RMS distance (values in [0, 1]) from each synthesized frame to its nearest observed frame: near 0 would mean copies.', baseline: 'trainToTrainL2' },
    trainToTrainL2: { means: "The same from each observed frame to its nearest other observed frame: how far apart the video's own frames are." },
    spatialDistanceLong: { means: 'Texture distance of the fresh, longer clip.', better: 'lower' },
    temporalDistanceLong: { means: 'Motion distance of the fresh, longer clip.', better: 'lower' },
    size: { means: 'Frame side in pixels.' },
    frames: { means: 'Frames of the training clips and of the persistent chains.' },
    videoFrames: { means: 'Frames read from the video.' },
    longFrames: { means: 'Frames of the fresh, longer clip.' },
    chains: { means: 'Synthesized clips (persistent chains).' },
    trainSeconds: { means: 'Training time in seconds.' },
    longSeconds: { means: 'Seconds to draw the longer clip.' },
  },
  recover: {
    psnrPixels: { ...psnr('random hidden pixels'), baseline: 'psnrPixelsBaseline' },
    psnrPixelsBaseline: { means: 'Baseline: each hidden pixel filled with the mean of the same pixel in the nearest observed frames before and after.' },
    psnrFrames: { ...psnr('hidden frames'), baseline: 'psnrFramesBaseline' },
    psnrFramesBaseline: { means: 'Baseline: each hidden frame filled with the mean of the nearest observed frames before and after.' },
    hiddenPixelsFraction: { means: 'Share of pixels hidden (independently in every frame).' },
    hiddenFramesFraction: { means: 'Share of frames hidden (runs of 2 frames).' },
    size: { means: 'Frame side in pixels.' },
    frames: { means: 'Frames of the video.' },
    iterations: { means: 'Updates of each of the two models (one per kind of damage).' },
    trainSeconds: { means: 'Training time of both models in seconds.' },
  },
};
