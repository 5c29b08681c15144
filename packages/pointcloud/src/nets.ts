/**
 * Generative PointNet energies (Xie et al., "Generative PointNet: Deep Energy-Based Learning on
 * Unordered Point Sets for 3D Generation, Reconstruction and Classification", CVPR 2021) as
 * NetSpecs, with the paper's settings (read from the official code, fei960922/GPointNet: src/network_torch.py, src/model_point_torch.py).
 * Input [points, 3]; every per-point layer is a `dense` on the last axis, so the energy does not
 * depend on the order of the points.
 */
import { netSpec, type LayerSpec, type NetSpec, type Preset } from '@ebm/core';

export interface PointNetOptions {
  /** Pooling over points: 'mean' (the paper's default) or 'max'. */
  pool?: 'mean' | 'max';
  /**
   * Normalisation after every per-point layer, over the points of each channel:
   * 'layer' (default): with a scale and shift per channel, so the energy is a function of the set;
   * 'pointLayer': the official code's LayerNorm(num_point), whose scale and shift are per point —
   * it makes the energy depend on the order of the points (point i always gets scale γ_i);
   * 'none'.
   */
  norm?: 'layer' | 'pointLayer' | 'none';
}

function pointNet(points: number, local: number[], global: number[], o: PointNetOptions, name: string): NetSpec {
  const layers: LayerSpec[] = [];
  let prev = 3;
  for (const h of local) {
    // The official energy_point_default makes a per-point layer residual where its width is kept
    // (residual_Conv1d: x + Conv1d(x)).
    layers.push(prev === h ? { type: 'residual', layers: [{ type: 'dense', units: h }] } : { type: 'dense', units: h });
    const norm = o.norm ?? 'layer';
    if (norm === 'layer') layers.push({ type: 'layerNorm', axes: [0] });
    if (norm === 'pointLayer') layers.push({ type: 'layerNorm', axes: [0], affine: 'normalized' });
    layers.push({ type: 'relu' });
    prev = h;
  }
  layers.push({ type: 'pool', op: o.pool ?? 'mean', axis: 0 });
  for (const h of global) layers.push({ type: 'dense', units: h }, { type: 'relu' });
  layers.push({ type: 'dense', units: 1 });
  return netSpec([points, 3], layers, name);
}

/**
 * The paper's `default_medium` energy: per-point MLP 64-64-128-256-1024 (the 64 → 64 layer
 * residual, as in the official code) with layer norm and ReLU, mean pooling, MLP 512-256-128-64
 * with ReLU, a scalar. `{ norm: 'pointLayer' }` gives the official per-point LayerNorm.
 */
export function gpointnetPaper(points = 2048, options: PointNetOptions = {}): NetSpec {
  return pointNet(points, [64, 64, 128, 256, 1024], [512, 256, 128, 64], options, 'gpointnet-paper');
}

/** A CPU-sized variant (~13k parameters): per-point 32-64-128, pooling, 64, a scalar. */
export function gpointnetCpu(points = 512, options: PointNetOptions = {}): NetSpec {
  return pointNet(points, [32, 64, 128], [64], options, 'gpointnet-cpu');
}

/**
 * The Generative PointNet settings as data (`Preset`: net, sampler, chain start and trainMle
 * options under the trainer's names). `gpointnet` is the paper's setting; `gpointnetCpu` the
 * CPU-sized variant the demo trains, with the scale-down written in `source`.
 */
export const presets = {
  gpointnet: {
    net: gpointnetPaper(2048),
    sampler: { numSteps: 64, stepSize: 0.01, refSigma: 0.3, clamp: [-1, 1] },
    init: { kind: 'noise', noise: { dist: 'gaussian', std: 0.3 } },
    train: {
      batchSize: 128,
      iterations: 2000,
      optimizer: { learningRate: 5e-4, beta1: 0.9, beta2: 0.999 },
      learningRateSchedule: { kind: 'step', factor: 0.998, every: 10 },
      dataNoise: 0.01,
      // The official stability check: var(syn) > σ² + 0.1 rolls back.
      guard: { varianceBound: 0.3 ** 2 + 0.1 },
      // Clouds are sets of points: the training watch compares them whatever their numbering.
      watch: { order: 'unordered' },
    },
    source: 'Xie et al., CVPR 2021 (fei960922/GPointNet, src/model_point_torch.py): ModelNet10 clouds of 2048 points normalised to the unit ball, fresh chains from N(0, 0.3²) each iteration, batch 128, 2000 iterations.',
  },
  gpointnetCpu: {
    net: gpointnetCpu(256),
    sampler: { numSteps: 32, stepSize: 0.1, noiseScale: 0.1, clamp: [-1, 1] },
    init: { kind: 'noise', noise: { dist: 'gaussian', std: 0.3 } },
    train: {
      batchSize: 16,
      numSynthesized: 16,
      iterations: 700,
      optimizer: { learningRate: 1e-3, beta1: 0.9 },
      dataNoise: 0.01,
      watch: { order: 'unordered' },
    },
    source:
      'Scaled down from gpointnet for 2 CPU cores (about 5 minutes): 256 points and the ~13k-parameter gpointnetCpu net instead of 2048 points and the 1024-wide paper net; batch 16 for 700 updates. With steps as small as the paper\'s (δ = 0.01) the chains only move because the wide net learns very large gradients, so the small net uses a short-run chain instead: 32 steps of δ = 0.1 with noise ×0.1, no reference term (the paper\'s σ = 0 option; measured on the bunny, σ = 0.3 collapsed the chains and σ = 1 gave clouds 25% too small), learning rate 1e-3.',
  },
} as const satisfies Record<string, Preset>;

/** The paper's reconstruction: 64 sign-gradient steps of size 0.2 (×0.9 per step) on the initial noise. */
export const gpointnetReconstruction = { steps: 64, stepSize: 0.2, decay: 0.9 } as const;
