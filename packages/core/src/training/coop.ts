/**
 * Cooperative learning (CoopNets: Xie, Lu, Gao, Zhu, Wu, AAAI 2018 / TPAMI 2018, Algorithm 1): a
 * descriptor (an energy) and a generator learn together by MCMC teaching. One iteration:
 *   1. the generator proposes Ŷ = g(z), z ~ N(0, I), or Ŷ = g(c) from a given condition c (the
 *      fast-thinking initializer of Conditional CoopNets, Xie et al. TPAMI 2021);
 *   2. the descriptor revises the proposals by Langevin dynamics on U: Ỹ;
 *   3. the descriptor takes the maximum-likelihood step on observed vs revised examples;
 *   4. optionally, z is re-inferred from Ỹ by Langevin on the generator's posterior, for the model
 *      Y = g(z) + ε, ε ~ N(0, σ²I):  z ← z − ½δ²[(∂g/∂z)ᵀ(g(z) − Ỹ)/σ² + z] + δ·N(0, I);
 *   5. the generator learns to reproduce the revised examples: one optimizer step on
 *      mean ‖Ỹ − g(z)‖²/(2σ²) (the descriptor teaches it where its proposals should have been),
 *      plus, in paired conditional training, an optional L1 pull toward the observed example.
 */
import type { Energy } from '../energy/energy';
import { InvalidOptionError, ShapeMismatchError } from '../errors';
import type { Net, NetInputs } from '../netspec/net';
import { deriveSeed, gaussianArray, tfSeed } from '../random';
import { takeScalar } from '../read';
import { langevin, type LangevinOptions } from '../sampling/langevin';
import { tf, type Tensor } from '../tf';
import { mleGradients, type MleStats } from './mle';
import type { Optimizer } from './optimizer';

/** The two models of cooperative learning and their optimizers (all borrowed). */
export interface CoopModels {
  /** The descriptor's energy U (for a label-conditional descriptor, bound to this batch's labels). */
  descriptor: Energy;
  generator: Net;
  descriptorOptimizer: Optimizer;
  generatorOptimizer: Optimizer;
}

export interface CoopStepOptions {
  /** The descriptor's revision: Langevin settings (a `mask` holds observed entries fixed, for recovery). */
  sampler: Omit<LangevinOptions, 'seed' | 'signal'>;
  /** σ of the generator's residual, Y = g(z) + N(0, σ²I) (CoopNets `sigma_gen` 0.3); default 0.3. */
  generatorSigma?: number;
  /** Langevin inference of z from the revised examples before the generator learns (step 4); default none (z is known). */
  inference?: { numSteps: number; stepSize: number };
  /** Proposals to draw when z is sampled; default the observed batch size. */
  numSynthesized?: number;
  /** The generator's input, one row per proposal, instead of sampled z (image-to-image). Borrowed. */
  condition?: Tensor;
  /** Extra named inputs of the generator (a one-hot label), one row per proposal. Borrowed. */
  generatorInputs?: NetInputs;
  /**
   * Weight γ of an L1 pull of the generator toward the observed example its proposal was made for
   * (paired, conditional training only): the generator's loss becomes, per example,
   * (1 − γ)·‖Ỹ − g‖²/(2σ²) + γ·‖Y − g‖₁. Conditional CoopNets' image-to-image code (CCoopNets
   * `gen_loss`) uses γ = 0.2 with the L1 summed over its batch of 50 instead of averaged, which
   * weighs it as γ ≈ 0.93 does here. Default 0 (pure MCMC teaching).
   */
  targetL1?: number;
  /** Energy-magnitude penalty of the descriptor's step (see `mleGradients`); default 0. */
  energyL2?: number;
  /** Refuse the step (`ok: false`) when the revised examples' variance exceeds this. */
  varianceBound?: number;
  seed?: number;
  signal?: AbortSignal;
}

export interface CoopStats extends MleStats {
  /** Mean over examples of the generator's loss ‖Ỹ − g(z)‖²/(2σ²) (with `targetL1`, its weighted sum with the L1 term), before its update. */
  generatorLoss: number;
  /** Mean over examples of ‖Ỹ − Ŷ‖: how far the descriptor moved the proposals. */
  revision: number;
  /** Mean ‖∇x U‖ along the revision chains. */
  chainGradNorm: number;
  /** Variance of the revised values. */
  sampleVar: number;
}

