/**
 * Generative PointNet energies (Xie et al., "Generative PointNet: Deep Energy-Based Learning on
 * Unordered Point Sets for 3D Generation, Reconstruction and Classification", CVPR 2021) as
 * NetSpecs, with the paper's settings (read from the official code, fei960922/GPointNet: src/network_torch.py, src/model_point_torch.py).
 * Input [points, 3]; every per-point layer is a `dense` on the last axis, so the energy does not
 * depend on the order of the points.
 */
import { netSpec, type LayerSpec, type NetSpec } from '@ebm/core';

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
 * The paper's settings: Langevin 64 steps, δ = 0.01, σ = 0.3, points clamped to ±1, chains from
 * N(0, σ²); Adam 5e-4, β = (0.9, 0.999), learning rate ×0.998 every 10 steps; batch 128, 2000
 * iterations; data noise 0.01; the stability check (var(syn) > σ² + 0.1 → roll back); 2048 points.
 * Reconstruction: 64 sign-gradient steps of size 0.2 (decay 0.9 per step) on the initial noise.
 */
export const gpointnetSettings = {
  sampler: { numSteps: 64, stepSize: 0.01, refSigma: 0.3, clamp: [-1, 1] as [number, number] },
  chainInit: { dist: 'gaussian', std: 0.3 },
  optimizer: { learningRate: 5e-4, beta1: 0.9, beta2: 0.999 },
  learningRateSchedule: { kind: 'step', factor: 0.998, every: 10 },
  batchSize: 128,
  iterations: 2000,
  dataNoise: 0.01,
  points: 2048,
  reconstruct: { steps: 64, stepSize: 0.2, decay: 0.9 },
} as const;
