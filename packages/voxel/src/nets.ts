/**
 * 3D descriptor nets (Xie et al., "Learning Descriptor Networks for 3D Shape Synthesis and
 * Analysis", CVPR 2018) as NetSpecs, with the paper's sampler and optimizer settings
 * (read from the official code, jianwen-xie/3DDescriptorNet: config.py, models/desnet3d.py), and
 * their settings as presets.
 */
import { InvalidOptionError, netSpec, type NetSpec, type Preset } from '@ebm/core';

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
 * A CPU-sized variant: three strided conv3d layers of `filters` channels, 4³ → 3³ → 3³ kernels
 * with leaky-relu, then dense 1. The default 16 → 32 → 64 has 74k parameters at 32³ (65M for the
 * paper's net); `presets.descriptor3dCpu` synthesizes with 32 → 64 → 128 (280k at 16³), which
 * drew shapes closer to the training set at twice the cost (docs/voxel.md).
 */
export function descriptor3dCpu(size = 32, filters: readonly [number, number, number] = [16, 32, 64]): NetSpec {
  if (filters.length !== 3) throw new InvalidOptionError('descriptor3dCpu', 'filters', filters, 'three channel counts, one per conv layer');
  return netSpec([size, size, size, 1], [
    { type: 'conv3d', filters: filters[0], kernel: 4, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'conv3d', filters: filters[1], kernel: 3, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'conv3d', filters: filters[2], kernel: 3, stride: 2 },
    { type: 'leakyRelu', alpha: 0.2 },
    { type: 'flatten' },
    { type: 'dense', units: 1 },
  ], 'descriptor3d-cpu');
}

/**
 * The energy-magnitude penalty α for grids of `size`³: `at16` (`presets.descriptor3dCpu`'s 1e-3,
 * chosen at 16³) × (16 / size)³. The penalty α·(mean U(obs)² + mean U(syn)²) caps the energy gap
 * U(syn) − U(obs) at 1/α, whatever the grid. The Gaussian reference's energy ‖Y‖²/2σ², and the
 * pull −Y/σ² it puts on every chain, grow with the number of voxels, so a fixed α leaves the
 * learnt energy 8× weaker against that pull at 32³ than at 16³. Measured on the Sweet Home 3D
 * chairs at 32³ with α = 1e-3 (docs/voxel.md): the gap sat at 1000 from update 50, the chains
 * stayed the reference's noise (variance σ² = 0.25) for the whole noise phase, and fell onto one
 * near-empty grid when the noise went off. Scaled by this rule (α = 1.25e-4; 500 updates, noise
 * until 200) the chains moved off the reference during the noise phase (variance 0.20), spread
 * out again after it (diversity 0.09 → 0.45–0.55) and drew chairs: iouNearestTrain 0.25 against
 * 0.065 for noise.
 */
export function energyL2ForGrid(size: number, at16: number = presets.descriptor3dCpu.train.energyL2): number {
  if (!Number.isInteger(size) || size < 1) throw new InvalidOptionError('energyL2ForGrid', 'size', size, 'a positive integer (the grid side)');
  if (!(at16 >= 0)) throw new InvalidOptionError('energyL2ForGrid', 'at16', at16, 'a number >= 0');
  return at16 * (16 / size) ** 3;
}

/**
 * The 3D DescriptorNet settings as data (`Preset`: net, sampler, chain start and trainMle options
 * under the trainer's names). `descriptor3d` is the paper's synthesis setting; `descriptor3dCpu` the
 * CPU-sized variant the demo trains, with the scale-down written in `source`.
 */
export const presets = {
  descriptor3d: {
    net: descriptor3dPaper(32),
    sampler: { numSteps: 20, stepSize: 0.1, refSigma: 0.5 },
    init: { kind: 'persistent', count: 25, noise: { dist: 'gaussian', std: 1 } },
    train: {
      batchSize: 20,
      numSynthesized: 25,
      // One update per epoch from gradients accumulated over all batches: iterations are epochs.
      accumulate: 'epoch',
      iterations: 3000,
      optimizer: { learningRate: 0.01, beta1: 0.5 },
      noiseAnneal: { kind: 'step', until: 100 },
    },
    source: 'Xie et al., CVPR 2018, synthesis (jianwen-xie/3DDescriptorNet config.py, train.py): 32³ ModelNet10 grids minus the mean voxel value, persistent chains from N(0, 1), noise only in the first 100 of 3000 epochs.',
  },
  descriptor3dCpu: {
    net: descriptor3dCpu(16, [32, 64, 128]),
    sampler: { numSteps: 20, stepSize: 0.1, refSigma: 0.5 },
    init: { kind: 'persistent', count: 16, noise: { dist: 'gaussian', std: 0.3 } },
    train: {
      batchSize: 16,
      numSynthesized: 16,
      iterations: 700,
      optimizer: { learningRate: 1e-3, beta1: 0.5 },
      energyL2: 1e-3,
      noiseAnneal: { kind: 'step', until: 280 },
    },
    source:
      'Scaled down from descriptor3d for 2 CPU cores (4.5 to 7 minutes on a 2-core AMD EPYC: 272 s on 16 procedural chairs, 418 s on 104 FlightGear aircraft): 16³ grids and descriptor3dCpu with 32 → 64 → 128 channels (280k parameters) instead of the 65M-parameter paper net at 32³ (the 16 → 32 → 64 default drew shapes further from the training set: iouNearestTrain 0.85, 0.40 and 0.31 against 0.91, 0.47 and 0.38 on procedural chairs, Sweet Home 3D chairs and FlightGear aircraft, at half the time); one full batch of 16 shapes per update for 700 updates instead of 3000 accumulated epochs; learning rate 1e-3 instead of 0.01 and an energy-magnitude penalty 1e-3, which kept the energies from running away in these short runs; chains from N(0, 0.3²); noise on for the first 40% of the run, as the paper keeps it for its first 100 epochs; the data scaled by voxelScaling (mean occupancy subtracted, spread matched to σ), which is the paper\'s units at half occupancy and keeps thin shapes from drowning in chain noise. Same Langevin settings.',
  },
} as const satisfies Record<string, Preset>;
