import { loadCheckpoint, saveCheckpoint, type CheckpointData } from '../checkpoint/checkpoint';
import { restoreParams, snapshotParams } from '../checkpoint/params';
import type { Energy } from '../energy/energy';
import { DivergenceError, InvalidOptionError } from '../errors';
import type { NetSpec } from '../netspec/types';
import { checkKeys, nonNegative, nonNegativeInt, oneOf, positive, positiveInt, seedOf } from '../options';
import { deriveSeed, permutation, tfSeed } from '../random';
import { noiseInit, type ChainInitializer } from '../sampling/init';
import { langevin, resolveLangevinOptions, type LangevinOptions } from '../sampling/langevin';
import { takeScalar } from '../read';
import { tf, type Tensor } from '../tf';
import type { ProbeStats, TrainEvent } from './events';
import { GradAccumulator, mleGradients, type MleStats } from './mle';
import { createOptimizer, type OptimizerOptions } from './optimizer';
import { checkSchedule, scheduleFactor, type Schedule } from './schedule';

export interface GuardOptions {
  /** Largest allowed variance of the synthesized values; default refSigma² + 0.1 (GPointNet) when refSigma is set. */
  varianceBound?: number;
  /** Rollbacks allowed before giving up with a DivergenceError; default 3. */
  maxRetries?: number;
  /** Factor applied to the learning rate and the Langevin step size at each rollback; default 0.5. */
  shrink?: number;
  /** Iterations between in-memory snapshots of the last good state; default 10. */
  snapshotEvery?: number;
}

export interface TrainMleOptions {
  /**
   * Synthesis chains: Langevin settings (seed and signal are set by the trainer). A `mask` must
   * match the chains row for row: conditional models (recovery) pair it with `fixedStarts`.
   */
  sampler: Omit<LangevinOptions, 'seed' | 'signal'>;
  /** Where chains start each iteration; default fresh uniform noise on [−1, 1]. */
  init?: ChainInitializer;
  /** Observed examples per batch; default min(N, 64). */
  batchSize?: number;
  /** Synthesized examples per batch; default batchSize. */
  numSynthesized?: number;
  /** Number of parameter updates; default 100. */
  iterations?: number;
  /**
   * 'batch' (default): one update per batch. 'epoch': gradients of all batches of an epoch are
   * averaged into one update (3D DescriptorNet, STGConvNet).
   */
  accumulate?: 'batch' | 'epoch';
  /** Adam (default) or `{ kind: 'sgd', momentum }`, each with optional `weightDecay`. */
  optimizer?: OptimizerOptions;
  /**
   * Multiplies the learning rate by a schedule of the iteration (step, exponential, cosine);
   * default constant. GPointNet: `{ kind: 'step', factor: 0.998, every: 10 }`.
   */
  learningRateSchedule?: Schedule;
  /** Energy-magnitude penalty α·(mean U(obs)² + mean U(syn)²) (see `mleGradients`); default 0. */
  energyL2?: number;
  /** Std of Gaussian noise added to observed examples each iteration (GPointNet's 0.01); default 0. */
  dataNoise?: number;
  /** Noise annealing across training: noise ×1 until `until` then 0 ('step', 3D DescriptorNet) or ×(1 − t/until) ('linear'). */
  noiseAnneal?: { kind: 'step' | 'linear'; until: number };
  /**
   * Anatomy probe (Nijkamp et al., AAAI 2020): every `every` iterations, continue the iteration's
   * synthesized examples for `numSteps` more Langevin steps (the training sampler, with `sampler`
   * overrides) and report how far the energy and the samples drift (`StepEvent.probe`). A model
   * whose long-run samples keep the data's energy is convergent; one whose energy keeps falling
   * (oversaturated samples) is not. Costs `numSteps` sampler steps per probe.
   */
  probe?: { every: number; numSteps: number; sampler?: Partial<Omit<LangevinOptions, 'seed' | 'signal' | 'numSteps'>> };
  /** Divergence guard; `false` turns it off. */
  guard?: GuardOptions | false;
  /** Emit a `samples` event every this many iterations (0: never); default 0. */
  samplesEvery?: number;
  /** Save a resumable checkpoint to `dir` every `every` iterations and at the end. */
  checkpoint?: { dir: string; every?: number; netSpec?: NetSpec; preprocessing?: Record<string, unknown>; meta?: Record<string, unknown> };
  /** Resume from a checkpoint folder or loaded checkpoint saved by this trainer. */
  resume?: string | CheckpointData;
  /** Base seed of every random choice (chains, noise, batch order); default 0. */
  seed?: number;
  signal?: AbortSignal;
}

const TRAIN_KEYS = ['sampler', 'init', 'batchSize', 'numSynthesized', 'iterations', 'accumulate', 'optimizer', 'learningRateSchedule', 'energyL2', 'dataNoise', 'noiseAnneal', 'probe', 'guard', 'samplesEvery', 'checkpoint', 'resume', 'seed', 'signal'];

