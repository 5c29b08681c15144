import { NetSpecError } from '../errors';
import { layerModule, type InferContext } from './registry';
import type { LayerSpec, NetSpec, ParamInfo, StateInfo } from './types';

/** Shapes (without batch) after every layer, and the learnable and state tensors, of a validated spec. */
export interface NetShapes {
  /** `shapes[0]` is the input x; `shapes[i + 1]` is the output of top-level layer i. */
  shapes: number[][];
  params: ParamInfo[];
  state: StateInfo[];
  /** Extra inputs by name (shapes without batch); empty for a net of x alone. */
  inputs: Record<string, number[]>;
  /** Input and output shape of every layer, nested ones included, by JSON path (`layers.3.layers.0`). */
  layers: Record<string, { in: number[]; out: number[] }>;
}

export const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.length > 0 && s.every((x) => Number.isInteger(x) && x > 0);

/** The extra inputs of a spec (its `inputs` without x), validated. */
function extraInputs(spec: NetSpec): Record<string, number[]> {
  if (spec.inputs === undefined) return {};
  if (spec.inputs === null || typeof spec.inputs !== 'object' || Array.isArray(spec.inputs)) throw new NetSpecError(`inputs must be an object of named shapes, got ${JSON.stringify(spec.inputs)}`);
  if (spec.version === 1) throw new NetSpecError('named inputs need version 2');
  const out: Record<string, number[]> = {};
  for (const [name, shape] of Object.entries(spec.inputs)) {
    if (!isShape(shape)) throw new NetSpecError(`inputs.${name} must be a non-empty list of positive integers, got ${JSON.stringify(shape)}`);
    if (name === 'x') {
      if (shape.length !== spec.input.length || shape.some((n, i) => n !== spec.input[i])) throw new NetSpecError(`inputs.x ${fmtShape(shape)} differs from input ${fmtShape(spec.input)}`);
    } else out[name] = shape.slice();
  }
  return out;
}

/**
 * Validates a spec and infers every layer's output shape, the learnable tensors and the state.
 * @throws NetSpecError naming the layer and the shapes that do not fit.
 */
export function inferShapes(spec: NetSpec): NetShapes {
  if (spec === null || typeof spec !== 'object') throw new NetSpecError(`expected an object, got ${typeof spec}`);
  if (spec.format !== 'ebm.netspec') throw new NetSpecError(`format must be "ebm.netspec", got ${JSON.stringify(spec.format)}`);
  if (spec.version !== 1 && spec.version !== 2) throw new NetSpecError(`version ${JSON.stringify(spec.version)} is not supported (this build reads versions 1 and 2)`);
  if (!isShape(spec.input)) throw new NetSpecError(`input must be a non-empty list of positive integers, got ${JSON.stringify(spec.input)}`);
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new NetSpecError('layers must be a non-empty list');
  const inputs = extraInputs(spec);
  const params: ParamInfo[] = [];
  const state: StateInfo[] = [];
  const byPath: NetShapes['layers'] = {};

  const walk = (layers: LayerSpec[], inShape: number[], prefix: string, top?: number[][], topIndex?: number): number[] => {
    let shape = inShape;
    layers.forEach((layer, j) => {
      const index = topIndex ?? j;
      const type = layer !== null && typeof layer === 'object' ? (layer as { type?: unknown }).type : undefined;
      const fail = (message: string): never => {
        throw new NetSpecError(message, index, typeof type === 'string' ? type : 'unknown');
      };
      if (layer === null || typeof layer !== 'object') fail(`expected a layer object, got ${JSON.stringify(layer)}`);
      const module = typeof type === 'string' ? layerModule(type) : undefined;
      if (!module) return fail(`unknown layer type ${JSON.stringify(type)}`);
      if (spec.version === 1 && !V1_TYPES.has(type as string)) fail('this layer type needs a version 2 spec');
      const path = `${prefix}.${j}`;
      const ctx: InferContext = {
        inShape: shape,
        index,
        path,
        inputs,
        param: (role, s, extra) => params.push({ name: `${path}.${role}`, shape: s, layer: index, role, ...extra }),
        state: (role, s) => state.push({ name: `${path}.${role}`, shape: s, layer: index, role }),
        fail,
        sub: (sub, s, p) => {
          if (!Array.isArray(sub) || sub.length === 0) fail('layers must be a non-empty list');
          return walk(sub, s, p, undefined, index);
        },
      };
      const out = module.infer(layer, ctx);
      byPath[path] = { in: shape, out };
      shape = out;
      top?.push(shape);
    });
    return shape;
  };
  const shapes: number[][] = [spec.input.slice()];
  walk(spec.layers, spec.input, 'layers', shapes);
  return { shapes, params, state, inputs, layers: byPath };
}

/** The layer types of version 1 specs. */
export const V1_TYPES: ReadonlySet<string> = new Set(['conv2d', 'conv2dTranspose', 'conv3d', 'conv3dTranspose', 'dense', 'pool', 'leakyRelu', 'relu', 'swish', 'tanh', 'sigmoid', 'softplus', 'batchNorm', 'layerNorm', 'reshape', 'flatten']);

/** Number of learnable scalars in a spec. */
export function paramCount(spec: NetSpec): number {
  return inferShapes(spec).params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

/** Output shape (without batch) of a spec. */
export function outputShape(spec: NetSpec): number[] {
  const { shapes } = inferShapes(spec);
  return shapes[shapes.length - 1]!;
}
