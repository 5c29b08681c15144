/**
 * The image models' settings as data (core's `Preset`: net, sampler, chain start and trainMle
 * options under the trainer's names), the official ones read from the papers' code
 * (research: papers.md §2.1, §2.8) and CPU-sized ones with their scale-down in `source`.
 */
import { fromShortRun, type Preset } from '@ebm/core';
import { objectNet, objectNetCpu, shortRunNet, textureNet, textureNetCpu } from './nets';

/** Chains start at the mean colour (0 in the texture and object units, which subtract it). */
const AT_MEAN = { dist: 'gaussian', mean: 0, std: 0 } as const;
/**
 * The divergence guard's bound in [0, 255] units: twice the largest variance pixels in that range
 * can have (127.5²). The default σ² + 0.1 is GPointNet's rule for data in ±1.
 */
const PIXEL_GUARD = { varianceBound: 2 * 127.5 ** 2 } as const;

export const presets = {
  texture: {
    net: textureNet(224, 3),
    sampler: { numSteps: 20, stepSize: 0.3, refSigma: 1 },
    init: { kind: 'persistent', count: 3, noise: AT_MEAN },
    train: { batchSize: 1, numSynthesized: 3, iterations: 600, optimizer: { learningRate: 5e-4, beta1: 0.5 }, guard: PIXEL_GUARD },
    source: 'Xie et al., ICML 2016, texture synthesis (PaddleEBM configs/ebm_ws_texture.yaml, the re-implementation of the official MatConvNet code): 224×224 RGB in [0, 255] minus the mean colour, 3 persistent chains, Langevin 20 steps δ 0.3 σ 1, Adam 5e-4 β1 0.5, 600 iterations.',
  },
  textureCpu: {
    net: textureNetCpu(64, 3),
    sampler: { numSteps: 20, stepSize: 0.3, refSigma: 1 },
    init: { kind: 'persistent', count: 3, noise: AT_MEAN },
    train: { batchSize: 1, numSynthesized: 3, iterations: 600, optimizer: { learningRate: 5e-4, beta1: 0.5 }, guard: PIXEL_GUARD },
    source: 'Scaled down from texture for 2 CPU cores: 64×64 instead of 224×224 and the textureNetCpu net (32/48/32 filters of 7/5/3 px instead of 100/64/30 of 15/5/3); same units, sampler, optimizer and iterations.',
  },
  object: {
    net: objectNet(64, 3),
    sampler: { numSteps: 20, stepSize: 0.3, refSigma: 1 },
    init: { kind: 'persistent', count: 16, noise: AT_MEAN },
    train: { batchSize: 16, numSynthesized: 16, iterations: 600, optimizer: { learningRate: 5e-4, beta1: 0.5 }, guard: PIXEL_GUARD },
    source: 'Xie et al., ICML 2016, object synthesis (PaddleEBM EnergyBasedImageobject, settings of the texture experiment): aligned 64×64 images in [0, 255] minus the mean colour, persistent chains, Langevin 20 steps δ 0.3 σ 1, Adam 5e-4 β1 0.5.',
  },
  objectCpu: {
    net: objectNetCpu(28, 1),
    sampler: { numSteps: 20, stepSize: 0.3, refSigma: 1 },
    init: { kind: 'persistent', count: 16, noise: AT_MEAN },
    train: { batchSize: 16, numSynthesized: 16, iterations: 600, optimizer: { learningRate: 2e-3, beta1: 0.5 }, guard: PIXEL_GUARD },
    source: 'Scaled down from object for 2 CPU cores: 28×28 gray (digits) and the objectNetCpu net (32/64 filters of 5/3 px instead of 100/64/20 of 7/5/3); Adam 2e-3 instead of 5e-4 (after 300 updates at 5e-4 the digits were still blurred means of the set, at 2e-3 they were legible); same units and sampler.',
  },
  shortRun: {
    net: shortRunNet(32, 3, 64),
    sampler: { numSteps: 100, ...fromShortRun(0.01) },
    init: { kind: 'noise', noise: { dist: 'uniform', low: -1, high: 1 } },
    train: { batchSize: 64, numSynthesized: 64, iterations: 100000, dataNoise: 0.03, optimizer: { learningRate: 1e-4, beta1: 0.9, beta2: 0.999 }, guard: false },
    source: 'Nijkamp et al., NeurIPS 2019 (enijkamp/short_run train_cifar10_minimal.py): 32×32 RGB in [−1, 1], n_f 64, K = 100 steps of x += ∂f/∂x + 0.01·N from U[−1, 1] every iteration, data noise 0.03, Adam 1e-4 β (0.9, 0.999), batch 64, 1e5 iterations.',
  },
  shortRunDigits: {
    net: shortRunNet(28, 1, 8),
    sampler: { numSteps: 30, ...fromShortRun(0.01), clamp: [-1, 1] },
    init: { kind: 'noise', noise: { dist: 'uniform', low: -1, high: 1 } },
    train: { batchSize: 32, numSynthesized: 32, iterations: 1200, dataNoise: 0.03, optimizer: { learningRate: 1e-3, beta1: 0.9, beta2: 0.999 }, guard: false },
    source: 'Scaled down from shortRun for 2 CPU cores: 28×28 gray digits, n_f 8 instead of 64, K = 30 steps instead of 100, batch 32, 1200 iterations (4 minutes on 2 cores; 600 gave 0.43 confident samples and FID 19.9, 1200 gave 0.56 and 15.8), Adam 1e-3 instead of 1e-4 for the shorter run (measured at 700 updates: 5e-4 gave 0.43 confident samples and FID 22.7, 1e-3 gave 0.47 and 16.6); chains clamped to [−1, 1] (without the clamp these short runs blew up within 400 updates, the energy running to −1e9); same update rule, start and data noise.',
  },
} as const satisfies Record<string, Preset>;
