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
 * Inpainting (recover): the short-run recipe restricted to the hidden square — chains start there
 * from uniform noise and take `steps` short-run steps (x += ∂f/∂x + 0.01·N, clamped to [−1, 1]),
 * Adam (β 0.9, 0.999). Measured on --quick, 100 unseen digits, the psnr of the mean of the chains
 * (baseline 5.92 dB):
 * - before, chains from the observed mean with δ 0.1, σ 1 Langevin, Adam 3e-4 β1 0.5, 300 updates,
 *   mean of 16: 7.92 dB (seeds 1, 2: 7.92, 7.89); the same chains from noise: 7.77 dB;
 * - short-run from noise, mean of 16 (seed 0): 300 updates at 3e-4 8.33 dB, 1e-3 8.67, 2e-3 8.85;
 *   600 updates at 1e-3 9.01 (seeds 1, 2: 8.88, 8.99), at 2e-3 9.09 (seed 1: 8.86); 800 at 1e-3 8.72;
 *   30 steps instead of 20 at 1e-3: 8.67;
 * - 600 updates at 2e-3, mean of 32: 9.27, 9.01, 9.27 dB for seeds 0, 1, 2. But on other data
 *   2e-3 diverged: on 332 48×48 colour icons (Debian's Adwaita legacy set, 83 held out) the energy
 *   gap ran to 2.5e6 by update 600 and the recovery scored 9.18 dB against 9.20 for the mean fill
 *   (with an energy penalty of 1e-3: gap 1000, 5.78 dB); the old sampler scored 9.67 dB there;
 * - 600 updates at 1e-3, mean of 32 (this setting): digits 9.18 dB (seed 1: 9.02); icons 11.39 dB,
 *   gap within ±5 throughout (mean fill 9.20, harmonic fill 11.78).
 */
export const RECOVER: Record<Mode, { images: number; batch: number; tests: number; iterations: number; steps: number; learningRate: number; average: number }> = {
  smoke: { images: 32, batch: 16, tests: 16, iterations: 3, steps: 3, learningRate: 1e-3, average: 2 },
  quick: { images: 2000, batch: 64, tests: 100, iterations: 600, steps: 20, learningRate: 1e-3, average: 32 },
  full: { images: 10000, batch: 64, tests: 500, iterations: 3000, steps: 20, learningRate: 1e-3, average: 32 },
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
