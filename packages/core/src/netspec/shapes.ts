import { NetSpecError } from '../errors';
import type { Conv2dLayer, Conv3dLayer, LayerSpec, NetSpec, ParamInfo } from './types';

/** Shapes (without batch) after every layer, and the learnable tensors, of a validated spec. */
export interface NetShapes {
  /** `shapes[0]` is the input; `shapes[i + 1]` is the output of layer i. */
  shapes: number[][];
  params: ParamInfo[];
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function tuple(v: number | number[], n: number, what: string, i: number, t: string): number[] {
  const a = typeof v === 'number' ? new Array<number>(n).fill(v) : v;
  if (!Array.isArray(a) || a.length !== n || !a.every((x) => Number.isInteger(x) && x > 0)) {
    throw new NetSpecError(`${what} must be a positive integer or ${n} positive integers, got ${JSON.stringify(v)}`, i, t);
  }
  return a;
}

function convShape(layer: Conv2dLayer | Conv3dLayer, inShape: number[], i: number, params: ParamInfo[]): number[] {
  const d = layer.type.startsWith('conv2d') ? 2 : 3;
  if (inShape.length !== d + 1) {
    throw new NetSpecError(`expects a rank-${d + 1} input (${d === 2 ? 'H, W, C' : 'D, H, W, C'}) per example, got ${fmt(inShape)}`, i, layer.type);
  }
  if (!Number.isInteger(layer.filters) || layer.filters <= 0) throw new NetSpecError(`filters must be an integer > 0, got ${layer.filters}`, i, layer.type);
  const k = tuple(layer.kernel, d, 'kernel', i, layer.type);
  const s = tuple(layer.stride ?? 1, d, 'stride', i, layer.type);
  const pad = layer.padding ?? 'same';
  if (pad !== 'same' && pad !== 'valid') throw new NetSpecError(`padding must be 'same' or 'valid', got ${JSON.stringify(pad)}`, i, layer.type);
  const transpose = layer.type.endsWith('Transpose');
  const inC = inShape[d]!;
  const spatial = inShape.slice(0, d).map((n, j) => {
    if (transpose) return pad === 'same' ? n * s[j]! : (n - 1) * s[j]! + k[j]!;
    if (pad === 'same') return Math.ceil(n / s[j]!);
    if (n < k[j]!) throw new NetSpecError(`input ${fmt(inShape)} is smaller than kernel ${fmt(k)} with 'valid' padding`, i, layer.type);
    return Math.floor((n - k[j]!) / s[j]!) + 1;
  });
  // tfjs layouts: conv [k..., in, out]; transpose conv [k..., out, in].
  params.push({ name: `layers.${i}.kernel`, shape: transpose ? [...k, layer.filters, inC] : [...k, inC, layer.filters], layer: i, role: 'kernel' });
  if (layer.bias !== false) params.push({ name: `layers.${i}.bias`, shape: [layer.filters], layer: i, role: 'bias' });
  return [...spatial, layer.filters];
}

function axisOf(axis: number, rank: number, i: number, t: string): number {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new NetSpecError(`axis must be an integer in [0, ${rank}) for an input of rank ${rank}, got ${axis}`, i, t);
  return axis;
}

function layerShape(layer: LayerSpec, inShape: number[], i: number, params: ParamInfo[]): number[] {
  const t = (layer as { type?: unknown }).type;
  switch (layer.type) {
    case 'conv2d':
    case 'conv2dTranspose':
    case 'conv3d':
    case 'conv3dTranspose':
      return convShape(layer, inShape, i, params);
    case 'dense': {
      if (!Number.isInteger(layer.units) || layer.units <= 0) throw new NetSpecError(`units must be an integer > 0, got ${layer.units}`, i, t as string);
      if (inShape.length === 0) throw new NetSpecError('expects an input with at least one axis', i, layer.type);
      const inC = inShape[inShape.length - 1]!;
      params.push({ name: `layers.${i}.kernel`, shape: [inC, layer.units], layer: i, role: 'kernel' });
      if (layer.bias !== false) params.push({ name: `layers.${i}.bias`, shape: [layer.units], layer: i, role: 'bias' });
      return [...inShape.slice(0, -1), layer.units];
    }
    case 'pool': {
      if (layer.op !== 'max' && layer.op !== 'mean') throw new NetSpecError(`op must be 'max' or 'mean', got ${JSON.stringify(layer.op)}`, i, t as string);
      const a = axisOf(layer.axis, inShape.length, i, layer.type);
      return inShape.filter((_, j) => j !== a);
    }
    case 'leakyRelu':
      if (layer.alpha !== undefined && !(layer.alpha >= 0 && layer.alpha < 1)) throw new NetSpecError(`alpha must be in [0, 1), got ${layer.alpha}`, i, layer.type);
      return inShape;
    case 'relu':
    case 'swish':
    case 'tanh':
    case 'sigmoid':
    case 'softplus':
      return inShape;
    case 'batchNorm':
    case 'layerNorm': {
      for (const a of layer.axes ?? []) axisOf(a, inShape.length, i, layer.type);
      const c = inShape[inShape.length - 1]!;
      params.push({ name: `layers.${i}.gamma`, shape: [c], layer: i, role: 'gamma' });
      params.push({ name: `layers.${i}.beta`, shape: [c], layer: i, role: 'beta' });
      return inShape;
    }
    case 'reshape': {
      const n = inShape.reduce((a, b) => a * b, 1);
      const m = Array.isArray(layer.shape) ? layer.shape.reduce((a, b) => a * b, 1) : NaN;
      if (!Array.isArray(layer.shape) || !layer.shape.every((x) => Number.isInteger(x) && x > 0) || m !== n) {
        throw new NetSpecError(`cannot reshape ${fmt(inShape)} (${n} values) to ${JSON.stringify(layer.shape)}`, i, layer.type);
      }
      return [...layer.shape];
    }
    case 'flatten':
      return [inShape.reduce((a, b) => a * b, 1)];
    default:
      throw new NetSpecError(`unknown layer type ${JSON.stringify(t)}`, i, String(t));
  }
}

/**
 * Validates a spec and infers every layer's output shape and the learnable tensors.
 * @throws NetSpecError naming the layer and the shapes that do not fit.
 */
export function inferShapes(spec: NetSpec): NetShapes {
  if (spec === null || typeof spec !== 'object') throw new NetSpecError(`expected an object, got ${typeof spec}`);
  if (spec.format !== 'ebm.netspec') throw new NetSpecError(`format must be "ebm.netspec", got ${JSON.stringify(spec.format)}`);
  if (spec.version !== 1) throw new NetSpecError(`version ${JSON.stringify(spec.version)} is not supported (this build reads version 1)`);
  if (!Array.isArray(spec.input) || spec.input.length === 0 || !spec.input.every((x) => Number.isInteger(x) && x > 0)) {
    throw new NetSpecError(`input must be a non-empty list of positive integers, got ${JSON.stringify(spec.input)}`);
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new NetSpecError('layers must be a non-empty list');
  const shapes: number[][] = [spec.input.slice()];
  const params: ParamInfo[] = [];
  spec.layers.forEach((layer, i) => {
    if (layer === null || typeof layer !== 'object') throw new NetSpecError(`expected a layer object, got ${JSON.stringify(layer)}`, i, 'unknown');
    shapes.push(layerShape(layer, shapes[i]!, i, params));
  });
  return { shapes, params };
}

/** Number of learnable scalars in a spec. */
export function paramCount(spec: NetSpec): number {
  return inferShapes(spec).params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** Output shape (without batch) of a spec. */
export function outputShape(spec: NetSpec): number[] {
  const { shapes } = inferShapes(spec);
  return shapes[shapes.length - 1]!;
}
