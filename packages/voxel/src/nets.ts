/**
 * 3D descriptor nets (Xie et al., "Learning Descriptor Networks for 3D Shape Synthesis and
 * Analysis", CVPR 2018) as NetSpecs, with the paper's sampler and optimizer settings
 * (read from the official code, jianwen-xie/3DDescriptorNet: config.py, models/desnet3d.py).
 */
import { netSpec, type NetSpec } from '@ebm/core';

/**
 * The paper's net: conv3d 200 @ 16³ stride 3 → ReLU → conv3d 100 @ 6³ stride 2 → ReLU → dense 1,
 * weights N(0, 0.001). 'same' padding as in the official code.
 */
export function descriptor3dPaper(size = 32): NetSpec {
  const init = { dist: 'normal', std: 0.001 } as const;
  return netSpec([size, size, size, 1], [
    { type: 'conv3d', filters: 200, kernel: 16, stride: 3, init },
    { type: 'relu' },
    { type: 'conv3d', filters: 100, kernel: 6, stride: 2, init },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 1, init },
  ], 'descriptor3d-paper');
}

/**
 * A CPU-sized variant (~90k parameters instead of 65M at 32³): three strided conv3d layers
 * 16 @ 4³ → 32 @ 3³ → 64 @ 3³ with leaky-relu, then dense 1.
 */
export function descriptor3dCpu(size = 32): NetSpec {
  return netSpec([size, size, size, 1], [
    { type: 'conv3d', filters: 16, kernel: 4, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'conv3d', filters: 32, kernel: 3, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'conv3d', filters: 64, kernel: 3, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'flatten' },
    { type: 'dense', units: 1 },
  ], 'descriptor3d-cpu');
}

/**
 * The paper's synthesis settings: Langevin 20 steps, δ = 0.1, σ = 0.5, noise only during the first
 * 100 epochs; Adam lr 0.01, β1 0.5; one update per epoch from gradients accumulated over all
 * batches; persistent chains from N(0, 1); the mean voxel value subtracted from the data.
 */
export const descriptor3dSettings = {
  sampler: { numSteps: 20, stepSize: 0.1, refSigma: 0.5 },
  noiseAnneal: { kind: 'step', until: 100 },
  optimizer: { learningRate: 0.01, beta1: 0.5 },
  accumulate: 'epoch',
  batchSize: 20,
  numSynthesized: 25,
  epochs: 3000,
  chainInit: { dist: 'gaussian', std: 1 },
} as const;
