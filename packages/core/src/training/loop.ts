/**
 * The training event loop that trainMle (and the cooperative and multigrid trainers) compose:
 * iterations, typed events, AbortSignal, learning-rate schedule, the divergence guard over every
 * model, checkpoint cadence and resume. What one iteration does is the `step` slot.
 */
import { loadCheckpoint, saveCheckpoint, type CheckpointData, type ModelState } from '../checkpoint/checkpoint';
import { restoreParams, snapshotParams } from '../checkpoint/params';
import type { SamplerData } from '../checkpoint/sampler-data';
import type { Energy } from '../energy/energy';
import { DivergenceError, InvalidOptionError } from '../errors';
import type { NetSpec } from '../netspec/types';
import type { ChainInitializer } from '../sampling/init';
import type { Tensor } from '../tf';
import type { StepEvent, TrainEvent } from './events';
import { Guard, resolveGuard, type ResolvedGuard } from './guard';
import type { Optimizer } from './optimizer';
import { scheduleFactor, type Schedule } from './schedule';
import { MAX_STEPS_SCALE, MIN_COLLAPSE_RATE_SCALE, SoundStates, Watch, type ResolvedWatch } from './watch';

/**
 * A model a trainer updates: what holds its parameters and state (an energy, or a net such as a
 * generator), its optimizer and, for checkpoints, its NetSpec.
 */
export interface TrainedModel {
  /** Its name in checkpoints (`energy`, `descriptor`, `generator`, …). */
  name: string;
  energy: Pick<Energy, 'params' | 'state'>;
  optimizer: Optimizer;
  netSpec?: NetSpec;
}

/** What the step slot is told about the iteration it runs. */
export interface IterationContext {
  /** Updates done before this one (0-based). */
  iteration: number;
  epoch: number;
  /** The Langevin step size, after any shrinks of the guard. */
  stepSize: number;
  /** Multiplier of the chains' Langevin steps set by the watch's 'adapt' action (1 until it acts). */
  stepsScale: number;
}

/** The statistics a step reports; the loop adds iteration, epoch, learning rate, step size and time. */
export type StepStats = Omit<StepEvent, 'type' | 'iteration' | 'epoch' | 'learningRate' | 'stepSize' | 'seconds' | 'warning'>;

/**
 * One iteration's outcome. `ok`: the models were updated; `samples` (owned by the loop) are the
 * iteration's synthesized examples. `problem`: nothing was updated and the guard should roll back.
 */
export type IterationResult = { ok: true; stats: StepStats; samples?: Tensor } | { ok: false; problem: string };

export interface LoopOptions {
  /** The public function's name, for errors. */
  fn: string;
  models: TrainedModel[];
  /** The chain initialiser whose state (persistent chains, replay bank) is checkpointed and guarded. */
  chains?: ChainInitializer;
  step: (ctx: IterationContext) => Promise<IterationResult>;
  iterations: number;
  epochOf: (iteration: number) => number;
  /** The Langevin step size before any shrink. */
  stepSize: number;
  learningRateSchedule: Schedule;
  guard?: ResolvedGuard;
  /** The training watch (see `Watch`): says when the chains are not reaching the data, and may adapt. */
  watch?: ResolvedWatch;
  samplesEvery: number;
  checkpoint?: { dir: string; every: number; sampler?: SamplerData; preprocessing?: Record<string, unknown>; meta?: Record<string, unknown> };
  resume?: string | CheckpointData;
  seed: number;
  signal?: AbortSignal;
}

/**
 * Runs `step` until `iterations` updates are done, yielding step, samples, diverged, checkpoint
 * and done events. The models and their optimizers are borrowed: the caller disposes them.
 * @throws DivergenceError when the guard gives up (or at the first problem without a guard).
 */
