import { presets } from '@ebm/pointcloud';

/**
 * Run sizes and the sampler. GPointNet (Xie et al. CVPR 2021; official code fei960922/GPointNet) trains the 1024-wide net on
 * 2048-point clouds with 64 Langevin steps of δ = 0.01 (σ = 0.3) for 2000 iterations of batch 128
 * on a GPU; with steps that small the chains only move because that net learns very large
 * gradients (here the same chain left the points where the noise put them: Chamfer to the bunny
 * 0.046 after 100 updates, noise 0.044). On 2 CPU cores we train the small net (`gpointnetCpu`) on
 * 256 points with a short-run chain instead: 32 steps of δ = 0.1 with noise ×0.1, points clamped
 * to ±1 as in the paper, and no Gaussian reference term (GPointNet's σ_ref = 0 option). Measured on
 * the bunny (`generate --quick`): σ_ref = 0.3 shrank the chains to var 0.003 (collapse); σ_ref = 1
 * gave clouds 25% too small (sd 0.275 vs 0.369 along x; MMD-CD 0.023, COV 0.06, the same at 1200
 * updates and with linearly decaying noise); without it MMD-CD 0.013 against 0.011 for training
 * clouds and COV 0.375 (linearly decaying noise on top of that: MMD-CD 0.0135, COV 0.25).
 */
export type { Mode } from '@ebm/demo-kit';
import type { Mode } from '@ebm/demo-kit';

export interface CloudSettings {
  points: number;
  /** Training clouds (per class for classify). */
  clouds: number;
  /** Held-out clouds (references for generate, targets for reconstruct; per class for classify). */
  heldOut: number;
  /** Clouds synthesized for scoring. */
  generated: number;
  iterations: number;
  learningRate: number;
}

export const SETTINGS: Record<Mode, CloudSettings> = {
  smoke: { points: 64, clouds: 4, heldOut: 4, generated: 4, iterations: 3, learningRate: 1e-3 },
  quick: { points: 256, clouds: 16, heldOut: 16, generated: 16, iterations: 700, learningRate: 1e-3 },
  full: { points: 1024, clouds: 32, heldOut: 32, generated: 32, iterations: 3000, learningRate: 5e-4 },
};

const CPU = presets.gpointnetCpu;

/** The CPU preset's short-run chain (its `source` says why it differs from the paper's). */
export const SAMPLER = { ...CPU.sampler, clamp: [...CPU.sampler.clamp] as [number, number] };

/** GPointNet's data noise and Adam β1. */
export const DATA_NOISE = CPU.train.dataNoise;
/** The training watch compares clouds as point sets (the preset's `watch`). */
export const WATCH = CPU.train.watch;
export const BETA1 = CPU.train.optimizer.beta1;
/** Chains start from N(0, 0.3²), the paper's initial distribution. */
export const INIT_STD = CPU.init.noise.std;
