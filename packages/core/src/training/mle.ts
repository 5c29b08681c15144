import type { Energy, EnergyParamGrads } from '../energy/energy';
import { InvalidOptionError, ShapeMismatchError } from '../errors';
import { takeScalar } from '../read';
import { tf, type Tensor } from '../tf';
import type { Optimizer } from './optimizer';

/** Scalars of one maximum-likelihood gradient evaluation. */
export interface MleStats {
  /** L = mean U(obs) − mean U(syn), whose θ-gradient is the MLE gradient. */
  loss: number;
  energyObs: number;
  energySyn: number;
  /** Energy gap d = mean U(syn) − mean U(obs) ("anatomy" paper, Nijkamp et al. 2020); equals −loss. */
  gap: number;
  /** ‖∇θ L‖ over all parameters. */
  gradNorm: number;
}

export interface MleGradients {
  /** ∇θ L by parameter name; owned by the caller. */
  grads: Record<string, Tensor>;
  stats: MleStats;
}

/**
 * The maximum-likelihood gradient of an energy model (Xie et al. 2016, eq. 4; docs/concepts.md, "Maximum likelihood"):
 *   ∇θ L = mean_obs ∂U/∂θ − mean_syn ∂U/∂θ,   L = mean U(obs) − mean U(syn).
 * For U = −f this is mean ∂f/∂θ(syn) − mean ∂f/∂θ(obs). When the energy is `perExample` both
 * batches go through the runtime in one call; otherwise (batch norm) they are evaluated separately
 * so batch statistics never mix them. Inputs are borrowed.
 */
export interface MleOptions {
  /**
   * Weight α of an energy-magnitude penalty α·(mean U(obs)² + mean U(syn)²) added to the loss
   * (IGEBM; the JEM maintainers' fix for runaway energies). Costs one extra forward pass. Default 0.
   */
  energyL2?: number;
}

export async function mleGradients(energy: Energy, obs: Tensor, syn: Tensor, options: MleOptions = {}): Promise<MleGradients> {
  const alpha = options.energyL2 ?? 0;
  if (!(alpha >= 0)) throw new InvalidOptionError('mleGradients', 'energyL2', alpha, 'a number >= 0');
  if (obs.rank !== syn.rank || obs.shape.slice(1).some((n, i) => n !== syn.shape[i + 1])) {
    throw new ShapeMismatchError(`mleGradients: observed [${obs.shape}] and synthesized [${syn.shape}] examples differ in shape`);
  }
  const nObs = obs.shape[0]!;
  const nSyn = syn.shape[0]!;
  // Per-example weights of Σ w_i ∂U_i/∂θ: ±1/B for the MLE loss, plus 2α·U_i/B for the penalty.
  const weights = async (x: Tensor, sign: 1 | -1): Promise<tf.Tensor1D> => {
    const n = x.shape[0]!;
    if (alpha === 0) return tf.fill([n], sign / n) as tf.Tensor1D;
    const u = await energy.energy(x);
    const w = tf.tidy(() => tf.add(sign / n, tf.mul((2 * alpha) / n, u)) as tf.Tensor1D);
    u.dispose();
    return w;
  };
  let a: EnergyParamGrads;
  let b: EnergyParamGrads;
  if (energy.perExample) {
    // One call on [obs; syn] with weights +1/B_obs and −1/B_syn: the same sums, one pass of the runtime.
    const both = tf.concat([obs, syn]);
    const [wo, ws] = [await weights(obs, 1), await weights(syn, -1)];
    const w = tf.concat([wo, ws]) as tf.Tensor1D;
    const r = await energy.paramGrads(both, w);
    [both, w, wo, ws].forEach((t) => t.dispose());
    const [eo, es] = tf.split(r.energy, [nObs, nSyn]) as [tf.Tensor1D, tf.Tensor1D];
    r.energy.dispose();
    a = { energy: eo, grads: r.grads };
    b = { energy: es, grads: {} };
  } else {
    const wObs = await weights(obs, 1);
    const wSyn = await weights(syn, -1);
    a = await energy.paramGrads(obs, wObs);
    b = await energy.paramGrads(syn, wSyn);
    wObs.dispose();
    wSyn.dispose();
  }
  const grads: Record<string, Tensor> = {};
  for (const n of Object.keys(energy.params)) {
    const ga = a.grads[n];
    const gb = b.grads[n];
    if (ga && gb) {
      grads[n] = tf.add(ga, gb);
      ga.dispose();
      gb.dispose();
    } else grads[n] = (ga ?? gb)!;
  }
  const [eo, es, gn] = await Promise.all([
    takeScalar(tf.mean(a.energy)),
    takeScalar(tf.mean(b.energy)),
    takeScalar(tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))).concat(tf.scalar(0)))))),
  ]);
  a.energy.dispose();
  b.energy.dispose();
  return { grads, stats: { loss: eo - es, energyObs: eo, energySyn: es, gap: es - eo, gradNorm: gn } };
}

/**
 * One MLE parameter update: the gradient of `mleGradients`, applied by the optimizer.
 * Inputs are borrowed; returns the statistics of the gradient that was applied.
 */
export async function mleStep(energy: Energy, optimizer: Optimizer, obs: Tensor, syn: Tensor, options: MleOptions = {}): Promise<MleStats> {
  const { grads, stats } = await mleGradients(energy, obs, syn, options);
  if (Number.isFinite(stats.loss) && Number.isFinite(stats.gradNorm)) optimizer.apply(energy.params, grads);
  for (const g of Object.values(grads)) g.dispose();
  return stats;
}

/**
 * Sums gradients over batches and yields their mean: the descriptor papers for video and voxels
 * apply one update per epoch from gradients accumulated over all batches.
 */
export class GradAccumulator {
  private sum: Record<string, Tensor> = {};
  private n = 0;

  get count(): number {
    return this.n;
  }

  /** Adds a set of gradients (borrowed). */
  add(grads: Readonly<Record<string, Tensor>>): void {
    for (const [k, g] of Object.entries(grads)) {
      const prev = this.sum[k];
      this.sum[k] = prev ? tf.add(prev, g) : tf.clone(g);
      prev?.dispose();
    }
    this.n++;
  }

  /** The mean of what was added (owned by the caller); resets the accumulator. */
  take(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [k, g] of Object.entries(this.sum)) {
      out[k] = tf.div(g, this.n);
      g.dispose();
    }
    this.sum = {};
    this.n = 0;
    return out;
  }

  dispose(): void {
    for (const g of Object.values(this.sum)) g.dispose();
    this.sum = {};
    this.n = 0;
  }
}
