/**
 * Run sizes per mode. Each task's preset (from @ebm/image, whose `source` says what it scales down
 * from the paper) is sized here: --smoke checks the pipeline in seconds, --quick fits each task in
 * about 5 minutes on 2 cores (measured, docs/image.md), a full run uses the paper's net where a
 * CPU can afford it.
 */
import type { Mode } from '@ebm/demo-kit';

export type { Mode };

export const TEXTURE: Record<Mode, { size: number; iterations: number; paperNet: boolean }> = {
  smoke: { size: 32, iterations: 4, paperNet: false },
  quick: { size: 64, iterations: 600, paperNet: false },
  full: { size: 224, iterations: 600, paperNet: true },
};

export const OBJECT: Record<Mode, { images: number; chains: number; iterations: number }> = {
  smoke: { images: 8, chains: 8, iterations: 4 },
  quick: { images: 32, chains: 16, iterations: 600 },
  full: { images: 64, chains: 32, iterations: 2000 },
};

/**
 * Short-run. The full run stops at 4500 updates: at 6000 (seed 0, 2026-12-01) it trained soundly
 * to 4500, then between 4600 and 4800 its energies ran to 1e6–1e9 and every sample became the
 * same image; rolling back and halving the learning rate down to 1/16 did not stop it recurring
 * (docs/image.md). Runs are bit-identical up to the breakdown, so 4500 is that run's sound model.
 */
export const SHORTRUN: Record<Mode, { images: number; iterations: number; nf: number; steps: number; samples: number }> = {
  smoke: { images: 64, iterations: 4, nf: 4, steps: 5, samples: 100 },
  quick: { images: 4000, iterations: 1200, nf: 8, steps: 30, samples: 500 },
  full: { images: 20000, iterations: 4500, nf: 16, steps: 40, samples: 1000 },
};

/**
 * Multigrid. The full run stops at 1500 updates: at 3000 (seed 0, 2026-12-01) the parameter
 * gradients jumped 4× after ~1650 updates and the final samples collapsed to one small blob (FID
 * 407 against 27.9 for the single grid), while the training chains' variance and nearest-data
 * ratio stayed normal (docs/image.md).
 */
export const MULTIGRID: Record<Mode, { images: number; iterations: number; steps: number; samples: number }> = {
  smoke: { images: 64, iterations: 3, steps: 3, samples: 100 },
  quick: { images: 4000, iterations: 300, steps: 20, samples: 500 },
  full: { images: 20000, iterations: 1500, steps: 30, samples: 1000 },
};

/**
 * Inpainting (recover). Learning rate measured on --quick (mean of 16 chains, 100 unseen digits):
 * 1e-3 gave 7.67 dB, 3e-4 7.92 dB (7.93 with 10,000 training digits, 7.83 with 40 steps; 7.66
 * with 600 updates).
 */
export const RECOVER: Record<Mode, { images: number; batch: number; tests: number; iterations: number; steps: number; learningRate: number }> = {
  smoke: { images: 32, batch: 16, tests: 16, iterations: 3, steps: 3, learningRate: 3e-4 },
  quick: { images: 2000, batch: 64, tests: 100, iterations: 300, steps: 20, learningRate: 3e-4 },
  full: { images: 10000, batch: 64, tests: 500, iterations: 3000, steps: 30, learningRate: 3e-4 },
};

/** The digit classifier that scores samples: training digits, passes, and the cache it is kept in. */
export const CLASSIFIER: Record<Mode, { images: number; epochs: number }> = {
  smoke: { images: 2000, epochs: 1 },
  quick: { images: 20000, epochs: 2 },
  full: { images: 60000, epochs: 3 },
};

/** Held-out MNIST digits for the Fréchet distances' real side. */
export const FID_REFERENCE: Record<Mode, number> = { smoke: 200, quick: 1000, full: 5000 };

/** Cooperative learning (coop): digits, updates, samples scored. The short-run baseline gets the same training time. */
export const COOP: Record<Mode, { images: number; iterations: number; samples: number }> = {
  smoke: { images: 64, iterations: 3, samples: 100 },
  quick: { images: 4000, iterations: 450, samples: 500 },
  full: { images: 20000, iterations: 4000, samples: 1000 },
};

/** Class-conditional cooperative learning (coop-cond): samples per class scored. */
export const COOP_COND: Record<Mode, { images: number; iterations: number; perClass: number }> = {
  smoke: { images: 64, iterations: 3, perClass: 2 },
  quick: { images: 4000, iterations: 450, perClass: 10 },
  full: { images: 20000, iterations: 4000, perClass: 50 },
};

/** Cooperative recovery (coop-recover): training digits, updates, unseen digits recovered. */
export const COOP_RECOVER: Record<Mode, { images: number; iterations: number; tests: number }> = {
  smoke: { images: 64, iterations: 3, tests: 16 },
  quick: { images: 2000, iterations: 550, tests: 100 },
  full: { images: 10000, iterations: 3000, tests: 500 },
};