/**
 * One iteration's outcome. `ok`: both models were updated; the caller owns `proposed`, `revised`
 * and `latent` (the z the generator learned from; absent with a condition). `ok: false`: the step
 * stopped at a non-finite or over-bound value — before any update for the revisions and the
 * descriptor's loss, after the descriptor's update for the generator's loss — and a trainer
 * rolls both models back (`trainCoop`'s guard).
 */
export type CoopStepResult = { ok: true; stats: CoopStats; proposed: Tensor; revised: Tensor; latent?: Tensor } | { ok: false; problem: string };

/**
 * One cooperative-learning iteration (see the file comment). `observed` is borrowed.
 * @throws InvalidOptionError / ShapeMismatchError for inconsistent inputs.
 */
export async function coopStep(models: CoopModels, observed: Tensor, options: CoopStepOptions): Promise<CoopStepResult> {
  const { descriptor, generator } = models;
  const sigma = options.generatorSigma ?? 0.3;
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new InvalidOptionError('coopStep', 'generatorSigma', sigma, 'a finite number > 0');
  const seed = options.seed ?? 0;
  const c = options.condition;
  const n = c ? c.shape[0]! : options.numSynthesized ?? observed.shape[0]!;
  if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError('coopStep', 'numSynthesized', n, 'a positive integer');
  const inference = options.inference && options.inference.numSteps > 0 ? options.inference : undefined;
  if (inference && c) throw new InvalidOptionError('coopStep', 'inference', inference, 'unset with a condition (there is no latent code to infer)');
  const gamma = options.targetL1 ?? 0;
  if (!(gamma >= 0 && gamma <= 1)) throw new InvalidOptionError('coopStep', 'targetL1', gamma, 'a weight in [0, 1]');
  if (gamma > 0 && n !== observed.shape[0]) throw new InvalidOptionError('coopStep', 'targetL1', gamma, `0 unless there is one proposal per observed example (${n} against ${observed.shape[0]})`);
  if (inference && !(inference.stepSize > 0)) throw new InvalidOptionError('coopStep', 'inference.stepSize', inference.stepSize, 'a number > 0');
  const gin = options.generatorInputs ?? {};
  const latentShape = generator.inputShape;
  let z: Tensor = c ?? tf.tensor(gaussianArray(n * latentShape.reduce((a, b) => a * b, 1), deriveSeed(seed, 0x2a7)), [n, ...latentShape]);
  let handed = false;
  let proposed: Tensor | undefined;
  // The generator's output before observed entries were pasted in (when a mask pastes them).
  let raw: Tensor | undefined;
  let revised: Tensor | undefined;
  try {
    proposed = await generator.forward(z, gin);
    if (proposed.rank !== observed.rank || proposed.shape.slice(1).some((d, i) => d !== observed.shape[i + 1])) {
      throw new ShapeMismatchError(`coopStep: the generator proposes [${proposed.shape}], the observed examples are [${observed.shape}]`);
    }
    // Recovery: the observed entries of the example replace the proposal's and stay fixed.
    const mask = options.sampler.mask;
    if (mask) {
      if (n !== observed.shape[0]) throw new ShapeMismatchError(`coopStep: a masked revision needs one proposal per observed example (${n} against ${observed.shape[0]})`);
      const p = proposed;
      proposed = tf.tidy(() => {
        const m = tf.broadcastTo(mask, observed.shape);
        return tf.add(tf.mul(m, observed), tf.mul(tf.sub(1, m), p));
      });
      raw = p;
    }
    const r = await langevin(descriptor, proposed, { ...options.sampler, seed: deriveSeed(seed, 0x5a3), signal: options.signal });
    revised = r.x;
    const rev = revised;
    const sampleVar = await takeScalar(tf.tidy(() => tf.moments(rev).variance));
    if (!Number.isFinite(sampleVar) || (options.varianceBound !== undefined && sampleVar > options.varianceBound)) {
      return { ok: false, problem: Number.isFinite(sampleVar) ? `revised variance ${fmt(sampleVar)} exceeds the bound ${fmt(options.varianceBound!)}` : `non-finite revised values (variance ${fmt(sampleVar)})` };
    }
    const g = await mleGradients(descriptor, observed, rev, { energyL2: options.energyL2 });
    if (!Number.isFinite(g.stats.loss) || !Number.isFinite(g.stats.gradNorm)) {
      Object.values(g.grads).forEach((t) => t.dispose());
      return { ok: false, problem: `non-finite descriptor loss ${fmt(g.stats.loss)} or gradient norm ${fmt(g.stats.gradNorm)}` };
    }
    models.descriptorOptimizer.apply(descriptor.params, g.grads);
    Object.values(g.grads).forEach((t) => t.dispose());
    const revision = await takeScalar(tf.tidy(() => tf.mean(perExampleNorm(tf.sub(rev, proposed!)))));
    if (inference) {
      const next = await inferLatent(generator, z, rev, sigma, inference, gin, deriveSeed(seed, 0x1fe));
      z.dispose();
      z = next;
    }
    // Generator step on mean ‖Ỹ − g(z)‖²/(2σ²): its upstream gradient is (g(z) − Ỹ)/(σ² n).
    // Without inference z is unchanged and g(z) is the proposal: no second forward pass.
    const y = inference ? await generator.forward(z, gin) : raw ?? proposed;
    const [gy, loss] = tf.tidy(() => {
      const d = tf.sub(y, rev);
      const teach = { gy: tf.div(d, sigma * sigma * n), loss: tf.div(tf.sum(tf.square(d)), 2 * sigma * sigma * n) };
      if (gamma === 0) return [teach.gy, teach.loss];
      const e = tf.sub(y, observed);
      return [tf.add(tf.mul(1 - gamma, teach.gy), tf.mul(gamma / n, tf.sign(e))), tf.add(tf.mul(1 - gamma, teach.loss), tf.mul(gamma / n, tf.sum(tf.abs(e))))];
    });
    const generatorLoss = await takeScalar(loss);
    if (inference) y.dispose();
    const v = await generator.vjp(z, gy, { params: true }, gin);
    gy.dispose();
    v.y.dispose();
    if (!Number.isFinite(generatorLoss)) {
      Object.values(v.gParams!).forEach((t) => t.dispose());
      return { ok: false, problem: `non-finite generator loss ${fmt(generatorLoss)}` };
    }
    models.generatorOptimizer.apply(generator.params, v.gParams!);
    Object.values(v.gParams!).forEach((t) => t.dispose());
    const out: CoopStepResult = { ok: true, stats: { ...g.stats, generatorLoss, revision, chainGradNorm: r.stats.meanGradNorm, sampleVar }, proposed, revised: rev, ...(c ? {} : { latent: z }) };
    handed = true;
    return out;
  } finally {
    raw?.dispose();
    if (!handed) {
      proposed?.dispose();
      revised?.dispose();
      if (!c) z.dispose();
    }
  }
}