export async function* trainLoop(o: LoopOptions): AsyncGenerator<TrainEvent, void, undefined> {
  const baseRates = o.models.map((m) => m.optimizer.learningRate);
  // The guard's shrinks multiply this; the learning rate of iteration t is base · scale · schedule(t).
  let learningRateScale = 1;
  let stepSize = o.stepSize;
  let stepsScale = 1;
  let iteration = 0;
  const setRates = (t: number) => o.models.forEach((m, i) => (m.optimizer.learningRate = baseRates[i]! * learningRateScale * scheduleFactor(o.learningRateSchedule, t)));

  if (o.resume !== undefined) ({ learningRateScale, stepSize, stepsScale, iteration } = await resumeFrom(o, baseRates));
  const t0 = performance.now();
  const guard = o.guard && new Guard(o.guard, o.models, o.chains);
  await guard?.snapshot(iteration);
  const watch = o.watch && new Watch(o.watch);
  const sound = watch?.options.action === 'adapt' ? new SoundStates(o.guard ?? resolveGuard(undefined, undefined, o.fn)!, o.models, o.chains) : undefined;
  let aborted = false;
  let savedAt = -1;
  const trainState = () => ({ iteration, epoch: o.epochOf(iteration), learningRateScale, stepSize, ...(stepsScale !== 1 ? { chainStepsScale: stepsScale } : {}) });
  while (iteration < o.iterations) {
    if (o.signal?.aborted) {
      aborted = true;
      break;
    }
    const epoch = o.epochOf(iteration);
    setRates(iteration);
    let result: IterationResult;
    try {
      result = await o.step({ iteration, epoch, stepSize, stepsScale });
    } catch (e) {
      // The sampler throws the signal's reason: an AbortError, or a TimeoutError from AbortSignal.timeout.
      if (o.signal?.aborted && (e === o.signal.reason || (e as Error).name === 'AbortError')) {
        aborted = true;
        break;
      }
      throw e;
    }
    if (!result.ok) {
      if (!guard) throw new DivergenceError(iteration + 1, result.problem, 0);
      if (++guard.retries > guard.options.maxRetries) throw new DivergenceError(iteration + 1, result.problem, guard.options.maxRetries);
      const back = await guard.rollback(o.seed);
      learningRateScale *= guard.options.shrink;
      stepSize *= guard.options.shrink;
      setRates(back);
      yield { type: 'diverged', iteration: iteration + 1, reason: result.problem, retry: guard.retries, rolledBackTo: back, learningRate: o.models[0]!.optimizer.learningRate, stepSize };
      iteration = back;
      continue;
    }
    iteration++;
    const { samples } = result;
    const learningRate = o.models[0]!.optimizer.learningRate;
    const finding = watch && iteration > watch.options.from ? watch.observe(result.stats) : undefined;
    let collapseRollback: Guard | undefined;
    let warning = finding?.message;
    if (finding && watch!.options.action === 'adapt') {
      if (finding.kind === 'collapse') {
        // A sound window is always kept (below); chains that never spread out after the noise
        // phase have none, and there is no state of this run known to be sound to return to.
        const target = sound!.target;
        if (!target) warning += '; the watch cannot adapt: no sound state was kept to return to';
        else if (learningRateScale > MIN_COLLAPSE_RATE_SCALE) {
          learningRateScale *= 0.5;
          collapseRollback = target;
          warning += `; adapting: rolled back to update ${collapseRollback.snapshotIteration}, learning rate halved`;
        } else warning += `; the watch has adapted as far as it goes (learning rate ×${learningRateScale})`;
      } else if (stepsScale < MAX_STEPS_SCALE) {
        learningRateScale *= 0.5;
        stepsScale = Math.min(MAX_STEPS_SCALE, 2 * stepsScale);
        warning += `; adapting: learning rate halved, chain steps ×${stepsScale}`;
      } else warning += `; the watch has adapted as far as it goes (chain steps ×${MAX_STEPS_SCALE})`;
    }
    try {
      yield { type: 'step', iteration, epoch, ...result.stats, learningRate, stepSize, seconds: (performance.now() - t0) / 1000, ...(warning ? { warning } : {}) };
      if (o.samplesEvery > 0 && samples && (iteration % o.samplesEvery === 0 || iteration === o.iterations)) yield { type: 'samples', iteration, x: samples };
    } finally {
      samples?.dispose();
    }
    if (collapseRollback) {
      iteration = await collapseRollback.rollback(o.seed);
      await sound!.restart(iteration);
      watch!.reset();
      await guard?.snapshot(iteration);
      continue;
    }
    // A sound state every window, and at the first sound window whenever it ends.
    if (sound && watch!.sound() && (iteration % watch!.options.window === 0 || !sound.target)) await sound.keep(iteration);
    if (guard && iteration % guard.options.snapshotEvery === 0) await guard.snapshot(iteration);
    const c = o.checkpoint;
    if (c && (iteration % c.every === 0 || iteration === o.iterations)) {
      await save(o, c, trainState());
      savedAt = iteration;
      yield { type: 'checkpoint', iteration, dir: c.dir };
    }
  }
  // A run stopped by its signal (a user's Ctrl-C, a timeout, early stopping) keeps where it got
  // to: the models, optimizer and chains of its last completed update (a step cut short by the
  // signal changed none of them), resumable like any checkpoint.
  const c = o.checkpoint;
  if (aborted && c && iteration > 0 && savedAt !== iteration) {
    await save(o, c, trainState());
    yield { type: 'checkpoint', iteration, dir: c.dir };
  }
  const reason = aborted ? abortReason(o.signal!.reason) : undefined;
  yield { type: 'done', iteration, seconds: (performance.now() - t0) / 1000, aborted, ...(reason ? { reason } : {}) };
}

