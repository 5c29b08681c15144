/**
 * Cooperative-learning settings as data (core's `CoopPreset`), the official ones read from the
 * papers' code (research: papers.md §2.5, §2.6) and CPU-sized ones with their scale-down and the
 * measurements behind it in `source`.
 */
import { fromShortRun, type CoopPreset } from '@ebm/core';
import { coopDescriptorNet, coopGeneratorNet, recoveryGeneratorNet } from './coop-nets';

/** Revised digits stay pixels: the chains are clamped to [−1, 1]. */
const CLAMP: [number, number] = [-1, 1];

export const coopPresets = {
  /** CoopNets on MNIST (jianwen-xie/CoopNets main.py and model.py). */
  mnist: {
    descriptor: coopDescriptorNet(28, 1),
    generator: coopGeneratorNet(28, 1, 100, 64),
    sampler: { numSteps: 15, stepSize: 0.002, refSigma: 0.016 },
    train: { batchSize: 100, iterations: 550 * 1000, generatorSigma: 0.3, descriptorOptimizer: { learningRate: 0.007, beta1: 0.5 }, generatorOptimizer: { learningRate: 1e-4, beta1: 0.5 }, guard: false },
    source: 'Xie et al., AAAI 2018 / TPAMI 2018 (jianwen-xie/CoopNets main.py, model.py): MNIST 28×28 in [−1, 1]; descriptor 64/128/256 @ 4×4 s2 → fc 100; generator z 100 → 7×7×128 → 14×14×64 → 28×28 tanh with batch norm; revision 15 Langevin steps δ 0.002 σ 0.016; descriptor Adam 7e-3, generator Adam 1e-4 (β1 0.5), σ_gen 0.3, z known (no inference steps); batch 100, 1000 epochs.',
  },
  /** Conditional CoopNets, category → image on MNIST (jianwen-xie/Conditional-CoopNets main_mnist.py). */
  mnistConditional: {
    descriptor: coopDescriptorNet(28, 1, 1, 10),
    generator: coopGeneratorNet(28, 1, 128, 64, 10),
    sampler: { numSteps: 16, stepSize: 8e-4, refSigma: 0.016 },
    train: { batchSize: 300, iterations: 200 * 3000, generatorSigma: 0.3, inference: { numSteps: 16, stepSize: 0.1 }, descriptorOptimizer: { learningRate: 8e-4, beta1: 0.5 }, generatorOptimizer: { learningRate: 1e-4, beta1: 0.5 }, guard: false },
    source: 'Xie et al., TPAMI 2021 (jianwen-xie/Conditional-CoopNets main_mnist.py, modules.py): MNIST in [−1, 1]; descriptor 64 @ 5×5 s2 → 128 @ 3×3 s2 → label tiled and concatenated → 256 @ 3×3 → fc 100; generator [z 128; label] → 7×7×128 → 14×14×64 → 28×28 tanh; revision 16 steps δ 8e-4 σ 0.016; generator inference 16 steps δ 0.1, σ_gen 0.3; Adam 8e-4 / 1e-4 (β1 0.5); batch 300, 3000 epochs.',
  },
  /** CoopNets scaled for 2 CPU cores (digits). */
  digits: {
    descriptor: coopDescriptorNet(28, 1, 0.25),
    generator: coopGeneratorNet(28, 1, 32, 16),
    sampler: { numSteps: 15, ...fromShortRun(0.01), clamp: CLAMP },
    train: { batchSize: 64, iterations: 400, generatorSigma: 0.3, descriptorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, generatorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, guard: false },
    source: 'Scaled down from mnist for 2 CPU cores: descriptor filters ×¼ (16/32/64), generator z 32 and ngf 16 instead of 100 and 64; the revision is the short-run rule (x += ∂f/∂x + 0.01·N, clamped to [−1, 1]) instead of δ 0.002 σ 0.016; Adam 1e-3 for both nets; batch 64.',
  },
  /** Conditional CoopNets scaled for 2 CPU cores (digits). */
  digitsConditional: {
    descriptor: coopDescriptorNet(28, 1, 0.25, 10),
    generator: coopGeneratorNet(28, 1, 32, 16, 10),
    sampler: { numSteps: 15, ...fromShortRun(0.01), clamp: CLAMP },
    train: { batchSize: 64, iterations: 400, generatorSigma: 0.3, descriptorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, generatorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, guard: false },
    source: 'Scaled down from mnistConditional for 2 CPU cores: filters ×¼, z 32, ngf 16; the short-run revision rule; z known (no inference steps); Adam 1e-3 for both nets; batch 64.',
  },
  /** Image-to-image recovery (Conditional CoopNets' recovery form) scaled for 2 CPU cores (digits). */
  digitsRecovery: {
    descriptor: coopDescriptorNet(28, 1, 0.25),
    generator: recoveryGeneratorNet(28, 1, 16, 2),
    sampler: { numSteps: 15, ...fromShortRun(0.01), clamp: CLAMP },
    train: { batchSize: 64, iterations: 550, generatorSigma: 0.3, targetL1: 0.93, descriptorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, generatorOptimizer: { learningRate: 1e-3, beta1: 0.5 }, guard: false },
    source: "Conditional CoopNets recovery (zilongzheng/CCoopNets ccoopnets_img2img.py: ResNet initializer, 128 px, revision 20 noise-free steps δ 0.002 σ 0.016, Adam 3e-3 / 2e-4, generator loss 0.8·‖Ỹ − g‖²/(2σ²) averaged over the batch + 0.2·‖Y − g‖₁ summed over its 50 images, i.e. targetL1 ≈ 0.93 per example) scaled for 2 CPU cores: 28 px, a 2-block ResNet of 16/32 filters taking the damaged image and its mask, the descriptor of digits; the short-run revision rule with observed pixels held fixed; Adam 1e-3 for both nets; batch 64. Measured on 2000 digits, 400 updates, centre square hidden: without the L1 term the initializer's PSNR was 7.6 dB (mean fill 5.9), with targetL1 0.5 7.6, with 0.93 9.6.",
  },
} as const satisfies Record<string, CoopPreset>;
