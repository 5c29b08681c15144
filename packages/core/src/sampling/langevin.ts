import type { Energy } from '../energy/energy';
import { sumPerExample } from '../energy/gaussian';
import { InvalidOptionError } from '../errors';
import { checkKeys, nonNegative, oneOf, positive, positiveInt, seedOf } from '../options';
import { deriveSeed, gaussianArray, tfSeed } from '../random';
import { takeScalar } from '../read';
import { projectionFn, type ProjectionOption } from './projection';
import { tf, type Tensor, type Tensor1D } from '../tf';

/**
 * Canonical Langevin dynamics (docs/concepts.md, "The one sign convention"), with δ = `stepSize`:
 *
 *     x ← x − (δ²/2)·∇U(x) + δ·noiseScale·N(0, I)        (then optional clamp)
 *
 * This is the update of the generative ConvNet papers (Xie et al. 2016 eq. 8; CoopNets; 3D
 * DescriptorNet; GPointNet) with U = −f + ‖x‖²/(2σ²). With noiseScale s ≠ 1 the chain targets the
 * tempered density exp(−U/s²); the short-run and SGLD forms of the literature are such tempered
 * chains, reached with `fromShortRun` and `fromSGLD`.
 */
export interface LangevinOptions {
  /** Number of steps T (`sample_steps`, `langevin_num`). */
  numSteps: number;
  /** Step size δ (`step_size`, `delta`). */
  stepSize: number;
  /**
   * σ of a Gaussian reference term ‖x‖²/(2σ²) added to U (`refsig`). The same as sampling
   * `sumEnergies(U, gaussianReference(σ))`; given here because every descriptor paper pairs (δ, σ).
   */
  refSigma?: number;
  /** Multiplies the injected noise; default 1 (exact Langevin). 0 gives gradient descent on U. */
  noiseScale?: number;
  /** 'linear': noise decays linearly to 0 over the chain (GPointNet's option); default 'none'. */
  noiseDecay?: 'none' | 'linear';
  /** Clips every element of ∇U to [−gradClip, gradClip] (IGEBM-style); default off. */
  gradClip?: number;
  /** Clamps x to [lo, hi] after every step (GPointNet clamps to ±1); default off. */
  clamp?: [number, number];
  /**
   * 'ula' (default): the unadjusted update above. 'mala': the same move as a Metropolis–Hastings
   * proposal, accepted with the MALA ratio for the target exp(−U/noiseScale²).
   */
  method?: 'ula' | 'mala';
  /**
   * 1 where x is observed and held fixed, 0 where it is sampled (recovery, inpainting); shape of x
   * or broadcastable to it. Borrowed.
   */
  mask?: Tensor;
  /**
   * An orthogonal linear projection applied to every move x_{t+1} − x_t before it is taken, so the
   * chain stays on an affine subspace through x0 (constrained sampling). Super-resolution keeps the
   * block means of a low-resolution input with move ↦ move − upsample(blockMean(move))
   * (3D DescriptorNet, sr_exp.py): `{ kind: 'blockMeans', factor: 2 }`. A named projection is
   * data a checkpoint can keep; a function of the move (called inside a tidy, must not dispose
   * its input) works too but cannot be saved.
   */
  project?: ProjectionOption;
  /** Seed of the injected noise; default 0. */
  seed?: number;
  /** Stops the chain between steps. */
  signal?: AbortSignal;
}

export interface LangevinStats {
  /** Mean over evaluated states and chains of ‖∇x U‖ (the full U, reference term included, before clipping). */
  meanGradNorm: number;
  /**
   * Mean energy of the chains at the first and at the last evaluated state (the final state for
   * the step-by-step loop; the state before the last move for runtimes that fuse the step).
   */
  energyStart: number;
  energyEnd: number;
  /** MALA only: fraction of proposals accepted, over steps and chains. */
  acceptRate?: number;
  steps: number;
}

export interface LangevinResult {
  /** The chains' final state. Owned by the caller. */
  x: Tensor;
  stats: LangevinStats;
}

type Optional = 'refSigma' | 'gradClip' | 'clamp' | 'mask' | 'signal';
type Resolved = Required<Omit<LangevinOptions, Optional | 'project'>> & Pick<LangevinOptions, Optional> & { project?: (move: Tensor) => Tensor };

