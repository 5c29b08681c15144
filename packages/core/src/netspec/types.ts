/**
 * NetSpec: a network as data. A serializable list of layers that both runtimes execute, that a
 * checkpoint stores and that ONNX export writes. Layouts are channels-last (NHWC, NDHWC, [B, N, C]);
 * shapes in a spec never include the batch dimension, and `axis` fields count from the first
 * non-batch axis. Two structural forms make a spec a small graph: `residual` blocks (a sub-list whose
 * output is added to its input) and named extra inputs joined by `concat`.
 */

/** Weight initialisation of a layer's kernel (biases start at zero). */
export type InitSpec =
  | { dist: 'normal'; std: number }
  | { dist: 'heNormal' }
  | { dist: 'glorotUniform' };

export type Padding = 'same' | 'valid';

interface WithInit {
  /** Kernel initialisation; default `{ dist: 'heNormal' }`. */
  init?: InitSpec;
  /** Adds a learnable bias; default true. */
  bias?: boolean;
}

export interface Conv2dLayer extends WithInit {
  type: 'conv2d' | 'conv2dTranspose';
  filters: number;
  kernel: number | [number, number];
  stride?: number | [number, number];
  /** 'same' (TensorFlow semantics: output = ceil(in / stride)) or 'valid'; default 'same'. */
  padding?: Padding;
}

export interface Conv3dLayer extends WithInit {
  type: 'conv3d' | 'conv3dTranspose';
  filters: number;
  kernel: number | [number, number, number];
  stride?: number | [number, number, number];
  padding?: Padding;
}

/** Affine map on the last axis: a plain dense layer on [B, C], a shared per-point MLP layer on [B, N, C]. */
export interface DenseLayer extends WithInit {
  type: 'dense';
  units: number;
}

/** Max or mean over one non-batch axis, which is removed (PointNet's symmetric pooling over points). */
export interface PoolLayer {
  type: 'pool';
  op: 'max' | 'mean';
  axis: number;
}

/** Windowed max or average pooling over the spatial axes of [H, W, C] (2-D) or [D, H, W, C] (3-D). */
export interface WindowPoolLayer {
  type: 'pool2d' | 'pool3d';
  op: 'max' | 'avg';
  /** Window size per spatial axis. */
  size: number | number[];
  /** Default: the window size (non-overlapping windows). */
  stride?: number | number[];
  /** 'valid' (default) or 'same' (TensorFlow semantics; averages count only the cells inside the input). */
  padding?: Padding;
}

/**
 * Explicit padding of the spatial axes (every axis but the last, channels). `pads` gives
 * [before, after] per spatial axis (STGConvNet's FC_S_large pads time by (2, 0, 0) → [[2, 2], [0, 0], [0, 0]]).
 */
export interface PadLayer {
  type: 'pad';
  pads: [number, number][];
  /** 'constant' (default) fills with `value`; 'reflect' mirrors the input without repeating the edge. */
  mode?: 'constant' | 'reflect';
  /** Fill value of constant padding; default 0. */
  value?: number;
}

/** Upsampling of the spatial axes by integer factors: nearest replication or (bi/tri)linear interpolation. */
export interface UpsampleLayer {
  type: 'upsample2d' | 'upsample3d';
  factor: number | number[];
  /** 'nearest' (default) or 'linear' (half-pixel centres, edges clamped: PyTorch's align_corners=false). */
  mode?: 'nearest' | 'linear';
}

export interface LeakyReluLayer {
  type: 'leakyRelu';
  /** Negative slope; default 0.2. */
  alpha?: number;
}

export interface ActivationLayer {
  type: 'relu' | 'swish' | 'tanh' | 'sigmoid' | 'softplus';
}

/**
 * Normalisation with learnable scale and offset. `layerNorm` normalises each example over `axes`
 * (default: all non-batch axes); its scale and offset are per channel (last axis) by default, or
 * have the shape of the normalised axes with `affine: 'normalized'` (PyTorch's LayerNorm(shape)).
 * `batchNorm` normalises over the batch and `axes` (default: every axis but the channels): in the
 * net's 'train' mode with the statistics of the batch it is given (EBMs evaluate observed and
 * synthesized batches separately, as the reference code does), which also update its running
 * statistics; in 'eval' mode with the running statistics.
 */
export interface NormLayer {
  type: 'batchNorm' | 'layerNorm';
  axes?: number[];
  epsilon?: number;
  /** batchNorm: running ← (1 − momentum)·running + momentum·batch (PyTorch's convention); default 0.1. */
  momentum?: number;
  /** layerNorm: 'channel' (default) or 'normalized' (a scale and offset per normalised cell). */
  affine?: 'channel' | 'normalized';
}

export interface ReshapeLayer {
  type: 'reshape';
  shape: number[];
}

export interface FlattenLayer {
  type: 'flatten';
}

/** A sub-list of layers whose output is added to its input (the shapes must agree). */
export interface ResidualLayer {
  type: 'residual';
  layers: LayerSpec[];
}

/**
 * Joins a named extra input of the net to the running tensor on the channel (last) axis. An input
 * with only a channel axis (a one-hot label [10]) is tiled over the spatial axes first (Conditional
 * CoopNets); otherwise its other axes must equal the running tensor's (a condition image).
 */
export interface ConcatLayer {
  type: 'concat';
  input: string;
}

export type LayerSpec =
  | Conv2dLayer
  | Conv3dLayer
  | DenseLayer
  | PoolLayer
  | WindowPoolLayer
  | PadLayer
  | UpsampleLayer
  | LeakyReluLayer
  | ActivationLayer
  | NormLayer
  | ReshapeLayer
  | FlattenLayer
  | ResidualLayer
  | ConcatLayer;

export type LayerType = LayerSpec['type'];

export interface NetSpec {
  format: 'ebm.netspec';
  /** 1: a plain layer list of the first layer set; 2: anything newer (see `netSpec`). */
  version: 1 | 2;
  name?: string;
  /** Input shape x without the batch dimension, e.g. [64, 64, 3] or [2048, 3]. */
  input: number[];
  /**
   * Named extra inputs (version 2), shapes without batch, e.g. `{ label: [10] }`. May repeat `x`
   * (then equal to `input`). Every call of the net passes them beside x.
   */
  inputs?: Record<string, number[]>;
  layers: LayerSpec[];
}

/**
 * One learnable tensor of a net. Names are stable and follow the spec's JSON path:
 * `layers.<i>.<role>`, and `layers.<i>.layers.<j>.<role>` inside a residual block.
 */
export interface ParamInfo {
  name: string;
  shape: number[];
  /** Index of the top-level layer it belongs to. */
  layer: number;
  role: 'kernel' | 'bias' | 'gamma' | 'beta';
  /** Kernel initialisation (kernels only). */
  init?: InitSpec;
  /** Fan-in and fan-out of a kernel, for the He and Glorot initialisations. */
  fans?: [number, number];
}

/**
 * A tensor of a net that is not learned by gradients: batch norm's running statistics,
 * `layers.<i>.runningMean` / `.runningVar`, starting at 0 and 1.
 */
export interface StateInfo {
  name: string;
  shape: number[];
  layer: number;
  role: 'runningMean' | 'runningVar';
}
