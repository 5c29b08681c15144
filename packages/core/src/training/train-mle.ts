import { samplerData } from '../checkpoint/sampler-data';
import { isModelName, type CheckpointData } from '../checkpoint/checkpoint';
import type { Energy } from '../energy/energy';
import { InvalidOptionError } from '../errors';
import type { NetSpec } from '../netspec/types';
import { checkKeys, nonNegative, nonNegativeInt, oneOf, positiveInt, seedOf } from '../options';
import { noiseInit, type ChainInitializer } from '../sampling/init';
import { resolveLangevinOptions, type LangevinOptions } from '../sampling/langevin';
import type { TrainEvent } from './events';
import { observedBatches } from './batching';
import { resolveGuard, type GuardOptions } from './guard';
import { trainLoop } from './loop';
import { resolveWatch, type WatchOptions } from './watch';
import { mleIteration } from './mle-iteration';
import { createOptimizer, type OptimizerOptions } from './optimizer';
import { checkNoiseAnneal, checkSchedule, type NoiseAnneal, type Schedule } from './schedule';
import type { Tensor } from '../tf';

export type { GuardOptions } from './guard';
export type { WatchOptions } from './watch';

export interface TrainMleOptions {
  /**
   * Synthesis chains: Langevin settings (seed and signal are set by the trainer). A `mask` here
   * must match the chains row for row (or broadcast over them). A recovery model on minibatches
   * gives it to `fixedStarts(starts, { mask })` instead: each chain then keeps its own start's rows.
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
  /**
   * Energy-magnitude penalty α·(mean U(obs)² + mean U(syn)²) (see `mleGradients`); default 0. It
   * caps the gap U(syn) − U(obs) at 1/α, so scale α inversely with the example's size when the
   * reference term is on: its pull on the chains grows with it (`energyL2ForGrid` in @ebm/voxel).
   */
  energyL2?: number;
  /** Std of Gaussian noise added to observed examples each iteration (GPointNet's 0.01); default 0. */
  dataNoise?: number;
  /** Noise annealing across training: noise ×1 until `until` then 0 ('step', 3D DescriptorNet) or ×(1 − t/until) ('linear'). */
  noiseAnneal?: NoiseAnneal;
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
  /**
   * Training watch (on by default, 'warn'): a `warning` on the step event when the chains are not
   * reaching the data for `window` updates, watched from the end of `noiseAnneal` on; `action:
   * 'adapt'` also halves the learning rate and doubles the chain steps. `false` turns it off. See
   * `Watch` for the rule.
   */
  watch?: WatchOptions | false;
  /** Emit a `samples` event every this many iterations (0: never); default 0. */
  samplesEvery?: number;
  /**
   * Save a resumable checkpoint to `dir` every `every` iterations (default 100) and at the end,
   * the model under `name` (default 'energy'). The sampler settings are saved as data: a
   * `project` function is refused here (use a named projection).
   */
  checkpoint?: { dir: string; every?: number; name?: string; netSpec?: NetSpec; preprocessing?: Record<string, unknown>; meta?: Record<string, unknown> };
  /** Resume from a checkpoint folder or loaded checkpoint saved by a trainer. */
  resume?: string | CheckpointData;
  /** Base seed of every random choice (chains, noise, batch order); default 0. */
  seed?: number;
  /**
   * Stops training after the update in progress (a step cut short changes nothing); the run ends
   * with a `done` event whose `aborted` is true, after saving a checkpoint of its last update when
   * `checkpoint` is set (early stopping, Ctrl-C).
   */
  signal?: AbortSignal;
}

const TRAIN_KEYS = ['sampler', 'init', 'batchSize', 'numSynthesized', 'iterations', 'accumulate', 'optimizer', 'learningRateSchedule', 'energyL2', 'dataNoise', 'noiseAnneal', 'probe', 'guard', 'watch', 'samplesEvery', 'checkpoint', 'resume', 'seed', 'signal'];
const FN = 'trainMle';

/**
 * Maximum-likelihood training of an energy on observed examples, with Langevin synthesis:
 * each iteration draws chains (from `init`), runs the sampler, and moves θ along
 * mean ∂U/∂θ(obs) − mean ∂U/∂θ(syn). An async generator of typed events: iterate with
 * `for await`, `break` to stop, or pass `signal`. Built from the training pieces: `trainLoop`
 * (events, guard, checkpoints, resume) running `mleIteration` on `observedBatches`.
 * Ownership: `energy` and `data` are borrowed; `samples` event tensors live until the next event.
 * @throws InvalidOptionError for bad options, DivergenceError when the guard gives up,
 *   CheckpointError for a bad `resume`.
 */
