/** What the ring task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';

export const INFO: MetricInfos = {
  mmd: { means: 'Squared MMD (Gaussian kernel, bandwidth 0.2) between model samples and the data.', better: 'lower', baseline: 'mmdNoise' },
  mmdNoise: { means: 'Baseline: the same MMD for uniform noise on the box.' },
  finalChainGradNorm: { means: 'Mean ‖∇x U‖ along the final sampling chains.' },
  modeCoverage: { means: 'Fraction of the 8 modes holding at least 5% of the samples.', better: 'higher' },
  meanDistToMode: { means: 'Mean distance of a sample to its nearest mode.', better: 'lower', baseline: ['meanDistToModeNoise', 'meanDistToModeData'] },
  modeSpacing: { means: 'Distance between neighbouring modes (a good run stays well below a quarter of it).' },
  meanDistToModeData: { means: "Reference: the data's own mean distance to its mode." },
  meanDistToModeNoise: { means: 'Baseline: the same distance for uniform noise.' },
  minModeShare: { means: 'Smallest share of the samples any mode gets (1/8 = 0.125 is even).', better: 'higher' },
  maxModeShare: { means: 'Largest share of the samples any mode gets (1/8 = 0.125 is even).', better: 'lower' },
};
