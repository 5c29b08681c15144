import type { Schedule } from '@ebm/core';
import { energyL2ForGrid, presets } from '@ebm/voxel';

/**
 * Run sizes. The paper (3D DescriptorNet, Xie et al. CVPR 2018; official code jianwen-xie/3DDescriptorNet) trains 32³ grids for 3000 epochs;
 * `--quick` scales that down so each task fits in 3 to 9 minutes on 2 cores (an update at 32³
 * costs ~1.5 s with the CPU net; at 16³ ~0.35–0.55 s), and adds the energy-magnitude penalty that kept the
 * energies from running away in these short runs: α = 1e-3 at 16³, scaled by the number of voxels
 * (`energyL2ForGrid`: 1.25e-4 at 32³), since the gap it allows must grow with the reference energy.
 */
export interface VoxelSettings {
  size: number;
  shapes: number;
  chains: number;
  iterations: number;
  /** Noise on until this iteration (the paper: the first 100 of 3000 epochs). */
  noiseUntil: number;
  learningRate: number;
  /** The learning rate's schedule; default constant. */
  schedule?: Schedule;
  energyL2: number;
  /** Held-out shapes scored every this many updates after the noise phase; the best-scoring chains are the samples (HeldOutSelection). */
  checkEvery: number;
  /** Training stops when the held-out score has not improved for this many updates. */
  patience: number;
}

export type { Mode } from '@ebm/demo-kit';
import type { Mode } from '@ebm/demo-kit';

/** The CPU preset of @ebm/voxel (its `source` says what it scales down); the rows below size the runs. */
export const CPU = presets.descriptor3dCpu;
/** The synthesis net's conv channels, as the preset has them; `descriptor3dCpu(size, these)` at each run's size. */
export const SYNTHESIS_FILTERS = CPU.net.layers.flatMap((l) => (l.type === 'conv3d' ? [l.filters] : [])) as [number, number, number];
const LR = CPU.train.optimizer.learningRate;

export const SETTINGS: Record<Mode, VoxelSettings> = {
  smoke: { size: 16, shapes: 8, chains: 8, iterations: 5, noiseUntil: 2, learningRate: LR, energyL2: energyL2ForGrid(16), checkEvery: 1, patience: 300 },
  quick: { size: 16, shapes: 16, chains: 16, iterations: 700, noiseUntil: 280, learningRate: LR, energyL2: energyL2ForGrid(16), checkEvery: 25, patience: 300 },
  // The noise phase is short: on real chairs 800 noisy updates of 2000 left the chains the
  // reference's noise (the gap pinned at its cap 1/α). After it the chains come nearest to unseen
  // chairs ~250 updates on, then drift off as the gap climbs back to the cap, with the learning
  // rate decaying or not (held-out IoU 0.22 at update 450, 0.09 at 1200; docs/voxel.md), which is
  // what the held-out checks and their patience are for. The drift follows the gap: with twice this
  // α the gap stays near 2200 and the chains keep their chairs through 818 updates, but score lower
  // on the held-out chairs (0.187 against 0.222); longer chain steps made it drift sooner.
  // (docs/voxel.md, "What the drift follows")
  full: { size: 32, shapes: 16, chains: 16, iterations: 1200, noiseUntil: 200, learningRate: LR, schedule: { kind: 'cosine', iterations: 1200, min: 0.1 }, energyL2: energyL2ForGrid(32), checkEvery: 50, patience: 300 },
};

/** The paper's Langevin settings: 20 steps, δ = 0.1, σ = 0.5. */
export const SAMPLER = CPU.sampler;

/**
 * Super-resolution (sr_exp.py): a conditional model whose chains start at the upsampled
 * low-resolution input of each training shape and move inside the constraint every iteration.
 * The paper upsamples 16³ → 64³ with 10 noise-free steps of δ = 0.01 for 500 epochs; here
 * 16³ → 32³ (factor 2), with `steps` noise-free steps.
 */
