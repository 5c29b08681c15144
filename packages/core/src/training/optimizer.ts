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
    return (this.current ??= this.make(this.lr));
  }

  get learningRate(): number {
    return this.lr;
  }

  set learningRate(lr: number) {
    this.lr = positive('Optimizer', 'learningRate', lr);
    if (this.current) (this.current as unknown as { learningRate: number }).learningRate = lr;
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

  /** The optimizer state as plain arrays: [step, slots...] in parameter order. */
  async getState(): Promise<Float32Array[]> {
    const ws = await this.opt.getWeights();
    const out: Float32Array[] = [];
    for (const w of ws) out.push(Float32Array.from(await w.tensor.data()));
    // The step count comes back as a fresh scalar; the slots are the optimizer's own variables.
    ws[0]?.tensor.dispose();
    return out;
  }

  /** Restores a state from `getState()` for the same parameters (shapes taken from `params`). */
  async setState(params: Readonly<Record<string, Variable>>, state: Float32Array[]): Promise<void> {
    const vars = Object.values(params);
    this.current?.dispose();
    this.current = this.make(this.lr);
    // A state saved before the first update holds only the step count (0): the fresh optimizer is it.
    if (state.length <= 1) return;
    const slots = this.slotNames();
    if (state.length !== 1 + slots.length * vars.length) throw new InvalidOptionError('Optimizer.setState', 'state', `${state.length} arrays`, `${1 + slots.length * vars.length} (step and ${slots.join(', ')} per parameter)`);
    const named = state.map((a, i) => {
      const v = vars[(i - 1) % vars.length]!;
      return { name: i === 0 ? 'iter' : `${v.name}/${slots[Math.floor((i - 1) / vars.length)]}`, tensor: tf.tensor(a, i === 0 ? [] : v.shape) };
    });
    await this.opt.setWeights(named);
    for (const n of named) n.tensor.dispose();
  }

  /** Names of the per-parameter slots in state order (tfjs's own names). */
  protected abstract slotNames(): string[];

  dispose(): void {
    this.current?.dispose();
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
