import { positive } from '../options';
import { tf, type Tensor, type Variable } from '../tf';

export interface AdamOptions {
  /** Default 1e-3. */
  learningRate?: number;
  /** Default 0.9 (the descriptor papers use 0.5). */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

/**
 * Adam on named parameters, through tfjs's own `tf.train.adam`. Keeps the parameter order fixed
 * so that its state (moments, step count) can be saved and restored positionally.
 */
export class Adam {
  readonly options: Required<AdamOptions>;
  private opt: tf.AdamOptimizer;

  constructor(options: AdamOptions = {}) {
    this.options = {
      learningRate: positive('Adam', 'learningRate', options.learningRate ?? 1e-3),
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      epsilon: positive('Adam', 'epsilon', options.epsilon ?? 1e-8),
    };
    this.opt = this.make(this.options.learningRate);
  }

  private make(lr: number): tf.AdamOptimizer {
    return tf.train.adam(lr, this.options.beta1, this.options.beta2, this.options.epsilon);
  }

  get learningRate(): number {
    return (this.opt as unknown as { learningRate: number }).learningRate;
  }

  set learningRate(lr: number) {
    (this.opt as unknown as { learningRate: number }).learningRate = positive('Adam', 'learningRate', lr);
  }

  /** θ ← Adam(θ, g). `grads` are borrowed; names not in `params` are ignored. */
  apply(params: Readonly<Record<string, Variable>>, grads: Readonly<Record<string, Tensor>>): void {
    const named: { name: string; tensor: Tensor }[] = [];
    for (const [n, v] of Object.entries(params)) {
      const g = grads[n];
      if (g) named.push({ name: v.name, tensor: g });
    }
    this.opt.applyGradients(named);
  }

  /** The optimizer state as plain arrays: [step, m..., v...] in parameter order. */
  async getState(): Promise<Float32Array[]> {
    const ws = await this.opt.getWeights();
    const out: Float32Array[] = [];
    for (const w of ws) out.push(Float32Array.from(await w.tensor.data()));
    // The step count comes back as a fresh scalar; the moments are the optimizer's own variables.
    ws[0]?.tensor.dispose();
    return out;
  }

  /** Restores a state from `getState()` for the same parameters (shapes taken from `params`). */
  async setState(params: Readonly<Record<string, Variable>>, state: Float32Array[]): Promise<void> {
    const vars = Object.values(params);
    const lr = this.learningRate;
    this.opt.dispose();
    this.opt = this.make(lr);
    if (state.length === 0) return;
    const shapes = [[], ...vars.map((v) => v.shape), ...vars.map((v) => v.shape)];
    const named = state.map((a, i) => ({ name: i === 0 ? 'iter' : `${vars[(i - 1) % vars.length]!.name}/${i <= vars.length ? 'm' : 'v'}`, tensor: tf.tensor(a, shapes[i] as number[]) }));
    await this.opt.setWeights(named);
    for (const n of named) n.tensor.dispose();
  }

  dispose(): void {
    this.opt.dispose();
  }
}
