import { EbmError } from '../errors';
import { tf, type Tensor, type Variable } from '../tf';
import type { Energy, EnergyAndGrad, EnergyParamGrads } from './energy';

/**
 * U(x) = Σ_k U_k(x). Parameter names must not collide between terms. The sum borrows its terms;
 * `dispose()` disposes them too, since a composed energy is usually built once and owned whole.
 */
export function sumEnergies(...terms: Energy[]): Energy {
  const params: Record<string, Variable> = {};
  const state: Record<string, Variable> = {};
  for (const t of terms) {
    Object.assign(state, t.state);
    for (const [n, v] of Object.entries(t.params)) {
      if (n in params) throw new EbmError(`sumEnergies: parameter name "${n}" appears in two terms`);
      params[n] = v;
    }
  }
  const add = (a: Tensor, b: Tensor): Tensor => {
    const s = tf.add(a, b);
    a.dispose();
    b.dispose();
    return s;
  };
  return {
    params,
    state,
    get perExample() {
      return terms.every((t) => t.perExample === true);
    },
    async energy(x) {
      let u = await terms[0]!.energy(x);
      for (const t of terms.slice(1)) u = add(u, await t.energy(x)) as typeof u;
      return u;
    },
    async energyAndGrad(x): Promise<EnergyAndGrad> {
      const acc = await terms[0]!.energyAndGrad(x);
      for (const t of terms.slice(1)) {
        const r = await t.energyAndGrad(x);
        acc.energy = add(acc.energy, r.energy) as typeof acc.energy;
        acc.grad = add(acc.grad, r.grad);
      }
      return acc;
    },
    async paramGrads(x, w): Promise<EnergyParamGrads> {
      const acc = await terms[0]!.paramGrads(x, w);
      for (const t of terms.slice(1)) {
        const r = await t.paramGrads(x, w);
        acc.energy = add(acc.energy, r.energy) as typeof acc.energy;
        Object.assign(acc.grads, r.grads);
      }
      return acc;
    },
    dispose() {
      for (const t of terms) t.dispose();
    },
  };
}