/**
 * Langevin inference of the generator's latent codes given examples y (CoopNets eq. 16; the
 * alternating back-propagation of Han et al. 2017): T steps of
 * z ← z − ½δ²[(∂g/∂z)ᵀ(g(z) − y)/σ² + z] + δ·N(0, I), from `z0`. Borrows its inputs; the caller
 * owns the result.
 */
export async function inferLatent(generator: Net, z0: Tensor, y: Tensor, sigma: number, o: { numSteps: number; stepSize: number }, inputs: NetInputs = {}, seed = 0): Promise<Tensor> {
  let z = tf.clone(z0);
  const d = o.stepSize;
  for (let t = 0; t < o.numSteps; t++) {
    const g = await generator.forward(z, inputs);
    const gy = tf.tidy(() => tf.div(tf.sub(g, y), sigma * sigma));
    g.dispose();
    const v = await generator.vjp(z, gy, { x: true }, inputs);
    gy.dispose();
    v.y.dispose();
    const zz = z;
    const next = tf.tidy(() => tf.add(tf.sub(zz, tf.mul(0.5 * d * d, tf.add(v.gx!, zz))), tf.mul(d, tf.randomNormal(zz.shape, 0, 1, 'float32', tfSeed(deriveSeed(seed, t))))));
    v.gx!.dispose();
    z.dispose();
    z = next;
  }
  return z;
}

const perExampleNorm = (t: Tensor) => tf.sqrt(tf.sum(tf.reshape(tf.square(t), [t.shape[0]!, -1]), 1));
const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
