/**
 * NetSpec: a network as data. A serializable list of layers that both runtimes execute, that a
 * checkpoint stores and that ONNX export writes. Layouts are channels-last (NHWC, NDHWC, [B, N, C]);
 * shapes in a spec never include the batch dimension, and `axis` fields count from the first
 * non-batch axis.
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

export interface LeakyReluLayer {
  type: 'leakyRelu';
  /** Negative slope; default 0.2. */
  alpha?: number;
}

export interface ActivationLayer {
  type: 'relu' | 'swish' | 'tanh' | 'sigmoid' | 'softplus';
}

/**
 * Normalisation with learnable scale and offset on the last axis. `batchNorm` uses the statistics of
 * the batch it is given (EBMs evaluate observed and synthesized batches separately, as the
 * reference code does); `layerNorm` normalises each example over `axes` (default: all non-batch axes).
 */
export interface NormLayer {
  type: 'batchNorm' | 'layerNorm';
  axes?: number[];
  epsilon?: number;
}

export interface ReshapeLayer {
  type: 'reshape';
  shape: number[];
}

export interface FlattenLayer {
  type: 'flatten';
}

export type LayerSpec =
  | Conv2dLayer
  | Conv3dLayer
  | DenseLayer
  | PoolLayer
  | LeakyReluLayer
  | ActivationLayer
  | NormLayer
  | ReshapeLayer
  | FlattenLayer;

export type LayerType = LayerSpec['type'];

export interface NetSpec {
  format: 'ebm.netspec';
  version: 1;
  name?: string;
  /** Input shape without the batch dimension, e.g. [64, 64, 3] or [2048, 3]. */
  input: number[];
  layers: LayerSpec[];
}

/** One learnable tensor of a net. Names are stable: `layers.<index>.<kernel|bias|gamma|beta>`. */
export interface ParamInfo {
  name: string;
  shape: number[];
  layer: number;
  role: 'kernel' | 'bias' | 'gamma' | 'beta';
}