export async function* trainMle(energy: Energy, data: Tensor, options: TrainMleOptions): AsyncGenerator<TrainEvent, void, undefined> {
  checkKeys(FN, 'options', options, TRAIN_KEYS);
  if (options.checkpoint) checkKeys(FN, 'checkpoint', options.checkpoint, ['dir', 'every', 'name', 'netSpec', 'preprocessing', 'meta']);
  if (options.probe) checkKeys(FN, 'probe', options.probe, ['every', 'numSteps', 'sampler']);
  const probe = options.probe && { every: positiveInt(FN, 'probe.every', options.probe.every), numSteps: positiveInt(FN, 'probe.numSteps', options.probe.numSteps), sampler: options.probe.sampler ?? {} };
  const schedule = checkSchedule(options.learningRateSchedule ?? { kind: 'constant' }, FN, 'learningRateSchedule');
  const noiseAnneal = options.noiseAnneal && checkNoiseAnneal(options.noiseAnneal, FN);
  const n = data.shape[0] ?? 0;
  if (n === 0) throw new InvalidOptionError(FN, 'data', `[${data.shape}]`, 'a non-empty batch of examples');
  // Refused before the first step: NaN or Infinity in the data would surface as a divergence.
  const firstBad = await firstNonFinite(data);
  if (firstBad >= 0) throw new InvalidOptionError(FN, 'data', `example ${Math.floor(firstBad / (data.size / n))} holding NaN or Infinity`, 'finite values');
  const sampler = resolveLangevinOptions(options.sampler as LangevinOptions, FN);
  const batchSize = positiveInt(FN, 'batchSize', options.batchSize ?? Math.min(n, 64));
  if (batchSize > n) throw new InvalidOptionError(FN, 'batchSize', batchSize, `at most the number of examples (${n})`);
  const numSynthesized = positiveInt(FN, 'numSynthesized', options.numSynthesized ?? batchSize);
  const iterations = nonNegativeInt(FN, 'iterations', options.iterations ?? 100);
  const accumulate = oneOf(FN, 'accumulate', options.accumulate ?? 'batch', ['batch', 'epoch']);
  const dataNoise = nonNegative(FN, 'dataNoise', options.dataNoise ?? 0);
  if (options.energyL2 !== undefined) nonNegative(FN, 'energyL2', options.energyL2);
  const samplesEvery = nonNegativeInt(FN, 'samplesEvery', options.samplesEvery ?? 0);
  const seed = seedOf(FN, options.seed);
  const init = options.init ?? noiseInit(data.shape.slice(1));
  // The variance bound belongs to the guard: with `guard: false` only non-finite values stop training.
  const guard = resolveGuard(options.guard, sampler.refSigma, FN);
  const watch = resolveWatch(options.watch, FN, noiseAnneal?.until ?? 0);
  const c = options.checkpoint;
  if (c?.name !== undefined && !isModelName(c.name)) throw new InvalidOptionError(FN, 'checkpoint.name', c.name, 'a letter, then up to 63 letters, digits, _ or - (it names files)');
  // Checked now, not at the first save an hour in: a checkpoint keeps the sampler as data.
  const checkpoint = c && { dir: c.dir, every: positiveInt(FN, 'checkpoint.every', c.every ?? 100), sampler: samplerData(options.sampler, FN), preprocessing: c.preprocessing, meta: c.meta };
  const batches = observedBatches(data, { batchSize, seed, dataNoise });
  const optimizer = createOptimizer(options.optimizer, FN);
  const epochOf = (it: number) => (accumulate === 'epoch' ? it : Math.floor(it / batches.perEpoch));
  const allBatches = Array.from({ length: batches.perEpoch }, (_, b) => b);

  try {
    yield* trainLoop({
      fn: FN,
      models: [{ name: c?.name ?? 'energy', energy, optimizer, netSpec: c?.netSpec }],
      chains: init,
      step: mleIteration({
        energy,
        optimizer,
        batches,
        batchesOf: (it) => (accumulate === 'epoch' ? allBatches : [it % batches.perEpoch]),
        init,
        numSynthesized,
        sampler,
        noiseAnneal,
        varianceBound: guard?.varianceBound,
        energyL2: options.energyL2,
        probe,
        order: watch?.order,
        seed,
        signal: options.signal,
      }),
      iterations,
      epochOf,
      stepSize: sampler.stepSize,
      learningRateSchedule: schedule,
      guard,
      watch,
      samplesEvery,
      checkpoint,
      resume: options.resume,
      seed,
      signal: options.signal,
    });
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
