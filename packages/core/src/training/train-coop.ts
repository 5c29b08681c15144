import type { CheckpointData } from '../checkpoint/checkpoint';
import { samplerData } from '../checkpoint/sampler-data';
import type { Energy } from '../energy/energy';
import { netEnergy } from '../energy/net-energy';
import { InvalidOptionError, ShapeMismatchError } from '../errors';
import { Net } from '../netspec/net';
import { checkKeys, nonNegative, nonNegativeInt, positive, positiveInt, seedOf } from '../options';
import { deriveSeed } from '../random';
import { takeValues } from '../read';
import { resolveLangevinOptions, type LangevinOptions } from '../sampling/langevin';
import { tf, type Tensor } from '../tf';
import { observedBatches } from './batching';
import { coopStep, type CoopStepOptions } from './coop';
import type { TrainEvent } from './events';
import { resolveGuard, type GuardOptions } from './guard';
import { trainLoop, type IterationContext, type IterationResult } from './loop';
import { createOptimizer, type OptimizerOptions } from './optimizer';
import { reachRatios } from './reach';
import { checkSchedule, type Schedule } from './schedule';
import { resolveWatch, type WatchOptions } from './watch';

export interface TrainCoopOptions {
  /** The descriptor's revision of the proposals (Langevin; seed, signal and mask are set by the trainer). */
  sampler: Omit<LangevinOptions, 'seed' | 'signal' | 'mask'>;
  /** σ of the generator's residual (CoopNets `sigma_gen`); default 0.3. */
  generatorSigma?: number;
  /** Weight of the generator's L1 pull toward the observed example (conditional runs; see `coopStep`); default 0. */
  targetL1?: number;
  /** Langevin inference of z before the generator learns; default none (z is known: MCMC teaching). */
  inference?: CoopStepOptions['inference'];
  /** Default Adam 1e-3 (β1 0.5). */
  descriptorOptimizer?: OptimizerOptions;
  /** Default Adam 1e-4 (β1 0.5), CoopNets' generator rate. */
  generatorOptimizer?: OptimizerOptions;
  /** Observed examples per update; default min(N, 64). */
  batchSize?: number;
  /** Proposals per update when z is sampled; default batchSize. Conditional runs propose one per observed example. */
  numSynthesized?: number;
  /** Number of updates; default 100. */
  iterations?: number;
  /**
   * Class-conditional CoopNets: one row per example (a one-hot label [N, L]), passed as the extra
   * input `labelInput` of both nets. The generator proposes for the batch's labels, and the
   * descriptor judges each example with its label.
   */
  labels?: Tensor;
  /** The nets' extra input that takes `labels`; default 'label'. */
  labelInput?: string;
  /**
   * Image-to-image CoopNets: the generator's input per example ([N, ...], a damaged image),
   * instead of sampled z. The generator is then a fast initializer that maps the condition to a
   * proposal the descriptor refines.
   */
  conditions?: Tensor;
  /**
   * 1 where an entry is observed and 0 where it is to be recovered, [N, ...] or one row for all.
   * The revision starts from the proposal with the observed entries of the example pasted in and
   * holds them fixed (recovery); the example itself is the complete truth.
   */
  mask?: Tensor;
  learningRateSchedule?: Schedule;
  energyL2?: number;
  dataNoise?: number;
  /** Divergence guard over both models; `false` turns it off. */
  guard?: GuardOptions | false;
  /** The training watch on the revised examples (see `trainMle`). */
  watch?: WatchOptions | false;
  /** Emit the revised examples as a `samples` event every this many updates; default 0. */
  samplesEvery?: number;
  /** Resumable checkpoints of both nets and both optimizers, as models `descriptor` and `generator`. */
  checkpoint?: { dir: string; every?: number; preprocessing?: Record<string, unknown>; meta?: Record<string, unknown> };
  resume?: string | CheckpointData;
  seed?: number;
  signal?: AbortSignal;
}

const KEYS = ['sampler', 'generatorSigma', 'targetL1', 'inference', 'descriptorOptimizer', 'generatorOptimizer', 'batchSize', 'numSynthesized', 'iterations', 'labels', 'labelInput', 'conditions', 'mask', 'learningRateSchedule', 'energyL2', 'dataNoise', 'guard', 'watch', 'samplesEvery', 'checkpoint', 'resume', 'seed', 'signal'];
const FN = 'trainCoop';

/**
 * Cooperative training of a descriptor and a generator (CoopNets; conditional CoopNets with
 * `labels` or `conditions`): every update runs `coopStep` on one observed batch. Built from the
 * same pieces as `trainMle` — `trainLoop`'s events, guard (over both models), watch, checkpoints
 * and resume — and its step events add the generator's loss and the revision size.
 * The descriptor is a Net (its score f enters as U = −f; labels are bound per batch) or, without
 * labels, any Energy. Nets, data and companions are borrowed.
 */
