/**
 * Image descriptor nets as NetSpecs (research: papers.md §2.1, §2.7, §2.8), each the official
 * architecture or a CPU-sized variant with its scale-down written beside it. Every net maps an
 * [H, W, C] image to a score f; its outputs are summed per example (netEnergy), so a net that
 * ends in a conv layer scores the sum of its top-layer responses over positions — the stationary
 * FRAME-style descriptor of textures.
 */
import { netSpec, type LayerSpec, type NetSpec } from '@ebm/core';

const lrelu: LayerSpec = { type: 'leakyRelu', alpha: 0.2 };

/**
 * Generative ConvNet texture descriptor (Xie et al., ICML 2016, §5.1): 100 @ 15×15 stride 3 → ReLU
 * → 64 @ 5×5 stride 2 → ReLU → 30 @ 3×3, the top layer's responses summed over positions. 'valid'
 * convolutions (MatConvNet's default in the official code). Default 224×224 RGB.
 */
export function textureNet(size = 224, channels = 3): NetSpec {
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: 100, kernel: 15, stride: 3, padding: 'valid' },
    { type: 'relu' },
    { type: 'conv2d', filters: 64, kernel: 5, stride: 2, padding: 'valid' },
    { type: 'relu' },
    { type: 'conv2d', filters: 30, kernel: 3, padding: 'valid' },
  ], 'texture');
}

/**
 * The texture descriptor scaled for 2 CPU cores: the same three-layer, stride 3-then-2 shape with
 * 32 @ 7×7 → 48 @ 5×5 → 32 @ 3×3 (~57k instead of ~245k parameters), for 64–128 px
 * textures. Its receptive field is 23 px (the paper's: 39 px at 224).
 */
export function textureNetCpu(size = 64, channels = 3): NetSpec {
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: 32, kernel: 7, stride: 2, padding: 'valid' },
    { type: 'relu' },
    { type: 'conv2d', filters: 48, kernel: 5, stride: 2, padding: 'valid' },
    { type: 'relu' },
    { type: 'conv2d', filters: 32, kernel: 3, padding: 'valid' },
  ], 'texture-cpu');
}

/**
 * Generative ConvNet object descriptor (PaddleEBM's EnergyBasedImageobject, "A Theory of
 * Generative ConvNet, Experiment 1"): 100 @ 7×7 s2 → 64 @ 5×5 s2 → 20 @ 3×3 s2 with
 * leaky-ReLU, then a dense layer to one score (the official 10×10 conv acting as a fully
 * connected layer at 64 px). Default 64×64 RGB.
 */
export function objectNet(size = 64, channels = 3): NetSpec {
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: 100, kernel: 7, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 64, kernel: 5, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 20, kernel: 3, stride: 2 },
    lrelu,
    { type: 'flatten' },
    { type: 'dense', units: 1 },
  ], 'object');
}

/** The object descriptor for 2 CPU cores: 32 @ 5×5 s2 → 64 @ 3×3 s2, leaky-ReLU, dense 1 (28 px digits: ~50k parameters). */
export function objectNetCpu(size = 28, channels = 1): NetSpec {
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: 32, kernel: 5, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 64, kernel: 3, stride: 2 },
    lrelu,
    { type: 'flatten' },
    { type: 'dense', units: 1 },
  ], 'object-cpu');
}

/**
 * The short-run MCMC net (Nijkamp et al., NeurIPS 2019, train_cifar10_minimal.py): n_f @ 3×3 →
 * 2n_f, 4n_f, 8n_f @ 4×4 stride 2 → 1 @ k×k 'valid', leaky-ReLU 0.2, no normalisation. The last
 * kernel spans what is left (4 at 32 px, as in the script; 4 at 28 px with 'same' strides).
 * Official: n_f 64 (128 for CIFAR-10 in the paper) at 32×32×3.
 */
export function shortRunNet(size = 32, channels = 3, nf = 64): NetSpec {
  let s = size;
  for (let i = 0; i < 3; i++) s = Math.ceil(s / 2);
  return netSpec([size, size, channels], [
    { type: 'conv2d', filters: nf, kernel: 3 },
    lrelu,
    { type: 'conv2d', filters: 2 * nf, kernel: 4, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 4 * nf, kernel: 4, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 8 * nf, kernel: 4, stride: 2 },
    lrelu,
    { type: 'conv2d', filters: 1, kernel: s, padding: 'valid' },
  ], `short-run-nf${nf}`);
}

/**
 * A multigrid descriptor for one grid (Gao et al., CVPR 2018, ruiqigao/Multigrid_learning
 * model.py): conv + batch norm + leaky-ReLU 0.2 stacks, then a dense score. Official:
 * des4 96 @ 5 s2, 128 @ 3, 256 @ 3; des16 96 @ 5 s2, 128 @ 3, 256 @ 3, 512 @ 3; des64 64, 128,
 * 256, 512 @ 5 s2. `width` scales every layer's filters (1 = official); grids of 1 px have no
 * conv stack (a dense layer on the mean colour).
 */
export function multigridNet(size: number, channels = 3, width = 1): NetSpec {
  const f = (n: number) => Math.max(4, Math.round(n * width));
  const block = (filters: number, kernel: number, stride = 1): LayerSpec[] => [{ type: 'conv2d', filters: f(filters), kernel, stride }, { type: 'batchNorm', momentum: 1 }, lrelu];
  const stack: LayerSpec[] =
    size <= 1
      ? [{ type: 'dense', units: f(32) }, lrelu]
      : size <= 4
        ? [...block(96, 5, 2), ...block(128, 3), ...block(256, 3)]
        : size <= 16
          ? [...block(96, 5, 2), ...block(128, 3), ...block(256, 3), ...block(512, 3)]
          : [...block(64, 5, 2), ...block(128, 5, 2), ...block(256, 5, 2), ...block(512, 5, 2)];
  return netSpec([size, size, channels], [...stack, { type: 'flatten' }, { type: 'dense', units: 1 }], `multigrid-${size}`);
}
