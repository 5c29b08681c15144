import { EbmError, InvalidOptionError, ShapeMismatchError } from '../errors';
import { checkKeys } from '../options';
import { runtimeByName, type RuntimeName } from '../runtime/registry';
import type { FusedLangevinResult, FusedLangevinStep, NetExecutor, NetRuntime, RunOptions, VjpResult } from '../runtime/types';
import { tf, type Tensor, type Variable } from '../tf';
import { initParam, initState, layerAt } from './init';
import { inferShapes, type NetShapes } from './shapes';
import type { NetSpec, ParamInfo, StateInfo } from './types';

export interface CreateNetOptions {
  /** Seed of the weight initialisation; default 0. */
  seed?: number;
  /** Initial weights by parameter name (e.g. from a checkpoint); copied. Default: seeded init. */
  weights?: Readonly<Record<string, Tensor | Float32Array>>;
  /**
   * Initial state (batch norms' running statistics) by name; copied. Default: the entries of
   * `weights` with those names, else means 0 and variances 1.
   */
  state?: Readonly<Record<string, Tensor | Float32Array>>;
  /** 'train' (default) or 'eval'; see `Net.mode`. */
  mode?: 'train' | 'eval';
  /**
   * Runtime that executes the spec: a NetRuntime, or 'tfjs', 'onnx', or 'auto' (tfjs when a GPU
   * tfjs backend is active, otherwise onnx; call `initBackend()` first). Default 'tfjs'.
   */
  runtime?: NetRuntime | RuntimeName;
}