/** Validates sampler options and fills defaults. @throws InvalidOptionError naming the option. */
export function resolveLangevinOptions(o: LangevinOptions, fn = 'langevin'): Resolved {
  if (o === null || typeof o !== 'object') throw new InvalidOptionError(fn, 'options', o, 'an object with numSteps and stepSize');
  checkKeys(fn, fn === 'langevin' ? 'options' : 'sampler', o, ['numSteps', 'stepSize', 'refSigma', 'noiseScale', 'noiseDecay', 'gradClip', 'clamp', 'method', 'mask', 'project', 'seed', 'signal']);
  const r: Resolved = {
    numSteps: positiveInt(fn, 'numSteps', o.numSteps),
    stepSize: positive(fn, 'stepSize', o.stepSize),
    noiseScale: nonNegative(fn, 'noiseScale', o.noiseScale ?? 1),
    noiseDecay: oneOf(fn, 'noiseDecay', o.noiseDecay ?? 'none', ['none', 'linear']),
    method: oneOf(fn, 'method', o.method ?? 'ula', ['ula', 'mala']),
    seed: seedOf(fn, o.seed),
    refSigma: o.refSigma === undefined ? undefined : positive(fn, 'refSigma', o.refSigma),
    gradClip: o.gradClip === undefined ? undefined : positive(fn, 'gradClip', o.gradClip),
    clamp: o.clamp,
    mask: o.mask,
    project: o.project === undefined ? undefined : projectionFn(o.project, fn),
    signal: o.signal,
  };
  if (o.clamp !== undefined && !(Array.isArray(o.clamp) && o.clamp.length === 2 && o.clamp[0] < o.clamp[1])) {
    throw new InvalidOptionError(fn, 'clamp', o.clamp, '[lo, hi] with lo < hi');
  }
  if (r.method === 'mala') {
    // The MH correction needs an exact proposal density: no clipping, clamping or varying temperature.
    if (r.gradClip !== undefined) throw new InvalidOptionError(fn, 'gradClip', r.gradClip, "unset with method 'mala'");
    if (r.clamp !== undefined) throw new InvalidOptionError(fn, 'clamp', r.clamp, "unset with method 'mala'");
    if (r.noiseDecay !== 'none') throw new InvalidOptionError(fn, 'noiseDecay', r.noiseDecay, "'none' with method 'mala'");
    if (r.noiseScale === 0) throw new InvalidOptionError(fn, 'noiseScale', 0, "> 0 with method 'mala'");
  }
  return r;
}

interface State {
  x: Tensor;
  u: Tensor1D;
  g: Tensor;
}

async function evaluate(energy: Energy, x: Tensor, refSigma: number | undefined): Promise<State> {
  const r = await energy.energyAndGrad(x);
  if (refSigma === undefined) return { x, u: r.energy, g: r.grad };
  const c = 1 / (refSigma * refSigma);
  const out = tf.tidy(() => ({
    u: tf.add(r.energy, tf.mul(0.5 * c, sumPerExample(tf.square(x)))) as Tensor1D,
    g: tf.add(r.grad, tf.mul(c, x)),
  }));
  r.energy.dispose();
  r.grad.dispose();
  return { x, ...out };
}

const perExampleNorm = (g: Tensor): Tensor1D => tf.sqrt(sumPerExample(tf.square(g)));

/**
 * Runs T steps of Langevin dynamics (or MALA) on U from x0.
 * Ownership: x0 and mask are borrowed; the returned `x` is owned by the caller.
 * @throws InvalidOptionError for bad options; the signal's reason when aborted.
 */
