/**
 * The layer registry (the tfjs kernel-config pattern): one module per layer type holds everything
 * about it — validation and shape inference, parameters, the tfjs forward, and the ONNX forward and
 * backward. Shape inference (shapes.ts), the tfjs runtime (apply.ts) and the ONNX compiler
 * (onnx/compile.ts) walk the registry and know no layer by name. Adding a layer type is one module
 * registered with `registerLayer` (docs/concepts.md, "Writing a net").
 */
import { EbmError } from '../errors';
import type { GraphBuilder } from '../onnx/builder';
import type { Tensor } from '../tf';
import type { InitSpec, LayerSpec, ParamInfo, StateInfo } from './types';

/** What a layer module sees while its shapes are inferred. */
export interface InferContext {
  /** Input shape without batch. */
  readonly inShape: number[];
  /** Index of the top-level layer (the one named in errors). */
  readonly index: number;
  /** JSON path of the layer, the prefix of its parameter names: `layers.3`, `layers.3.layers.0`. */
  readonly path: string;
  /** The net's extra inputs (shapes without batch). */
  readonly inputs: Readonly<Record<string, number[]>>;
  /** Declares a learnable tensor `<path>.<role>`. */
  param(role: ParamInfo['role'], shape: number[], extra?: { init?: InitSpec; fans?: [number, number] }): void;
  /** Declares a non-learned tensor `<path>.<role>` (running statistics). */
  state(role: StateInfo['role'], shape: number[]): void;
  /** Throws a NetSpecError naming the layer. */
  fail(message: string): never;
  /** Infers a nested layer list starting from `inShape` under `path`; returns its output shape. */
  sub(layers: LayerSpec[], inShape: number[], path: string): number[];
}

/** What a layer module sees when it runs on the tfjs runtime (inside a tidy). */
export interface ApplyContext {
  readonly path: string;
  /** The layer's learnable tensor of this role, if it has one. */
  param(role: ParamInfo['role']): Tensor | undefined;
  /** The layer's state tensor of this role. */
  state(role: StateInfo['role']): Tensor;
  /** An extra input of the net, [B, ...shape]. */
  input(name: string): Tensor;
  /** 'train' (batch statistics) or 'eval' (running statistics). */
  readonly mode: 'train' | 'eval';
  /** Reports a batch statistic for the running-state update of `<path>.<role>` (train mode). */
  stat(role: StateInfo['role'], value: Tensor): void;
  /** Runs a nested layer list. */
  sub(layers: LayerSpec[], x: Tensor, path: string): Tensor;
}

/** A value in an ONNX graph: its name, logical channels-last shape without batch, and layout. */
export interface OnnxValue {
  v: string;
  shape: number[];
  layout: 'first' | 'last';
}

/** The backward of a lowered layer: output gradient → input gradient (undefined when not needed). */
export type Back = (g: string, needInput: boolean) => string | undefined;

export interface Lowered {
  /** Output value name, in the same layout as the input. */
  y: string;
  back: Back;
}

/** What a layer module sees when it is compiled to ONNX. */
export interface LowerContext {
  readonly b: GraphBuilder;
  readonly path: string;
  /** Logical (channels-last) shapes without batch. */
  readonly inShape: number[];
  readonly outShape: number[];
  /** Layout of the input value (the module's declared layout, or either for 'any'). */
  readonly layout: 'first' | 'last';
  param(role: ParamInfo['role']): string | undefined;
  /** The parameter with its axes permuted (as ONNX Transpose `perm`); the runtime may feed it ready-made. */
  paramPermuted(role: ParamInfo['role'], perm: number[]): string | undefined;
  state(role: StateInfo['role']): string;
  /** An extra input of the net, channels-last [B, ...shape]. */
  input(name: string): string;
  /** The net's extra inputs (shapes without batch). */
  readonly inputs: Readonly<Record<string, number[]>>;
  readonly mode: 'train' | 'eval';
  /** Whether parameter gradients are wanted: then `back` must call `setGrad` for each parameter. */
  readonly wantParams: boolean;
  setGrad(role: ParamInfo['role'], value: string): void;
  /** Adds to the gradient of an extra input (it may be joined more than once). */
  addInputGrad(name: string, value: string): void;
  /** Whether the gradient of this extra input is asked for. */
  wantsInputGrad(name: string): boolean;
  /** Reports a batch statistic (train mode) as a graph output. */
  stat(role: StateInfo['role'], value: string): void;
  readonly options: LowerOptions;
  /** Lowers a nested layer list from `x`; the result is in the layout `x` had. */
  sub(layers: LayerSpec[], x: OnnxValue, path: string): { y: OnnxValue; back: Back; hasParams: boolean };
}

/** How a conv's input gradient is lowered (CompileOptions.convInputGrad). */
export type ConvInputGradLowering = 'auto' | 'convTranspose' | 'col2im' | 'depthFold';

export interface LowerOptions {
  convInputGrad: ConvInputGradLowering;
  convWeightGrad: 'auto' | 'conv' | 'im2col';
}

/** Everything about one or more layer types. */
export interface LayerModule<S extends LayerSpec = LayerSpec> {
  readonly types: readonly S['type'][];
  /** The layout the ONNX lowering wants its input in ('any': works in either, e.g. elementwise ops). */
  readonly layout: 'first' | 'last' | 'any';
  /** Validates the layer, declares its parameters and state, and returns the output shape. */
  infer(layer: S, ctx: InferContext): number[];
  /** The tfjs forward (pure tfjs ops; differentiated by tfjs autodiff). */
  apply(layer: S, x: Tensor, ctx: ApplyContext): Tensor;
  /** The ONNX forward and its hand-written backward. */
  lower(layer: S, x: string, ctx: LowerContext): Lowered;
}

const LAYERS = new Map<string, LayerModule>();

/**
 * Registers a layer module for its types. A type can be registered once; pass `{ replace: true }`
 * to swap an implementation on purpose.
 */
export function registerLayer<S extends LayerSpec>(module: LayerModule<S>, options: { replace?: boolean } = {}): void {
  for (const t of module.types) {
    if (LAYERS.has(t) && LAYERS.get(t) !== (module as unknown as LayerModule) && !options.replace) {
      throw new EbmError(`registerLayer: layer type "${t}" is already registered`);
    }
    LAYERS.set(t, module as unknown as LayerModule);
  }
}

/** The module of a layer type, or undefined when none is registered. */
export function layerModule(type: string): LayerModule | undefined {
  return LAYERS.get(type);
}

/** The registered layer types. */
export function layerTypes(): string[] {
  return [...LAYERS.keys()];
}