export interface SuperresSettings {
  size: number;
  factor: number;
  /** Procedural training shapes; with --data, shapes per update (chains and observed), a seeded pick each update. */
  shapes: number;
  tests: number;
  iterations: number;
  steps: number;
  stepSize: number;
  learningRate: number;
  energyL2: number;
}

export const SUPERRES: Record<Mode, SuperresSettings> = {
  smoke: { size: 16, factor: 2, shapes: 4, tests: 4, iterations: 3, steps: 3, stepSize: 0.1, learningRate: LR, energyL2: energyL2ForGrid(16) },
  quick: { size: 32, factor: 2, shapes: 16, tests: 8, iterations: 95, steps: 10, stepSize: 0.1, learningRate: LR, energyL2: energyL2ForGrid(32) },
  full: { size: 32, factor: 2, shapes: 32, tests: 16, iterations: 500, steps: 10, stepSize: 0.1, learningRate: LR, energyL2: energyL2ForGrid(32) },
};

/**
 * Classification (§4.5 of the paper): one descriptor learned on the training shapes of every
 * class, its pooled conv activations as features, a linear softmax on top.
 */
export interface ClassifySettings {
  size: number;
  /** Procedural shapes per class in each split. */
  perClass: { train: number; val: number; test: number };
  chains: number;
  iterations: number;
  noiseUntil: number;
  learningRate: number;
  energyL2: number;
}

export const CLASSIFY: Record<Mode, ClassifySettings> = {
  smoke: { size: 16, perClass: { train: 4, val: 2, test: 2 }, chains: 8, iterations: 3, noiseUntil: 2, learningRate: LR, energyL2: energyL2ForGrid(16) },
  quick: { size: 16, perClass: { train: 16, val: 40, test: 40 }, chains: 16, iterations: 600, noiseUntil: 240, learningRate: LR, energyL2: energyL2ForGrid(16) },
  full: { size: 32, perClass: { train: 40, val: 40, test: 100 }, chains: 32, iterations: 1000, noiseUntil: 400, learningRate: LR, energyL2: energyL2ForGrid(32) },
};

/**
 * Recovery (rec_exp.py): a conditional model whose chains start each iteration from the masked
 * training shapes (30% of the voxels observed and clamped, the rest at the share of occupied
 * observed voxels around each; rec_exp.py fills them with the observed rate) and run noise-free
 * Langevin. The paper: δ 0.07, 90 steps, 1000 epochs at 32³. `--quick` runs 60 steps
 * of δ 0.1: against 30 steps (measured 2026-12-01, seed 0) it lowered the FlightGear aircraft's
 * error rate from 0.58 to 0.52 × the fill-by-rate baseline and raised their hidden-voxel IoU from
 * 1.23 to 1.30 × the neighbourhood share, left the chairs' error rate as it was (0.43 ×) and
 * raised their IoU (1.50 → 1.56 ×), for 1.8 × the time. Twice the updates at 30 steps did worse
 * on the aircraft (0.62 ×, 1.15 ×).
 */
export interface RecoverSettings {
  size: number;
  /** Procedural training shapes; with --data, shapes per update (chains and observed), a seeded pick each update. */
  shapes: number;
  tests: number;
  observed: number;
  iterations: number;
  steps: number;
  stepSize: number;
  learningRate: number;
  energyL2: number;
}

export const RECOVER: Record<Mode, RecoverSettings> = {
  smoke: { size: 16, shapes: 4, tests: 4, observed: 0.3, iterations: 3, steps: 3, stepSize: 0.1, learningRate: LR, energyL2: energyL2ForGrid(16) },
  quick: { size: 16, shapes: 16, tests: 8, observed: 0.3, iterations: 380, steps: 60, stepSize: 0.1, learningRate: LR, energyL2: energyL2ForGrid(16) },
  full: { size: 32, shapes: 32, tests: 16, observed: 0.3, iterations: 1000, steps: 90, stepSize: 0.07, learningRate: LR, energyL2: energyL2ForGrid(32) },
};