/** An abort reason as text: an Error's or DOMException's message (checked by shape: they may come from another realm), else the value as a string. */
function abortReason(r: unknown): string | undefined {
  if (r === undefined) return undefined;
  return typeof r === 'object' && r !== null && typeof (r as { message?: unknown }).message === 'string' ? (r as { message: string }).message : String(r);
}

async function save(o: LoopOptions, c: NonNullable<LoopOptions['checkpoint']>, t: { iteration: number; epoch: number; learningRateScale: number; stepSize: number; chainStepsScale?: number }): Promise<void> {
  const models: Record<string, ModelState> = {};
  for (const m of o.models) models[m.name] = { netSpec: m.netSpec, params: await snapshotParams(m.energy), optimizer: await m.optimizer.getState(), learningRate: m.optimizer.learningRate };
  await saveCheckpoint(c.dir, { models, sampler: c.sampler, preprocessing: c.preprocessing, meta: c.meta, train: { ...t, seed: o.seed, chains: o.chains?.state()?.slice() } });
}

/** Restores every model (by name), its optimizer, the chains and the loop's counters from a checkpoint. */
async function resumeFrom(o: LoopOptions, baseRates: number[]): Promise<{ learningRateScale: number; stepSize: number; stepsScale: number; iteration: number }> {
  const ck = typeof o.resume === 'string' ? await loadCheckpoint(o.resume) : o.resume!;
  const where = typeof o.resume === 'string' ? o.resume : 'checkpoint';
  if (!ck.train) throw new InvalidOptionError(o.fn, 'resume', where, `a checkpoint saved by a trainer (it has no training state)`);
  const saved = Object.keys(ck.models);
  let learningRateScale = ck.train.learningRateScale;
  for (const [i, m] of o.models.entries()) {
    // A one-model checkpoint resumes a one-model trainer whatever its name (format 1 calls it `energy`).
    const state = ck.models[m.name] ?? (saved.length === 1 && o.models.length === 1 ? ck.models[saved[0]!] : undefined);
    if (!state) throw new InvalidOptionError(o.fn, 'resume', where, `a checkpoint holding model "${m.name}" (it holds ${saved.map((s) => `"${s}"`).join(', ')})`);
    if (!state.optimizer) throw new InvalidOptionError(o.fn, 'resume', where, `a checkpoint with the optimizer state of "${m.name}"`);
    restoreParams(m.energy, state.params, where);
    await m.optimizer.setState(m.energy.params, state.optimizer);
    // Format 1 kept only the current learning rate: the guard's shrink is derived from it.
    if (i === 0 && learningRateScale === undefined && state.learningRate !== undefined) learningRateScale = state.learningRate / baseRates[0]!;
  }
  if (ck.train.chains) o.chains?.setState(ck.train.chains);
  return { learningRateScale: learningRateScale ?? 1, stepSize: ck.train.stepSize, stepsScale: ck.train.chainStepsScale ?? 1, iteration: ck.train.iteration };
}
