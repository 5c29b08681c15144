import { InvalidOptionError } from '../errors';
import { checkKeys, nonNegative, positive } from '../options';
import { tf, type Tensor, type Variable } from '../tf';

export interface AdamOptions {
  kind?: 'adam';
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 0.9 (the descriptor papers use 0.5). */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** L2 weight decay λ: the gradient gets λ·θ added (multigrid: 1e-4); default 0. */
  weightDecay?: number;
}

export interface SgdOptions {
  kind: 'sgd';
  /** Default 1e-2. */
  learningRate?: number;
  /** Heavy-ball momentum μ: v ← μ·v + g, θ ← θ − lr·v (PyTorch's convention); default 0. */
  momentum?: number;
  /** L2 weight decay λ: the gradient gets λ·θ added; default 0. */
  weightDecay?: number;
}

export type OptimizerOptions = AdamOptions | SgdOptions;

/**
 * A gradient optimizer on named parameters, through tfjs's own optimizers. Keeps the parameter
 * order fixed so that its state (step count, moments) can be saved and restored positionally.
 */
export abstract class Optimizer {
  readonly weightDecay: number;
  private lr: number;
  // Made on first use: subclasses' options are set only after this constructor returns.
  private current?: tf.Optimizer;

  protected constructor(weightDecay: number, learningRate: number) {
    this.weightDecay = weightDecay;
    this.lr = learningRate;
  }

  protected abstract make(learningRate: number): tf.Optimizer;

  private get opt(): tf.Optimizer {
    return (this.current ??= this.fresh());
  }

  /** A new tfjs optimizer whose own tensors (momentum's scalar) survive a caller's tf.tidy. */
  private fresh(): tf.Optimizer {
    const o = this.make(this.lr);
    for (const v of Object.values(o)) if (v instanceof tf.Tensor) tf.keep(v);
    return o;
  }

  get learningRate(): number {
    return this.lr;
  }

  set learningRate(lr: number) {
    this.lr = positive('Optimizer', 'learningRate', lr);
    // tfjs's SGD and momentum read the rate from a scalar that only setLearningRate remakes.
    const o = this.current as unknown as { learningRate: number; setLearningRate?: (lr: number) => void } | undefined;
    if (o?.setLearningRate) o.setLearningRate(lr);
    else if (o) o.learningRate = lr;
  }

  /** θ ← step(θ, g + λ·θ). `grads` are borrowed; names not in `params` are ignored. */
  apply(params: Readonly<Record<string, Variable>>, grads: Readonly<Record<string, Tensor>>): void {
    // Made outside the tidy: tfjs optimizers keep tensors (momentum's scalar) from their constructor.
    const opt = this.opt;
    tf.tidy(() => {
      const named: { name: string; tensor: Tensor }[] = [];
      for (const [n, v] of Object.entries(params)) {
        const g = grads[n];
        if (g) named.push({ name: v.name, tensor: this.weightDecay > 0 ? tf.add(g, tf.mul(this.weightDecay, v)) : g });
      }
      opt.applyGradients(named);
    });
  }

  /** The optimizer state as plain arrays: [step, slots... in parameter order, extras...]. */
  async getState(): Promise<Float32Array[]> {
    const ws = await this.opt.getWeights();
    const out: Float32Array[] = [];
    for (const w of ws) out.push(Float32Array.from(await w.tensor.data()));
    // The step count comes back as a fresh scalar; the slots are the optimizer's own variables.
    ws[0]?.tensor.dispose();
    return [...out, ...(await this.extraState(this.opt))];
  }

  /** State tfjs's getWeights leaves out but an exact resume needs (see Adam). */
  protected async extraState(_opt: tf.Optimizer): Promise<Float32Array[]> {
    return [];
  }

  protected setExtraState(_opt: tf.Optimizer, _extra: Float32Array[]): void {}

  /** How many extra arrays `extraState` adds. */
  protected get extraCount(): number {
    return 0;
  }

  /** Restores a state from `getState()` for the same parameters (shapes taken from `params`). */
  async setState(params: Readonly<Record<string, Variable>>, state: Float32Array[]): Promise<void> {
    const vars = Object.values(params);
    this.current?.dispose();
    this.current = this.fresh();
    // A state saved before the first update holds only the step count (0): the fresh optimizer is it.
    if (state.length <= 1 + this.extraCount && state[0]![0] === 0) return;
    const slots = this.slotNames();
    const base = 1 + slots.length * vars.length;
    // Without the extras (states saved by format 1 checkpoints) tfjs recomputes them from the step.
    if (state.length !== base && state.length !== base + this.extraCount) throw new InvalidOptionError('Optimizer.setState', 'state', `${state.length} arrays`, `${base + this.extraCount} (step, ${slots.join(', ')} per parameter${this.extraCount ? ' and the extras' : ''})`);
    const extra = state.slice(base);
    const named = state.slice(0, base).map((a, i) => {
      const v = vars[(i - 1) % vars.length]!;
      return { name: i === 0 ? 'iter' : `${v.name}/${slots[Math.floor((i - 1) / vars.length)]}`, tensor: tf.tensor(a, i === 0 ? [] : v.shape) };
    });
    await this.opt.setWeights(named);
    for (const n of named) n.tensor.dispose();
    if (extra.length) this.setExtraState(this.opt, extra);
  }