export async function langevin(energy: Energy, x0: Tensor, options: LangevinOptions): Promise<LangevinResult> {
  const o = resolveLangevinOptions(options);
  // Runtimes that compile the whole step (onnx) take plain ULA steps in one call each.
  if (energy.langevinStep && o.method === 'ula' && o.gradClip === undefined && !o.project) return fusedLangevin(energy, x0, o);
  const d = o.stepSize;
  const free = o.mask ? tf.tidy(() => tf.sub(1, tf.broadcastTo(o.mask!, x0.shape))) : undefined;
  let s = await evaluate(energy, tf.clone(x0), o.refSigma);
  const energyStart = await takeScalar(tf.mean(s.u));
  let gnSum = tf.tidy(() => tf.mean(perExampleNorm(s.g)));
  let accSum: Tensor = tf.scalar(0);
  try {
    for (let t = 0; t < o.numSteps; t++) {
      o.signal?.throwIfAborted();
      const scale = o.noiseScale * (o.noiseDecay === 'linear' ? 1 - t / o.numSteps : 1);
      const proposal = tf.tidy(() => {
        let g = s.g;
        if (o.gradClip !== undefined) g = tf.clipByValue(g, -o.gradClip, o.gradClip);
        let step = tf.mul(-0.5 * d * d, g);
        if (scale > 0) step = tf.add(step, tf.mul(d * scale, tf.tensor(gaussianArray(s.x.size, deriveSeed(o.seed, t)), s.x.shape)));
        if (free) step = tf.mul(step, free);
        if (o.project) step = o.project(step);
        const x = tf.add(s.x, step);
        return o.clamp ? tf.clipByValue(x, o.clamp[0], o.clamp[1]) : x;
      });
      const next = await evaluate(energy, proposal, o.refSigma);
      if (o.method === 'mala') {
        const temp = scale * scale;
        const accepted = tf.tidy(() => {
          // log q(a | b) = −‖a − b + (δ²/2)∇U(b)‖² / (2δ²T), the Gaussian proposal density.
          const logq = (a: Tensor, b: Tensor, gb: Tensor) => {
            let r = tf.add(tf.sub(a, b), tf.mul(0.5 * d * d, gb));
            if (free) r = tf.mul(r, free);
            // Only the projected part of the move is random; its density lives on the subspace.
            if (o.project) r = o.project(r);
            return tf.div(sumPerExample(tf.square(r)), -2 * d * d * temp);
          };
          const logAlpha = tf.add(tf.div(tf.sub(s.u, next.u), temp), tf.sub(logq(s.x, next.x, next.g), logq(next.x, s.x, s.g)));
          const logU = tf.log(tf.randomUniform([s.x.shape[0]!], 0, 1, 'float32', tfSeed(deriveSeed(o.seed, t, 1))));
          return tf.less(logU, logAlpha);
        });
        const merged = tf.tidy(() => {
          const keep = tf.reshape(accepted, [accepted.shape[0]!, ...s.x.shape.slice(1).map(() => 1)]);
          return { x: tf.where(tf.broadcastTo(keep, s.x.shape), next.x, s.x), u: tf.where(accepted, next.u, s.u) as Tensor1D, g: tf.where(tf.broadcastTo(keep, s.x.shape), next.g, s.g) };
        });
        const acc2 = tf.tidy(() => tf.add(accSum, tf.mean(tf.cast(accepted, 'float32'))));
        accSum.dispose();
        accSum = acc2;
        accepted.dispose();
        dispose(next);
        dispose(s);
        s = merged;
      } else {
        dispose(s);
        s = next;
      }
      const gn2 = tf.tidy(() => tf.add(gnSum, tf.mean(perExampleNorm(s.g))));
      gnSum.dispose();
      gnSum = gn2;
    }
    const energyEnd = await takeScalar(tf.mean(s.u));
    const meanGradNorm = (await takeScalar(tf.clone(gnSum))) / (o.numSteps + 1);
    const stats: LangevinStats = { meanGradNorm, energyStart, energyEnd, steps: o.numSteps };
    if (o.method === 'mala') stats.acceptRate = (await takeScalar(tf.clone(accSum))) / o.numSteps;
    s.u.dispose();
    s.g.dispose();
    return { x: s.x, stats };
  } catch (e) {
    dispose(s);
    throw e;
  } finally {
    free?.dispose();
    gnSum.dispose();
    accSum.dispose();
  }
}

/**
 * The same chain as the loop above, one `energy.langevinStep` call per step. With a mask, every
 * step moves all of x and the observed part is then put back: the hidden part's move depends only
 * on the state before the step, so the chain is the masked one (observed values are taken as
 * they are, where the loop would also clamp them).
 */
async function fusedLangevin(energy: Energy, x0: Tensor, o: Resolved): Promise<LangevinResult> {
  let x = tf.clone(x0);
  const fixed = o.mask ? tf.tidy(() => tf.broadcastTo(o.mask!, x0.shape)) : undefined;
  const kept = fixed ? tf.tidy(() => tf.mul(fixed, x0)) : undefined;
  const free = fixed ? tf.tidy(() => tf.sub(1, fixed)) : undefined;
  let gnSum = 0;
  let energyStart = 0;
  let energyEnd = 0;
  const mean = (a: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i]!;
    return sum / a.length;
  };
  try {
    for (let t = 0; t < o.numSteps; t++) {
      o.signal?.throwIfAborted();
      const noiseScale = o.noiseScale * (o.noiseDecay === 'linear' ? 1 - t / o.numSteps : 1);
      const r = await energy.langevinStep!(x, { stepSize: o.stepSize, noiseScale, refSigma: o.refSigma, clamp: o.clamp, noise: gaussianArray(x.size, deriveSeed(o.seed, t)) });
      energyEnd = mean(await r.energy.data());
      if (t === 0) energyStart = energyEnd;
      gnSum += mean(await r.gradNorm.data());
      r.energy.dispose();
      r.gradNorm.dispose();
      x.dispose();
      x = free ? tf.tidy(() => tf.add(kept!, tf.mul(free, r.x))) : r.x;
      if (free) r.x.dispose();
    }
  } catch (e) {
    x.dispose();
    throw e;
  } finally {
    tf.dispose([fixed, kept, free].filter((t) => t !== undefined));
  }
  return { x, stats: { meanGradNorm: gnSum / o.numSteps, energyStart, energyEnd, steps: o.numSteps } };
}

function dispose(s: State): void {
  s.x.dispose();
  s.u.dispose();
  s.g.dispose();
}
