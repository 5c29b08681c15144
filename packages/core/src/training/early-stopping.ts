/**
 * Early stopping on a score the caller computes (held-out shapes, a validation set): what a long
 * run needs when its samples get worse while its training curves look the same. The full 32³
 * voxel run on real chairs came nearest to unseen chairs at update 450 and had lost most of them
 * by update 1200, its energy gap at the penalty's cap the whole way (docs/voxel.md); nothing
 * in the step events tells those updates apart, a score on unseen data does.
 *
 * Feed it every event of a trainer (`trainMle`, `trainCoop`) and pass its `signal` to that
 * trainer: it scores every `every` updates after `from`, keeps what `keep` returns at the best
 * check, and aborts the signal once `patience` updates have gone by without a better one. The
 * trainer then ends after that update and saves a checkpoint of it (docs/concepts.md).
 */
import type { TrainEvent } from './events';
import { InvalidOptionError } from '../errors';
import { checkKeys, nonNegativeInt, oneOf, positiveInt } from '../options';

const FN = 'EarlyStopping';

export interface EarlyStoppingOptions<T> {
  /** The score at update `iteration`; awaited before the trainer goes on. */
  score: (iteration: number) => number | Promise<number>;
  /** Updates between checks; a check runs on every multiple of it. */
  every: number;
  /**
   * Updates with no better score after which the signal aborts. A check must run that many
   * updates after the best for it to fire, so round it to a multiple of `every`.
   */
  patience: number;
  /** No check at or before this update (the end of a noise phase, say: the chains are noise until then). Default 0. */
  from?: number;
  /** Also check on this update (the run's last), when it is not a multiple of `every`. */
  last?: number;
  /** 'max' (default): higher scores are better; 'min': lower ones. */
  mode?: 'max' | 'min';
  /** What to keep from the best check (a copy of the chains, say); called only when a check improves on the best. */
  keep?: (iteration: number) => T;
}

export interface ScorePoint {
  iteration: number;
  score: number;
}

export class EarlyStopping<T = undefined> {
  /** Every check, in order. */
  readonly curve: ScorePoint[] = [];
  /** Pass to the trainer: aborted when the checks stop improving. */
  readonly signal: AbortSignal;
  /** The update on whose check the signal aborted; undefined while it has not. */
  stoppedAt: number | undefined;
  private readonly controller = new AbortController();
  private readonly o: Required<Omit<EarlyStoppingOptions<T>, 'keep' | 'last'>> & Pick<EarlyStoppingOptions<T>, 'keep' | 'last'>;
  private bestPoint: (ScorePoint & { kept: T }) | undefined;

  constructor(options: EarlyStoppingOptions<T>) {
    checkKeys(FN, 'options', options, ['score', 'every', 'patience', 'from', 'last', 'mode', 'keep']);
    if (typeof options?.score !== 'function') throw new InvalidOptionError(FN, 'score', options?.score, 'a function (iteration) => number');
    this.o = {
      score: options.score,
      every: positiveInt(FN, 'every', options.every),
      patience: positiveInt(FN, 'patience', options.patience),
      from: nonNegativeInt(FN, 'from', options.from ?? 0),
      mode: oneOf(FN, 'mode', options.mode ?? 'max', ['max', 'min']),
      ...(options.last !== undefined ? { last: positiveInt(FN, 'last', options.last) } : {}),
      ...(options.keep ? { keep: options.keep } : {}),
    };
    this.signal = this.controller.signal;
  }

  /** Give it every event of the trainer; it scores on the step events of the checked updates and returns that check. */
  async observe(event: TrainEvent): Promise<ScorePoint | undefined> {
    if (event.type !== 'step') return undefined;
    const t = event.iteration;
    const { every, from, last, mode, patience } = this.o;
    if (t <= from || (t % every !== 0 && t !== last)) return undefined;
    const score = await this.o.score(t);
    if (!Number.isFinite(score)) throw new RangeError(`${FN}: the score at update ${t} is ${score}; it must be a finite number`);
    const point = { iteration: t, score };
    this.curve.push(point);
    const better = !this.bestPoint || (mode === 'max' ? score > this.bestPoint.score : score < this.bestPoint.score);
    if (better) {
      this.bestPoint = { iteration: t, score, kept: this.o.keep?.(t) as T };
    } else if (this.stoppedAt === undefined && t - this.bestPoint!.iteration >= patience) {
      this.stoppedAt = t;
      this.controller.abort(new Error(`early stop: the score has not improved in ${t - this.bestPoint!.iteration} updates, since update ${this.bestPoint!.iteration}`));
    }
    return point;
  }

  /** The best check and what `keep` returned there; undefined before the first check. */
  get best(): (ScorePoint & { kept: T }) | undefined {
    return this.bestPoint;
  }
}