export async function* trainCoop(descriptor: Net | Energy, generator: Net, data: Tensor, options: TrainCoopOptions): AsyncGenerator<TrainEvent, void, undefined> {
  checkKeys(FN, 'options', options, KEYS);
  if (options.checkpoint) checkKeys(FN, 'checkpoint', options.checkpoint, ['dir', 'every', 'preprocessing', 'meta']);
  const n = data.shape[0] ?? 0;
  if (n === 0) throw new InvalidOptionError(FN, 'data', `[${data.shape}]`, 'a non-empty batch of examples');
  const sampler = resolveLangevinOptions(options.sampler as LangevinOptions, FN);
  const batchSize = positiveInt(FN, 'batchSize', options.batchSize ?? Math.min(n, 64));
  if (batchSize > n) throw new InvalidOptionError(FN, 'batchSize', batchSize, `at most the number of examples (${n})`);
  const companion = (name: string, t: Tensor | undefined, allowOne = false) => {
    if (t && t.shape[0] !== n && !(allowOne && t.shape[0] === 1)) throw new ShapeMismatchError(`${FN}: ${name} has ${t.shape[0]} rows, the data ${n}${allowOne ? ' (or give one row for all)' : ''}`);
    return t;
  };
  const labels = companion('labels', options.labels);
  const conditions = companion('conditions', options.conditions);
  const mask = companion('mask', options.mask, true);
  const labelInput = options.labelInput ?? 'label';
  if (labels && !(descriptor instanceof Net)) throw new InvalidOptionError(FN, 'labels', 'given with an Energy descriptor', 'a Net descriptor (the labels are its extra input)');
  const conditional = labels !== undefined || conditions !== undefined || mask !== undefined;
  if (conditional && options.numSynthesized !== undefined && options.numSynthesized !== batchSize) throw new InvalidOptionError(FN, 'numSynthesized', options.numSynthesized, `the batch size (${batchSize}): conditional runs propose one example per observed one`);
  const numSynthesized = positiveInt(FN, 'numSynthesized', options.numSynthesized ?? batchSize);
  if ((options.targetL1 ?? 0) > 0 && !conditional) throw new InvalidOptionError(FN, 'targetL1', options.targetL1, '0 without labels, conditions or a mask (an unconditional proposal has no observed example of its own)');
  const iterations = nonNegativeInt(FN, 'iterations', options.iterations ?? 100);
  const sigma = positive(FN, 'generatorSigma', options.generatorSigma ?? 0.3);
  const dataNoise = nonNegative(FN, 'dataNoise', options.dataNoise ?? 0);
  const seed = seedOf(FN, options.seed);
  const schedule = checkSchedule(options.learningRateSchedule ?? { kind: 'constant' }, FN, 'learningRateSchedule');
  const guard = resolveGuard(options.guard, sampler.refSigma, FN);
  const watch = resolveWatch(options.watch, FN);
  const samplesEvery = nonNegativeInt(FN, 'samplesEvery', options.samplesEvery ?? 0);
  const c = options.checkpoint;
  const checkpoint = c && { dir: c.dir, every: positiveInt(FN, 'checkpoint.every', c.every ?? 100), sampler: samplerData(options.sampler, FN), preprocessing: c.preprocessing, meta: { ...c.meta, generatorSigma: sigma } };
  const batches = observedBatches(data, { batchSize, seed, dataNoise });
  const dOpt = createOptimizer(options.descriptorOptimizer ?? { learningRate: 1e-3, beta1: 0.5 }, FN);
  const gOpt = createOptimizer(options.generatorOptimizer ?? { learningRate: 1e-4, beta1: 0.5 }, FN);
  const unbound = descriptor instanceof Net ? netEnergy(descriptor) : descriptor;

  const step = async ({ iteration, epoch, stepSize, stepsScale }: IterationContext): Promise<IterationResult> => {
    const b = iteration % batches.perEpoch;
    const rows = batches.rows(epoch, b);
    const take = (t: Tensor | undefined) => (t && t.shape[0] !== 1 ? tf.tidy(() => tf.gather(t, tf.tensor1d(rows, 'int32'))) : t && tf.clone(t));
    const obs = batches.batch(epoch, b);
    const lab = take(labels);
    const cond = take(conditions);
    const m = take(mask);
    const energy = lab ? netEnergy(descriptor as Net, { inputs: { [labelInput]: lab } }) : unbound;
    try {
      const r = await coopStep({ descriptor: energy, generator, descriptorOptimizer: dOpt, generatorOptimizer: gOpt }, obs, {
        sampler: { ...sampler, stepSize, numSteps: Math.round(sampler.numSteps * stepsScale), ...(m ? { mask: m } : {}) },
        generatorSigma: sigma,
        targetL1: options.targetL1,
        inference: options.inference,
        numSynthesized,
        condition: cond,
        generatorInputs: lab ? { [labelInput]: lab } : undefined,
        energyL2: options.energyL2,
        varianceBound: guard?.varianceBound,
        seed: deriveSeed(seed, 0xc00, iteration),
        signal: options.signal,
      });
      if (!r.ok) return r;
      r.proposed.dispose();
      r.latent?.dispose();
      const [reach, diversity] = await takeValues(reachRatios(obs, r.revised, watch?.order));
      return { ok: true, stats: { ...r.stats, nearestDataRatio: reach, diversityRatio: diversity, ...(guard?.varianceBound !== undefined ? { varianceBound: guard.varianceBound } : {}) }, samples: r.revised };
    } finally {
      [obs, lab, cond, m].forEach((t) => t?.dispose());
    }
  };

  try {
    yield* trainLoop({
      fn: FN,
      models: [
        { name: 'descriptor', energy: unbound, optimizer: dOpt, netSpec: descriptor instanceof Net ? descriptor.spec : undefined },
        { name: 'generator', energy: generator, optimizer: gOpt, netSpec: generator.spec },
      ],
      step,
      iterations,
      epochOf: (it) => Math.floor(it / batches.perEpoch),
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
    dOpt.dispose();
    gOpt.dispose();
  }
}