/** Extra inputs of a call, by the names of the spec's `inputs`, each [B, ...shape]. */
export type NetInputs = Readonly<Record<string, Tensor>>;

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
  /** Non-learned tensors by name: batch norms' running statistics (`layers.<i>.runningMean`). */
  readonly state: Readonly<Record<string, Variable>>;
  private readonly executor: NetExecutor;
  private readonly rt: NetRuntime;
  private readonly prefixes = new Map<number, { executor: NetExecutor; names: string[] }>();
  /** Per state tensor: the momentum of its layer and the cells it averages over per example. */
  private readonly running: Record<string, { momentum: number; cells: number }> = {};
  private currentMode: 'train' | 'eval';
  private disposed = false;

  constructor(spec: NetSpec, options: CreateNetOptions = {}) {
    checkKeys('createNet', 'options', options, ['seed', 'weights', 'state', 'mode', 'runtime']);
    this.spec = spec;
    this.shapes = inferShapes(spec);
    const prefix = uniquePrefix();
    const make = (infos: (ParamInfo | StateInfo)[], given: CreateNetOptions['weights'], init: (p: ParamInfo | StateInfo, i: number) => Tensor, trainable: boolean) => {
      const out: Record<string, Variable> = {};
      infos.forEach((p, i) => {
        const g = given?.[p.name];
        const t = g === undefined ? init(p, i) : toTensor(g, p);
        out[p.name] = tf.variable(t, trainable, `${prefix}/${p.name}`);
        t.dispose();
      });
      return out;
    };
    this.params = make(this.shapes.params, options.weights, (p, i) => initParam(p as ParamInfo, options.seed ?? 0, i), true);
    // State may come with the weights (a checkpoint's params hold both).
    this.state = make(this.shapes.state, options.state ?? options.weights, (s) => initState(s as StateInfo), false);
    for (const s of this.shapes.state) {
      const path = s.name.slice(0, s.name.lastIndexOf('.'));
      const cells = this.shapes.layers[path]!.in.reduce((a, b) => a * b, 1) / s.shape.reduce((a, b) => a * b, 1);
      this.running[s.name] = { momentum: (layerAt(spec, path).momentum as number | undefined) ?? 0.1, cells };
    }
    this.currentMode = checkMode(options.mode ?? 'train');
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

  /**
   * 'train': batch norms normalise with the statistics of the batch they are given, and every
   * forward and vjp updates their running statistics (PyTorch's convention); 'eval': they use the
   * running statistics, which stay as they are (a generator samples in eval mode).
   */
  get mode(): 'train' | 'eval' {
    return this.currentMode;
  }

  set mode(m: 'train' | 'eval') {
    this.currentMode = checkMode(m);
  }

  /** y = net(x). Borrowed x and inputs; the caller owns y. */
  forward(x: Tensor, inputs: NetInputs = {}): Promise<Tensor> {
    // Bad shapes throw here, synchronously, before anything runs.
    const o = this.runOptions(x, inputs);
    return this.executor.forward(this.params, x, o).then((r) => (this.updateRunning(r, x.shape[0]!), r.y));
  }

  /**
   * y, ⟨gy, ∂y/∂x⟩, ⟨gy, ∂y/∂θ⟩ and/or ⟨gy, ∂y/∂input⟩ for the extra inputs named in `wrt.inputs`.
   * Borrowed inputs; the caller owns the results.
   */
  vjp(x: Tensor, gy: Tensor, wrt: { x?: boolean; params?: boolean; inputs?: string[] } = { x: true, params: true }, inputs: NetInputs = {}): Promise<VjpResult> {
    const o = this.runOptions(x, inputs);
    for (const n of wrt.inputs ?? []) if (!(n in this.shapes.inputs)) throw new InvalidOptionError('Net.vjp', 'wrt.inputs', n, `the name of an extra input (${Object.keys(this.shapes.inputs).join(', ') || 'the net has none'})`);
    return this.executor.vjp(this.params, x, gy, { x: wrt.x ?? false, params: wrt.params ?? false, inputs: wrt.inputs }, o).then((r) => (this.updateRunning(r, x.shape[0]!), r));
  }

  /**
   * The activations after top-level layer `layer` (0-based, inclusive): intermediate features, e.g.
   * the conv features the descriptor papers pool for classification. Compiled once per layer on the
   * net's runtime; leaves running statistics alone. Borrowed x; the caller owns the result.
   */
  forwardTo(x: Tensor, layer: number, inputs: NetInputs = {}): Promise<Tensor> {
    const o = { ...this.runOptions(x, inputs), stats: false };
    const last = this.spec.layers.length - 1;
    if (!Number.isInteger(layer) || layer < 0 || layer > last) throw new InvalidOptionError('Net.forwardTo', 'layer', layer, `an integer in [0, ${last}]`);
    if (layer === last) return this.executor.forward(this.params, x, o).then((r) => r.y);
    let prefix = this.prefixes.get(layer);
    if (!prefix) {
      const spec: NetSpec = { ...this.spec, layers: this.spec.layers.slice(0, layer + 1) };
      prefix = { executor: this.rt.compile(spec), names: inferShapes(spec).params.map((p) => p.name) };
      this.prefixes.set(layer, prefix);
    }
    const params = Object.fromEntries(prefix.names.map((n) => [n, this.params[n]!]));
    return prefix.executor.forward(params, x, o).then((r) => r.y);
  }

  /** Whether the runtime runs a whole Langevin step in one call. */
  get fusedLangevin(): boolean {
    return this.executor.langevinStep !== undefined;
  }

  /** One fused Langevin step (only when `fusedLangevin`); `sign` = −1 for a descriptor score. */
  langevinStep(x: Tensor, sign: 1 | -1, step: FusedLangevinStep, inputs: NetInputs = {}): Promise<FusedLangevinResult> {
    const o = { ...this.runOptions(x, inputs), stats: false };
    if (!this.executor.langevinStep) throw new EbmError(`the ${this.runtime} runtime has no fused Langevin step`);
    return this.executor.langevinStep(this.params, x, sign, step, o);
  }

  /** Copies of the weights as Float32Arrays, by name. */
  async getWeights(): Promise<Record<string, Float32Array>> {
    return readAll(this.params);
  }

  /** Assigns weights by name; every parameter must be given with its shape. */
  setWeights(weights: Readonly<Record<string, Tensor | Float32Array>>): void {
    assignAll('Net.setWeights', this.params, this.shapes.params, weights);
  }

  /** Copies of the state tensors (running statistics), by name. */
  async getState(): Promise<Record<string, Float32Array>> {
    return readAll(this.state);
  }

  /** Assigns the state tensors by name; every one must be given with its shape. */
  setState(state: Readonly<Record<string, Tensor | Float32Array>>): void {
    assignAll('Net.setState', this.state, this.shapes.state, state);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of [...Object.values(this.params), ...Object.values(this.state)]) v.dispose();
    this.executor.dispose();
    for (const p of this.prefixes.values()) p.executor.dispose();
    this.prefixes.clear();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private runOptions(x: Tensor, inputs: NetInputs): RunOptions {
    const name = `Net${this.spec.name ? ` "${this.spec.name}"` : ''}`;
    const want = this.spec.input;
    if (x.rank !== want.length + 1 || want.some((n, i) => x.shape[i + 1] !== n)) {
      throw new ShapeMismatchError(`${name} expects input [batch, ${want.join(', ')}], got [${x.shape.join(', ')}]`);
    }
    for (const [n, s] of Object.entries(this.shapes.inputs)) {
      const t = inputs[n];
      if (!t) throw new ShapeMismatchError(`${name} needs its extra input "${n}" [batch, ${s.join(', ')}]`);
      if (t.dtype !== 'float32') throw new ShapeMismatchError(`${name}: extra input "${n}" must be float32, got ${t.dtype} (tf.cast it)`);
      if (t.rank !== s.length + 1 || t.shape[0] !== x.shape[0] || s.some((v, i) => t.shape[i + 1] !== v)) {
        throw new ShapeMismatchError(`${name} expects input "${n}" [${x.shape[0]}, ${s.join(', ')}], got [${t.shape.join(', ')}]`);
      }
    }
    for (const n of Object.keys(inputs)) if (!(n in this.shapes.inputs)) throw new ShapeMismatchError(`${name} has no extra input "${n}"`);
    return { inputs, state: this.state, mode: this.currentMode, stats: this.currentMode === 'train' && this.shapes.state.length > 0 };
  }

  /** running ← (1 − m)·running + m·batch, with the unbiased batch variance (PyTorch's convention). */
  private updateRunning(r: VjpResult, batch: number): void {
    if (!r.stats) return;
    tf.tidy(() => {
      for (const [name, value] of Object.entries(r.stats!)) {
        const { momentum, cells } = this.running[name]!;
        const n = batch * cells;
        const v = name.endsWith('runningVar') && n > 1 ? tf.mul(value, n / (n - 1)) : value;
        const s = this.state[name]!;
        s.assign(tf.add(tf.mul(s, 1 - momentum), tf.mul(v, momentum)));
      }
    });
    for (const t of Object.values(r.stats)) t.dispose();
    delete r.stats;
  }
}

function checkMode(m: unknown): 'train' | 'eval' {
  if (m !== 'train' && m !== 'eval') throw new InvalidOptionError('Net', 'mode', m, "'train' or 'eval'");
  return m;
}

async function readAll(vars: Readonly<Record<string, Variable>>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [n, v] of Object.entries(vars)) out[n] = (await v.data()) as Float32Array;
  return out;
}

function assignAll(fn: string, vars: Readonly<Record<string, Variable>>, infos: (ParamInfo | StateInfo)[], given: Readonly<Record<string, Tensor | Float32Array>>): void {
  for (const p of infos) {
    const w = given[p.name];
    if (w === undefined) throw new InvalidOptionError(fn, `["${p.name}"]`, undefined, `a tensor of shape [${p.shape}]`);
    const t = toTensor(w, p);
    vars[p.name]!.assign(t);
    t.dispose();
  }
}

function toTensor(w: Tensor | Float32Array, p: ParamInfo | StateInfo): Tensor {
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
