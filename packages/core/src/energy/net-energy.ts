import { InvalidOptionError } from '../errors';
import { checkKeys } from '../options';
import type { Net, NetInputs } from '../netspec/net';
import type { FusedLangevinStep } from '../runtime/types';
import { tf, type Tensor, type Tensor1D } from '../tf';
import type { Energy } from './energy';
import { sumPerExample } from './gaussian';

export interface NetEnergyOptions {
  /**
   * How the net's output enters U. 'descriptor' (default): the output is a score f and U = −f, as
   * in the descriptor / generative ConvNet papers. 'energy': the output is U itself.
   * Outputs with more than one value per example are summed (CoopNets sums its 100 "fc" outputs).
   */
  output?: 'descriptor' | 'energy';
  /**
   * Values of the net's extra inputs (a conditional energy U(x | label)), each [B, ...shape] for
   * the batches this energy is called with. Borrowed: they must outlive the energy.
   */
  inputs?: NetInputs;
}

/**
 * A NetSpec net as an energy. The energy borrows the net (it does not dispose it) and runs on the
 * net's runtime, in the net's mode. It is per-example (observed and synthesized batches may share
 * one runtime call) unless train-mode batch norms or bound extra inputs tie examples to their batch.
 */
export function netEnergy(net: Net, options: NetEnergyOptions = {}): Energy {
  checkKeys('netEnergy', 'options', options, ['output', 'inputs']);
  const output = options.output ?? 'descriptor';
  if (output !== 'descriptor' && output !== 'energy') throw new InvalidOptionError('netEnergy', 'output', output, "'descriptor' or 'energy'");
  const sign = output === 'descriptor' ? -1 : 1;
  const inputs = options.inputs ?? {};
  const outShape = net.outputShape;
  // Upstream gradient for U = sign · Σ y: gy = sign · w_i broadcast over each example's outputs.
  const upstream = (w: Tensor1D | number, batch: number): Tensor =>
    tf.tidy(() => {
      const wv = typeof w === 'number' ? tf.fill([batch], w) : w;
      return tf.mul(sign, tf.broadcastTo(tf.reshape(wv, [batch, ...outShape.map(() => 1)]), [batch, ...outShape]));
    });
  const toEnergy = (y: Tensor): Tensor1D => tf.tidy(() => tf.mul(sign, sumPerExample(y)) as Tensor1D);
  const energy: Energy = {
    params: net.params,
    state: net.state,
    get perExample() {
      return Object.keys(inputs).length === 0 && (net.mode === 'eval' || net.shapes.state.length === 0);
    },
    async energy(x) {
      const y = await net.forward(x, inputs);
      const u = toEnergy(y);
      y.dispose();
      return u;
    },
    async energyAndGrad(x) {
      const gy = upstream(1, x.shape[0]!);
      const r = await net.vjp(x, gy, { x: true }, inputs);
      gy.dispose();
      const energy = toEnergy(r.y);
      r.y.dispose();
      return { energy, grad: r.gx! };
    },
    async paramGrads(x, w) {
      const gy = upstream(w, x.shape[0]!);
      const r = await net.vjp(x, gy, { params: true }, inputs);
      gy.dispose();
      const energy = toEnergy(r.y);
      r.y.dispose();
      return { energy, grads: r.gParams! };
    },
    ...(net.fusedLangevin ? { langevinStep: (x: Tensor, step: FusedLangevinStep) => net.langevinStep(x, sign as 1 | -1, step, inputs) } : {}),
    dispose() {},
  };
  return energy;
}
