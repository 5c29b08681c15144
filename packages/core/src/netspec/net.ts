import { EbmError, InvalidOptionError, ShapeMismatchError } from '../errors';
import { runtimeByName, type RuntimeName } from '../runtime/select';
import type { FusedLangevinResult, FusedLangevinStep, NetExecutor, NetRuntime, VjpResult } from '../runtime/types';
import { tf, type Tensor, type Variable } from '../tf';
import { initParam } from './init';
import { inferShapes, type NetShapes } from './shapes';
import type { NetSpec, ParamInfo } from './types';

export interface CreateNetOptions {
  /** Seed of the weight initialisation; default 0. */
  seed?: number;
  /** Initial weights by parameter name (e.g. from a checkpoint); copied. Default: seeded init. */
  weights?: Readonly<Record<string, Tensor | Float32Array>>;
  /**
   * Runtime that executes the spec: a NetRuntime, or 'tfjs', 'onnx', or 'auto' (tfjs when a GPU
   * tfjs backend is active, otherwise onnx; call `initBackend()` first). Default 'tfjs'.
   */
  runtime?: NetRuntime | RuntimeName;
}

// tfjs optimizers find variables by name in one global registry: give every net a unique prefix.
const COUNTER = Symbol.for('@ebm/core/netCounter');
function uniquePrefix(): string {
  const g = globalThis as { [COUNTER]?: number };
  g[COUNTER] = (g[COUNTER] ?? 0) + 1;
  return `ebm${g[COUNTER]}`;
}

/**
 * A NetSpec with its weights (tfjs variables) and the executor of a runtime. Ownership: the net owns
 * its variables; `dispose()` frees them.
 */
export class Net {
  readonly spec: NetSpec;
  readonly shapes: NetShapes;
  /** Learnable tensors by stable name (`layers.<i>.<role>`), in spec order. */
  readonly params: Readonly<Record<string, Variable>>;
  private readonly executor: NetExecutor;
  private readonly rt: NetRuntime;
  private readonly prefixes = new Map<number, { executor: NetExecutor; names: string[] }>();
  private disposed = false;

  constructor(spec: NetSpec, options: CreateNetOptions = {}) {
    this.spec = spec;
    this.shapes = inferShapes(spec);
    const prefix = uniquePrefix();
    const params: Record<string, Variable> = {};
    this.shapes.params.forEach((p, i) => {
      const given = options.weights?.[p.name];
      const init = given === undefined ? initParam(p, spec.layers[p.layer]!, options.seed ?? 0, i) : toTensor(given, p);
      params[p.name] = tf.variable(init, true, `${prefix}/${p.name}`);
      init.dispose();
    });
    this.params = params;
    const rt = options.runtime ?? 'tfjs';
    this.rt = typeof rt === 'string' ? runtimeByName(rt) : rt;
    this.executor = this.rt.compile(spec);
  }

  get runtime(): string {
    return this.executor.runtime;
  }

  get inputShape(): number[] {
    return this.spec.input;
  }

  get outputShape(): number[] {
    return this.shapes.shapes[this.shapes.shapes.length - 1]!;
  }

  /** Number of learnable scalars. */
  get paramCount(): number {
    return this.shapes.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** y = net(x). Borrowed x; the caller owns y. */
  forward(x: Tensor): Promise<Tensor> {
    this.check(x);
    return this.executor.forward(this.params, x);
  }

  /** y, ⟨gy, ∂y/∂x⟩ and/or ⟨gy, ∂y/∂θ⟩. Borrowed inputs; the caller owns the results. */
  vjp(x: Tensor, gy: Tensor, wrt: { x?: boolean; params?: boolean } = { x: true, params: true }): Promise<VjpResult> {
    this.check(x);
    return this.executor.vjp(this.params, x, gy, { x: wrt.x ?? false, params: wrt.params ?? false });
  }

  /**
   * The activations after layer `layer` (0-based, inclusive): intermediate features, e.g. the conv
   * features the descriptor papers pool for classification. Compiled once per layer on the net's
   * runtime. Borrowed x; the caller owns the result.
   */
  forwardTo(x: Tensor, layer: number): Promise<Tensor> {
    this.check(x);
    const last = this.spec.layers.length - 1;
    if (!Number.isInteger(layer) || layer < 0 || layer > last) throw new InvalidOptionError('Net.forwardTo', 'layer', layer, `an integer in [0, ${last}]`);
    if (layer === last) return this.executor.forward(this.params, x);
    let prefix = this.prefixes.get(layer);
    if (!prefix) {
      const spec: NetSpec = { ...this.spec, layers: this.spec.layers.slice(0, layer + 1) };
      prefix = { executor: this.rt.compile(spec), names: inferShapes(spec).params.map((p) => p.name) };
      this.prefixes.set(layer, prefix);
    }
    const params = Object.fromEntries(prefix.names.map((n) => [n, this.params[n]!]));
    return prefix.executor.forward(params, x);
  }

  /** Whether the runtime runs a whole Langevin step in one call. */
  get fusedLangevin(): boolean {
    return this.executor.langevinStep !== undefined;
  }

  /** One fused Langevin step (only when `fusedLangevin`); `sign` = −1 for a descriptor score. */
  langevinStep(x: Tensor, sign: 1 | -1, step: FusedLangevinStep): Promise<FusedLangevinResult> {
    this.check(x);
    if (!this.executor.langevinStep) throw new EbmError(`the ${this.runtime} runtime has no fused Langevin step`);
    return this.executor.langevinStep(this.params, x, sign, step);
  }

  /** Copies of the weights as Float32Arrays, by name. */
  async getWeights(): Promise<Record<string, Float32Array>> {
    const out: Record<string, Float32Array> = {};
    for (const [n, v] of Object.entries(this.params)) out[n] = (await v.data()) as Float32Array;
    return out;
  }

  /** Assigns weights by name; every parameter must be given with its shape. */
  setWeights(weights: Readonly<Record<string, Tensor | Float32Array>>): void {
    for (const p of this.shapes.params) {
      const w = weights[p.name];
      if (w === undefined) throw new InvalidOptionError('Net.setWeights', `weights["${p.name}"]`, undefined, `a tensor of shape [${p.shape}]`);
      const t = toTensor(w, p);
      this.params[p.name]!.assign(t);
      t.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of Object.values(this.params)) v.dispose();
    this.executor.dispose();
    for (const p of this.prefixes.values()) p.executor.dispose();
    this.prefixes.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private check(x: Tensor): void {
    const want = this.spec.input;
    if (x.rank !== want.length + 1 || want.some((n, i) => x.shape[i + 1] !== n)) {
      throw new ShapeMismatchError(`Net${this.spec.name ? ` "${this.spec.name}"` : ''} expects input [batch, ${want.join(', ')}], got [${x.shape.join(', ')}]`);
    }
  }
}

function toTensor(w: Tensor | Float32Array, p: ParamInfo): Tensor {
  const size = p.shape.reduce((a, b) => a * b, 1);
  if (w instanceof Float32Array) {
    if (w.length !== size) throw new ShapeMismatchError(`weight "${p.name}" needs ${size} values for shape [${p.shape}], got ${w.length}`);
    return tf.tensor(w, p.shape, 'float32');
  }
  if (w.size !== size || w.rank !== p.shape.length || w.shape.some((n, i) => n !== p.shape[i])) {
    throw new ShapeMismatchError(`weight "${p.name}" must have shape [${p.shape}], got [${w.shape}]`);
  }
  return tf.clone(w);
}

/** Creates a net from a spec. */
export function createNet(spec: NetSpec, options: CreateNetOptions = {}): Net {
  return new Net(spec, options);
}
