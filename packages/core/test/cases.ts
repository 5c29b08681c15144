/** NetSpec cases shared by the runtime parity tests and the float64 finite-difference check. */
import type { LayerSpec } from '../src';

/** [name, input shape, layers, extra inputs]. */
export type Case = [string, number[], LayerSpec[], Record<string, number[]>?];

export const head: LayerSpec[] = [{ type: 'flatten' }, { type: 'dense', units: 1 }];

export const V1_CASES: Case[] = [
  ['conv2d same s2 k5 + leakyRelu + flatten + dense', [9, 9, 3], [{ type: 'conv2d', filters: 4, kernel: 5, stride: 2 }, { type: 'leakyRelu', alpha: 0.2 }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
  ['conv2d valid s1 k3 + relu, conv2d same s3 (uneven pads) + sigmoid', [10, 8, 2], [{ type: 'conv2d', filters: 3, kernel: 3, padding: 'valid' }, { type: 'relu' }, { type: 'conv2d', filters: 2, kernel: [2, 4], stride: 3 }, { type: 'sigmoid' }, { type: 'flatten' }, { type: 'dense', units: 2 }]],
  ['conv2d without bias + tanh + reshape', [6, 6, 1], [{ type: 'conv2d', filters: 2, kernel: 3, stride: 2, bias: false }, { type: 'tanh' }, { type: 'reshape', shape: [18] }, { type: 'dense', units: 1 }]],
  ['conv2dTranspose same s2 + conv2d', [4, 4, 3], [{ type: 'conv2dTranspose', filters: 2, kernel: 5, stride: 2 }, { type: 'softplus' }, { type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
  ['conv2dTranspose valid s2', [3, 3, 2], [{ type: 'conv2dTranspose', filters: 2, kernel: 3, stride: 2, padding: 'valid' }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
  ['conv3d same s2 k4 + conv3d s2 k3 (voxel-like)', [8, 8, 8, 1], [{ type: 'conv3d', filters: 3, kernel: 4, stride: 2 }, { type: 'leakyRelu' }, { type: 'conv3d', filters: 4, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
  // Depth stride over the depth kernel (a depth phase with no tap) and remainders that 'valid' drops in every axis.
  ['conv3d valid, depth stride over kernel, dropped remainders', [5, 6, 6, 1], [{ type: 'conv3d', filters: 2, kernel: [1, 3, 3], stride: 2, padding: 'valid' }, { type: 'tanh' }, { type: 'conv3d', filters: 2, kernel: 2, stride: 2, padding: 'valid' }, ...head]],
  ['conv3d valid, anisotropic (video-like)', [4, 7, 7, 2], [{ type: 'conv3d', filters: 3, kernel: [2, 3, 3], stride: [1, 2, 2], padding: 'valid' }, { type: 'swish' }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
  ['pointnet: per-point dense + layerNorm + max pool', [16, 3], [{ type: 'dense', units: 8 }, { type: 'layerNorm', axes: [0] }, { type: 'relu' }, { type: 'dense', units: 6 }, { type: 'pool', op: 'max', axis: 0 }, { type: 'dense', units: 4 }, { type: 'swish' }, { type: 'dense', units: 1 }]],
  ['pointnet: mean pool + batchNorm', [12, 3], [{ type: 'dense', units: 5 }, { type: 'batchNorm' }, { type: 'tanh' }, { type: 'pool', op: 'mean', axis: 0 }, { type: 'dense', units: 1 }]],
  ['conv2d + batchNorm + layerNorm', [6, 6, 2], [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'batchNorm' }, { type: 'leakyRelu' }, { type: 'layerNorm' }, { type: 'flatten' }, { type: 'dense', units: 1 }]],
];

export const V2_CASES: Case[] = [
  ['residual dense block (GPointNet residual_Conv1d)', [10, 4], [{ type: 'dense', units: 6 }, { type: 'residual', layers: [{ type: 'dense', units: 6 }, { type: 'relu' }, { type: 'dense', units: 6 }] }, { type: 'pool', op: 'mean', axis: 0 }, { type: 'dense', units: 1 }]],
  ['residual conv block between convs', [6, 6, 2], [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'residual', layers: [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'leakyRelu' }] }, { type: 'swish' }, ...head]],
  ['one-hot label tiled and concatenated after a conv', [6, 6, 1], [{ type: 'conv2d', filters: 3, kernel: 3, stride: 2 }, { type: 'concat', input: 'label' }, { type: 'conv2d', filters: 2, kernel: 3 }, ...head], { label: [4] }],
  ['condition image concatenated at the input', [5, 5, 2], [{ type: 'concat', input: 'cond' }, { type: 'conv2d', filters: 3, kernel: 3, stride: 2 }, { type: 'tanh' }, ...head], { cond: [5, 5, 1] }],
  ['CoopNets generator: [z; label] → dense → BN → reshape → convT s2 → BN → convT s2 → tanh', [3], [{ type: 'concat', input: 'label' }, { type: 'dense', units: 12 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'reshape', shape: [2, 2, 3] }, { type: 'conv2dTranspose', filters: 2, kernel: 3, stride: 2 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'conv2dTranspose', filters: 1, kernel: 3, stride: 2 }, { type: 'tanh' }, ...head], { label: [2] }],
  ['label concatenated to a flat vector', [3], [{ type: 'concat', input: 'label' }, { type: 'dense', units: 5 }, { type: 'swish' }, { type: 'dense', units: 1 }], { label: [2] }],
  ['constant padding (2-D, uneven, value 0.5)', [4, 5, 2], [{ type: 'pad', pads: [[1, 0], [2, 1]], value: 0.5 }, { type: 'conv2d', filters: 2, kernel: 3, padding: 'valid' }, ...head]],
  ['reflect padding (2-D)', [4, 5, 2], [{ type: 'pad', pads: [[2, 1], [1, 3]], mode: 'reflect' }, { type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, ...head]],
  ['reflect padding of time (3-D, FC_S_large-like)', [4, 3, 3, 1], [{ type: 'pad', pads: [[2, 2], [0, 0], [1, 0]], mode: 'reflect' }, { type: 'conv3d', filters: 2, kernel: [3, 2, 2], padding: 'valid' }, ...head]],
  ['max pool 2-D, overlapping windows', [7, 7, 2], [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'pool2d', op: 'max', size: 3, stride: 2 }, ...head]],
  ['max pool 2-D same', [5, 6, 2], [{ type: 'pool2d', op: 'max', size: 2, padding: 'same' }, ...head]],
  ['average pool 2-D same (border windows average real cells)', [5, 7, 2], [{ type: 'conv2d', filters: 2, kernel: 3 }, { type: 'pool2d', op: 'avg', size: 3, stride: 2, padding: 'same' }, ...head]],
  ['average pool 2-D valid with a remainder', [7, 6, 1], [{ type: 'pool2d', op: 'avg', size: [2, 3], stride: [2, 2] }, ...head]],
  ['max pool 3-D', [4, 6, 6, 1], [{ type: 'conv3d', filters: 2, kernel: 3 }, { type: 'pool3d', op: 'max', size: 2 }, ...head]],
  ['average pool 3-D same', [3, 5, 4, 2], [{ type: 'pool3d', op: 'avg', size: [2, 3, 2], stride: 2, padding: 'same' }, ...head]],
  ['nearest upsampling 2-D', [3, 4, 2], [{ type: 'upsample2d', factor: [2, 3] }, { type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, ...head]],
  ['bilinear upsampling 2-D', [3, 4, 2], [{ type: 'upsample2d', factor: 2, mode: 'linear' }, { type: 'conv2d', filters: 2, kernel: 3 }, ...head]],
  ['nearest upsampling 3-D', [2, 3, 2, 1], [{ type: 'upsample3d', factor: 2 }, { type: 'conv3d', filters: 2, kernel: 3, stride: 2 }, ...head]],
  ['trilinear upsampling 3-D', [2, 3, 2, 2], [{ type: 'upsample3d', factor: [2, 1, 3], mode: 'linear' }, { type: 'softplus' }, ...head]],
  ['layer norm per point (the official LayerNorm(num_point))', [8, 3], [{ type: 'dense', units: 5 }, { type: 'layerNorm', axes: [0], affine: 'normalized' }, { type: 'relu' }, { type: 'pool', op: 'mean', axis: 0 }, { type: 'dense', units: 1 }]],
];

/** Layers tfjs cannot differentiate: only the float64 finite-difference check covers their ONNX backward. */
export const FD_ONLY_CASES: Case[] = [
  ['conv3dTranspose same s2 (a 3-D generator layer)', [2, 3, 2, 2], [{ type: 'conv3dTranspose', filters: 2, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, ...head]],
  ['conv3dTranspose valid, anisotropic stride', [2, 2, 3, 1], [{ type: 'conv3dTranspose', filters: 2, kernel: [2, 3, 2], stride: [1, 2, 2], padding: 'valid' }, { type: 'tanh' }, ...head]],
];
