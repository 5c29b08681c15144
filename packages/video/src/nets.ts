/**
 * Spatial-temporal descriptor nets as NetSpecs (STGConvNet, Xie, Zhu and Wu, CVPR 2017; research:
 * papers.md §2.2): 3-D convolutions over time × height × width with ReLU, the energy the sum of
 * the last feature map. Each is the official architecture or a CPU-sized variant with its
 * scale-down written beside it. Clips are [T, H, W, C] (time is the conv's depth axis).
 */
import { InvalidOptionError, netSpec, type NetSpec } from '@ebm/core';

function checkClip(fn: string, frames: number, size: number): void {
  if (!Number.isInteger(frames) || frames < 2) throw new InvalidOptionError(fn, 'frames', frames, 'an integer ≥ 2');
  if (!Number.isInteger(size) || size < 4) throw new InvalidOptionError(fn, 'size', size, 'an integer ≥ 4');
}

/**
 * ST (spatially and temporally stationary: dynamic textures such as water, fire, smoke):
 * 120 @ 15×15×15 stride 7 → 40 @ 7×7×7 stride 3 → 20 @ (2, 3, 3) stride (1, 2, 2), SAME padding
 * (the TF default of the group's conv3d helper), the top responses summed over time and space.
 * Official: 70 frames of 100×100.
 */
export function stNet(frames = 70, size = 100, channels = 3): NetSpec {
  checkClip('stNet', frames, size);
  return netSpec([frames, size, size, channels], [
    { type: 'conv3d', filters: 120, kernel: 15, stride: 7 },
    { type: 'relu' },
    { type: 'conv3d', filters: 40, kernel: 7, stride: 3 },
    { type: 'relu' },
    { type: 'conv3d', filters: 20, kernel: [2, 3, 3], stride: [1, 2, 2] },
  ], 'stg-st');
}

/**
 * ST for 2 CPU cores: 32 @ 5×5×5 stride 2 → 48 @ 3×3×3 stride 2 → 32 @ (2, 3, 3) stride
 * (1, 2, 2), SAME padding (~81k parameters instead of ~1.3M). Receptive field 13 frames × 17 px:
 * at 16 × 32×32 the top layer has 4 × 4×4 positions to sum, so the descriptor stays a
 * statistic of the clip rather than a template of it (the paper's ST at 100 px has 4 × 3×3;
 * with 2 × 3×3 at 32 px the chains copied the training clip).
 */
export function stNetCpu(frames = 16, size = 32, channels = 3): NetSpec {
  checkClip('stNetCpu', frames, size);
  return netSpec([frames, size, size, channels], [
    { type: 'conv3d', filters: 32, kernel: 5, stride: 2 },
    { type: 'relu' },
    { type: 'conv3d', filters: 48, kernel: 3, stride: 2 },
    { type: 'relu' },
    { type: 'conv3d', filters: 32, kernel: [2, 3, 3], stride: [1, 2, 2] },
  ], 'stg-st-cpu');
}

/**
 * FC_S (temporally stationary, spatially fully connected: dynamic textures with a layout, such
 * as a burning fire in a pot): 120 @ 7×7×7 stride 2 (SAME) → 30 @ (5, s, s) stride 2 (VALID,
 * s = the spatial size left, 50 at 100 px) → 5 @ (2, 1, 1). Official: 70 frames of 100×100.
 */
export function fcsNet(frames = 70, size = 100, channels = 3): NetSpec {
  checkClip('fcsNet', frames, size);
  const s = Math.ceil(size / 2);
  if (Math.ceil(frames / 2) < 6) throw new InvalidOptionError('fcsNet', 'frames', frames, 'at least 11 (the temporal kernels need 6 frames after the first stride)');
  return netSpec([frames, size, size, channels], [
    { type: 'conv3d', filters: 120, kernel: 7, stride: 2 },
    { type: 'relu' },
    { type: 'conv3d', filters: 30, kernel: [5, s, s], stride: [2, 1, 1], padding: 'valid' },
    { type: 'relu' },
    { type: 'conv3d', filters: 5, kernel: [2, 1, 1], padding: 'valid' },
  ], 'stg-fcs');
}

/**
 * FC_S_large, the paper's 224 px setting: 120 @ 7×7×7 stride 3 (SAME) → time padded by 2 on both
 * sides → 30 @ (4, s, s) stride (2, 1, 1) (VALID, s = 75 at 224 px) → 5 @ (2, 1, 1).
 */
export function fcsLargeNet(frames = 70, size = 224, channels = 3): NetSpec {
  checkClip('fcsLargeNet', frames, size);
  const s = Math.ceil(size / 3);
  return netSpec([frames, size, size, channels], [
    { type: 'conv3d', filters: 120, kernel: 7, stride: 3 },
    { type: 'relu' },
    { type: 'pad', pads: [[2, 2], [0, 0], [0, 0]] },
    { type: 'conv3d', filters: 30, kernel: [4, s, s], stride: [2, 1, 1], padding: 'valid' },
    { type: 'relu' },
    { type: 'conv3d', filters: 5, kernel: [2, 1, 1], padding: 'valid' },
  ], 'stg-fcs-large');
}

/**
 * FC_S for 2 CPU cores: 24 @ 5×5×5 stride 2 (SAME) → 24 @ (3, s, s) stride (2, 1, 1) (VALID,
 * s = size / 2) → 5 @ (2, 1, 1); at 16 × 32×32 ~ 0.3M parameters instead of ~36M at 100 px.
 */
export function fcsNetCpu(frames = 16, size = 32, channels = 3): NetSpec {
  checkClip('fcsNetCpu', frames, size);
  const s = Math.ceil(size / 2);
  if (Math.ceil(frames / 2) < 4) throw new InvalidOptionError('fcsNetCpu', 'frames', frames, 'at least 7 (the temporal kernels need 4 frames after the first stride)');
  return netSpec([frames, size, size, channels], [
    { type: 'conv3d', filters: 24, kernel: 5, stride: 2 },
    { type: 'relu' },
    { type: 'conv3d', filters: 24, kernel: [3, s, s], stride: [2, 1, 1], padding: 'valid' },
    { type: 'relu' },
    { type: 'conv3d', filters: 5, kernel: [2, 1, 1], padding: 'valid' },
  ], 'stg-fcs-cpu');
}

/** A net of the same layers for clips of another length (its weights fit when the layers are convolutional over time). */
export function withFrames(spec: NetSpec, frames: number): NetSpec {
  const [, h, w, c] = spec.input as [number, number, number, number];
  return netSpec([frames, h, w, c], spec.layers, spec.name);
}
