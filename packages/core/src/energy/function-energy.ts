import { tf, type Tensor, type Tensor1D, type Variable } from '../tf';
import type { Energy, EnergyAndGrad, EnergyParamGrads } from './energy';

/** A plain function U(x, params) → [B] written with tfjs ops. */
export type EnergyFn = (x: Tensor, params: Readonly<Record<string, Tensor>>) => Tensor1D;

/**
 * Wraps a tfjs function as an Energy; gradients come from tfjs autodiff, so it runs on the tfjs
 * runtime only. `params` (optional) become the learnable variables, owned by the energy.
 *
 * @example
 * const e = functionEnergy((x) => tf.mul(0.5, tf.sum(tf.square(x), 1)));   // standard normal
 */
export function functionEnergy(fn: EnergyFn, params: Readonly<Record<string, Tensor | number[] | number>> = {}): Energy {
  const vars: Record<string, Variable> = {};
  for (const [name, v] of Object.entries(params)) {
    const t = v instanceof tf.Tensor ? v : tf.tensor(v as number[] | number);
    vars[name] = tf.variable(tf.cast(t, 'float32'), true);
    if (!(v instanceof tf.Tensor)) t.dispose();
  }
  const names = Object.keys(vars);
  return {
    params: vars,
    async energy(x) {
      return tf.tidy(() => fn(x, vars));
    },
    async energyAndGrad(x): Promise<EnergyAndGrad> {
      return tf.tidy(() => {
        let u: Tensor1D | undefined;
        // tf.grad disposes what the traced function allocates; keep the per-example energies.
        const grad = tf.grad((xx: Tensor) => tf.sum((u = tf.keep(fn(xx, vars)))))(x);
        return { energy: u!, grad } as unknown as tf.TensorContainer;
      }) as unknown as EnergyAndGrad;
    },
    async paramGrads(x, w): Promise<EnergyParamGrads> {
      return tf.tidy(() => {
        let u: Tensor1D | undefined;
        const f = (...ps: Tensor[]) => {
          const p: Record<string, Tensor> = {};
          names.forEach((n, i) => (p[n] = ps[i]!));
          u = tf.keep(fn(x, p));
          return tf.sum(tf.mul(u, w));
        };
        const g = names.length ? tf.grads(f)(names.map((n) => vars[n]!)) : (f(), []);
        const grads: Record<string, Tensor> = {};
        names.forEach((n, i) => (grads[n] = g[i]!));
        return { energy: u!, grads } as unknown as tf.TensorContainer;
      }) as unknown as EnergyParamGrads;
    },
    dispose() {
      for (const v of Object.values(vars)) v.dispose();
    },
  };
}