  /** Names of the per-parameter slots in state order (tfjs's own names). */
  protected abstract slotNames(): string[];

  dispose(): void {
    // tfjs's momentum optimizer does not dispose the learning-rate scalar of its SGD base.
    const c = (this.current as unknown as { c?: Tensor } | undefined)?.c;
    this.current?.dispose();
    if (c && !c.isDisposed) c.dispose();
    this.current = undefined;
  }
}

/** Adam (Kingma & Ba 2015), with optional L2 weight decay. */
export class Adam extends Optimizer {
  readonly options: Required<Omit<AdamOptions, 'kind'>>;

  constructor(options: AdamOptions = {}) {
    checkKeys('Adam', 'options', options, ['kind', 'learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay']);
    const o = {
      learningRate: positive('Adam', 'learningRate', options.learningRate ?? 1e-3),
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      epsilon: positive('Adam', 'epsilon', options.epsilon ?? 1e-8),
      weightDecay: nonNegative('Adam', 'weightDecay', options.weightDecay ?? 0),
    };
    super(o.weightDecay, o.learningRate);
    this.options = o;
  }

  protected make(lr: number): tf.Optimizer {
    return tf.train.adam(lr, this.options.beta1, this.options.beta2, this.options.epsilon);
  }

  protected slotNames(): string[] {
    return ['m', 'v'];
  }

  // tfjs's Adam keeps β^t as a running product but its setWeights recomputes it as pow(β, t):
  // the two differ in the last bit, so an exact resume saves the products themselves.
  protected async extraState(opt: tf.Optimizer): Promise<Float32Array[]> {
    const acc = accumulators(opt);
    return acc ? [Float32Array.from(await acc[0].data()), Float32Array.from(await acc[1].data())] : [];
  }

  protected setExtraState(opt: tf.Optimizer, extra: Float32Array[]): void {
    const acc = accumulators(opt);
    if (!acc) return;
    tf.tidy(() => acc.forEach((v, i) => v.assign(tf.scalar(extra[i]![0]!))));
  }

  protected get extraCount(): number {
    return 2;
  }
}

/** Adam's β1^t and β2^t variables (made at its first update). */
function accumulators(opt: tf.Optimizer): [Variable, Variable] | undefined {
  const o = opt as unknown as { accBeta1?: Variable; accBeta2?: Variable };
  return o.accBeta1 && o.accBeta2 ? [o.accBeta1, o.accBeta2] : undefined;
}

/** Stochastic gradient descent with heavy-ball momentum and optional L2 weight decay. */
export class Sgd extends Optimizer {
  readonly options: Required<Omit<SgdOptions, 'kind'>>;

  constructor(options: Omit<SgdOptions, 'kind'> & { kind?: 'sgd' } = {}) {
    checkKeys('Sgd', 'options', options, ['kind', 'learningRate', 'momentum', 'weightDecay']);
    const o = {
      learningRate: positive('Sgd', 'learningRate', options.learningRate ?? 1e-2),
      momentum: nonNegative('Sgd', 'momentum', options.momentum ?? 0),
      weightDecay: nonNegative('Sgd', 'weightDecay', options.weightDecay ?? 0),
    };
    super(o.weightDecay, o.learningRate);
    this.options = o;
  }

  protected make(lr: number): tf.Optimizer {
    return this.options.momentum > 0 ? tf.train.momentum(lr, this.options.momentum) : tf.train.sgd(lr);
  }

  protected slotNames(): string[] {
    return this.options.momentum > 0 ? ['momentum'] : [];
  }
}

/** An optimizer from plain options: `{ kind: 'sgd', ... }` or Adam (the default). */
export function createOptimizer(options: OptimizerOptions = {}, fn = 'createOptimizer'): Optimizer {
  const kind = options.kind ?? 'adam';
  if (kind === 'adam') return new Adam(options as AdamOptions);
  if (kind === 'sgd') return new Sgd(options as SgdOptions);
  throw new InvalidOptionError(fn, 'optimizer.kind', kind, "'adam' or 'sgd'");
}