interface Snapshot {
  iteration: number;
  params: CheckpointData['params'];
  optimizer: Float32Array[];
  chains?: Float32Array;
}

const FN = 'trainMle';

/**
 * Maximum-likelihood training of an energy on observed examples, with Langevin synthesis:
 * each iteration draws chains (from `init`), runs the sampler, and moves θ along
 * mean ∂U/∂θ(obs) − mean ∂U/∂θ(syn). An async generator of typed events: iterate with
 * `for await`, `break` to stop, or pass `signal`.
 * Ownership: `energy` and `data` are borrowed; `samples` event tensors live until the next event.
 * @throws InvalidOptionError for bad options, DivergenceError when the guard gives up,
 *   CheckpointError for a bad `resume`.
 */
export async function* trainMle(energy: Energy, data: Tensor, options: TrainMleOptions): AsyncGenerator<TrainEvent, void, undefined> {
  checkKeys(FN, 'options', options, TRAIN_KEYS);
  if (options.guard) checkKeys(FN, 'guard', options.guard, ['varianceBound', 'maxRetries', 'shrink', 'snapshotEvery']);
  if (options.checkpoint) checkKeys(FN, 'checkpoint', options.checkpoint, ['dir', 'every', 'netSpec', 'preprocessing', 'meta']);
  if (options.noiseAnneal) checkKeys(FN, 'noiseAnneal', options.noiseAnneal, ['kind', 'until']);
  if (options.probe) checkKeys(FN, 'probe', options.probe, ['every', 'numSteps', 'sampler']);
  const probe = options.probe && { every: positiveInt(FN, 'probe.every', options.probe.every), numSteps: positiveInt(FN, 'probe.numSteps', options.probe.numSteps), sampler: options.probe.sampler ?? {} };
  const schedule = checkSchedule(options.learningRateSchedule ?? { kind: 'constant' }, FN, 'learningRateSchedule');
  const n = data.shape[0] ?? 0;
  if (n === 0) throw new InvalidOptionError(FN, 'data', `[${data.shape}]`, 'a non-empty batch of examples');
  // Refused before the first step: NaN or Infinity in the data would surface as a divergence.
  const firstBad = await firstNonFinite(data);
  if (firstBad >= 0) throw new InvalidOptionError(FN, 'data', `example ${Math.floor(firstBad / (data.size / n))} holding NaN or Infinity`, 'finite values');
  const exampleShape = data.shape.slice(1);
  const sampler = resolveLangevinOptions(options.sampler as LangevinOptions, FN);
  const batchSize = positiveInt(FN, 'batchSize', options.batchSize ?? Math.min(n, 64));
  if (batchSize > n) throw new InvalidOptionError(FN, 'batchSize', batchSize, `at most the number of examples (${n})`);
  const numSyn = positiveInt(FN, 'numSynthesized', options.numSynthesized ?? batchSize);
  const iterations = nonNegativeInt(FN, 'iterations', options.iterations ?? 100);
  const accumulate = oneOf(FN, 'accumulate', options.accumulate ?? 'batch', ['batch', 'epoch']);
  const dataNoise = nonNegative(FN, 'dataNoise', options.dataNoise ?? 0);
  if (options.energyL2 !== undefined) nonNegative(FN, 'energyL2', options.energyL2);
  const samplesEvery = nonNegativeInt(FN, 'samplesEvery', options.samplesEvery ?? 0);
  const seed = seedOf(FN, options.seed);
  const init = options.init ?? noiseInit(exampleShape);
  const guard = options.guard === false ? undefined : options.guard ?? {};
  // The variance bound belongs to the guard: with `guard: false` only non-finite values stop training.
  const varianceBound = !guard
    ? undefined
    : guard.varianceBound !== undefined
      ? positive(FN, 'guard.varianceBound', guard.varianceBound)
      : sampler.refSigma !== undefined
        ? sampler.refSigma ** 2 + 0.1
        : undefined;
  const maxRetries = nonNegativeInt(FN, 'guard.maxRetries', guard?.maxRetries ?? 3);
  const shrink = positive(FN, 'guard.shrink', guard?.shrink ?? 0.5);
  const snapshotEvery = positiveInt(FN, 'guard.snapshotEvery', guard?.snapshotEvery ?? 10);
  const ckptEvery = options.checkpoint ? positiveInt(FN, 'checkpoint.every', options.checkpoint.every ?? 100) : 0;
  if (options.noiseAnneal) positive(FN, 'noiseAnneal.until', options.noiseAnneal.until);
  const batchesPerEpoch = Math.floor(n / batchSize);

  const optimizer = createOptimizer(options.optimizer, FN);
  const baseLearningRate = optimizer.learningRate;
  // The guard's shrinks multiply this; the learning rate of iteration t is base · scale · schedule(t).
  let learningRateScale = 1;
  let stepSize = sampler.stepSize;
  let iteration = 0;

  if (options.resume !== undefined) {
    const ck = typeof options.resume === 'string' ? await loadCheckpoint(options.resume) : options.resume;
    const where = typeof options.resume === 'string' ? options.resume : 'checkpoint';
    if (!ck.train) throw new InvalidOptionError(FN, 'resume', where, 'a checkpoint saved by trainMle (it has no train.json)');
    restoreParams(energy, ck.params, where);
    await optimizer.setState(energy.params, ck.train.optimizer);
    learningRateScale = ck.train.learningRateScale ?? ck.train.learningRate / baseLearningRate;
    stepSize = ck.train.stepSize;
    iteration = ck.train.iteration;
    if (ck.train.chains) init.setState(ck.train.chains);
  }

  const t0 = performance.now();
  const takeSnapshot = async (): Promise<Snapshot> => ({
    iteration,
    params: await snapshotParams(energy),
    optimizer: await optimizer.getState(),
    chains: init.state()?.slice(),
  });
  let good = guard ? await takeSnapshot() : undefined;
  let retries = 0;

  const saveCkpt = async () => {
    const c = options.checkpoint!;
    await saveCheckpoint(c.dir, {
      params: await snapshotParams(energy),
      netSpec: c.netSpec,
      sampler: { ...options.sampler, stepSize },
      preprocessing: c.preprocessing,
      meta: c.meta,
      train: { iteration, epoch: epochOf(iteration), seed, learningRate: optimizer.learningRate, learningRateScale, stepSize, optimizer: await optimizer.getState(), chains: init.state()?.slice() },
    });
  };
  const epochOf = (it: number) => (accumulate === 'epoch' ? it : Math.floor(it / batchesPerEpoch));

  // Observed batch b of epoch e: rows of a seeded permutation of the data (the tail that does not fill a batch is skipped).
  // One shuffle per epoch, not per batch.
  let permEpoch = -1;
  let perm: Int32Array = new Int32Array(0);
  const observedBatch = (epoch: number, b: number): Tensor =>
    tf.tidy(() => {
      if (permEpoch !== epoch) (perm = permutation(n, deriveSeed(seed, 0x0b5, epoch))), (permEpoch = epoch);
      const rows = tf.tensor1d(perm.subarray(b * batchSize, (b + 1) * batchSize), 'int32');
      const x = tf.gather(data, rows);
      return dataNoise > 0 ? tf.add(x, tf.randomNormal(x.shape, 0, dataNoise, 'float32', tfSeed(deriveSeed(seed, 0xda7a, epoch, b)))) : x;
    });

  let aborted = false;
  try {
    while (iteration < iterations) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const epoch = epochOf(iteration);
      optimizer.learningRate = baseLearningRate * learningRateScale * scheduleFactor(schedule, iteration);
      const batches = accumulate === 'epoch' ? Array.from({ length: batchesPerEpoch }, (_, b) => b) : [iteration % batchesPerEpoch];
      const anneal = options.noiseAnneal;
      const noiseFactor = !anneal ? 1 : anneal.kind === 'step' ? (iteration < anneal.until ? 1 : 0) : Math.max(0, 1 - iteration / anneal.until);
      const acc = new GradAccumulator();
      const sums: Sums = { loss: 0, energyObs: 0, energySyn: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, accept: 0 };
      let lastSyn: Tensor | undefined;
      let problem: string | undefined;
      try {
        for (const b of batches) {
          const start = await init.start(numSyn, deriveSeed(seed, 0x1a17, iteration, b));
          // trainMle has no use for a generator's latent codes (coopStep does).
          start.latent?.dispose();
          let res;
          try {
            res = await langevin(energy, start.x, {
              ...sampler,
              stepSize,
              noiseScale: sampler.noiseScale * noiseFactor,
              seed: deriveSeed(seed, 0x5a3, iteration, b),
              signal: options.signal,
            });
          } finally {
            start.x.dispose();
          }
          const variance = await takeScalar(tf.tidy(() => tf.moments(res.x).variance));
          if (!Number.isFinite(variance) || (varianceBound !== undefined && variance > varianceBound)) {
            problem = Number.isFinite(variance) ? `synthesized variance ${fmt(variance)} exceeds the bound ${fmt(varianceBound!)}` : `non-finite synthesized values (variance ${fmt(variance)})`;
            res.x.dispose();
            break;
          }
          const obs = observedBatch(epoch, b);
          let g;
          try {
            g = await mleGradients(energy, obs, res.x, { energyL2: options.energyL2 });
          } finally {
            obs.dispose();
          }
          acc.add(g.grads);
          for (const t of Object.values(g.grads)) t.dispose();
          addStats(sums, g.stats, res.stats.meanGradNorm, variance, res.stats.acceptRate ?? 0);
          if (!Number.isFinite(g.stats.loss) || !Number.isFinite(g.stats.gradNorm)) {
            problem = `non-finite loss ${fmt(g.stats.loss)} or gradient norm ${fmt(g.stats.gradNorm)}`;
            res.x.dispose();
            break;
          }
          await init.finish(res.x, start);
          lastSyn?.dispose();
          lastSyn = res.x;
        }
        if (problem && guard) {
          retries++;
          if (retries > maxRetries) throw new DivergenceError(iteration + 1, problem, maxRetries);
          const snap = good!;
          restoreParams(energy, snap.params, 'the last good snapshot');
          await optimizer.setState(energy.params, snap.optimizer);
          learningRateScale *= shrink;
          optimizer.learningRate = baseLearningRate * learningRateScale * scheduleFactor(schedule, snap.iteration);
          stepSize *= shrink;
          if (snap.chains) init.setState(snap.chains);
          else init.reset(deriveSeed(seed, 0xdead, retries));
          lastSyn?.dispose();
          yield { type: 'diverged', iteration: iteration + 1, reason: problem, retry: retries, rolledBackTo: snap.iteration, learningRate: optimizer.learningRate, stepSize };
          iteration = snap.iteration;
          continue;
        }
        if (problem) throw new DivergenceError(iteration + 1, problem, 0);
        const grads = acc.take();
        optimizer.apply(energy.params, grads);
        for (const t of Object.values(grads)) t.dispose();
      } catch (e) {
        if (options.signal?.aborted && (e as Error).name === 'AbortError') {
          aborted = true;
          lastSyn?.dispose();
          break;
        }
        lastSyn?.dispose();
        throw e;
      } finally {
        acc.dispose();
      }
      iteration++;
      const k = batches.length;
      yield {
        type: 'step',
        iteration,
        epoch,
        loss: sums.loss / k,
        energyObs: sums.energyObs / k,
        energySyn: sums.energySyn / k,
        gap: (sums.energySyn - sums.energyObs) / k,
        gradNorm: sums.gradNorm / k,
        chainGradNorm: sums.chainGradNorm / k,
        sampleVar: sums.sampleVar / k,
        ...(varianceBound !== undefined ? { varianceBound } : {}),
        ...(sampler.method === 'mala' ? { acceptRate: sums.accept / k } : {}),
        learningRate: optimizer.learningRate,
        stepSize,
        seconds: (performance.now() - t0) / 1000,
        ...(probe && lastSyn && iteration % probe.every === 0 ? { probe: await longRun(energy, lastSyn, { ...sampler, stepSize, ...probe.sampler, numSteps: probe.numSteps, seed: deriveSeed(seed, 0x9b0e, iteration) }) } : {}),
      };
      if (samplesEvery > 0 && (iteration % samplesEvery === 0 || iteration === iterations) && lastSyn) {
        yield { type: 'samples', iteration, x: lastSyn };
      }
      lastSyn?.dispose();
      if (guard && iteration % snapshotEvery === 0) good = await takeSnapshot();
      if (ckptEvery && (iteration % ckptEvery === 0 || iteration === iterations)) {
        await saveCkpt();
        yield { type: 'checkpoint', iteration, dir: options.checkpoint!.dir };
      }
    }
    yield { type: 'done', iteration, seconds: (performance.now() - t0) / 1000, aborted };
  } finally {
    optimizer.dispose();
  }
}

/** Flat index of the first value of t that is not finite, or −1. */
async function firstNonFinite(t: Tensor): Promise<number> {
  const values = await t.data();
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** A long Langevin run from the chains' end points: energy at both ends, drift and spread of the samples. */
async function longRun(energy: Energy, x: Tensor, sampler: LangevinOptions): Promise<ProbeStats> {
  const r = await langevin(energy, x, sampler);
  const [drift, sampleVar] = await Promise.all([takeScalar(tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.sub(r.x, x)))))), takeScalar(tf.tidy(() => tf.moments(r.x).variance))]);
  r.x.dispose();
  return { steps: r.stats.steps, energyStart: r.stats.energyStart, energyEnd: r.stats.energyEnd, drift, sampleVar };
}

type Sums = Record<'loss' | 'energyObs' | 'energySyn' | 'gradNorm' | 'chainGradNorm' | 'sampleVar' | 'accept', number>;

function addStats(s: Sums, m: MleStats, cg: number, v: number, a: number): void {
  s.loss += m.loss;
  s.energyObs += m.energyObs;
  s.energySyn += m.energySyn;
  s.gradNorm += m.gradNorm;
  s.chainGradNorm += cg;
  s.sampleVar += v;
  s.accept += a;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
