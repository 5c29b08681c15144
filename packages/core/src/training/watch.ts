/**
 * The training watch: notices when maximum likelihood is not learning because the synthesis
 * chains do not reach the data, and says why, instead of finishing silently with blobs.
 *
 * Rule (checked on every update, over the last `window` updates; fires at most once a window):
 * - chains far from the data: the chains' nearest-data distance stayed above `maxRatio` times the
 *   data's own nearest-neighbour distance on every update (`StepEvent.nearestDataRatio`);
 * - or the energy gap keeps growing: U(syn) − U(obs) stayed positive on every update and its mean
 *   over the window's second half is more than twice that over its first half (the energy is
 *   learning to reject the chains faster than they move; Nijkamp et al. 2020, §3: a healthy
 *   MLE run keeps the gap oscillating about 0).
 */
import { checkKeys, oneOf, positive, positiveInt } from '../options';
import type { StepStats } from './loop';

export interface WatchOptions {
  /** Updates a condition must hold for before the watch speaks; default 50. */
  window?: number;
  /** `nearestDataRatio` above which the chains count as far from the data; default 3. */
  maxRatio?: number;
  /**
   * 'warn' (default): a `warning` on the step event. 'adapt': also act as the guard does — halve
   * the learning rates and double the chains' Langevin steps (at most 4× the configured number),
   * so the chains can catch up with the energy.
   */
  action?: 'warn' | 'adapt';
}

export type ResolvedWatch = Required<WatchOptions>;

export function resolveWatch(w: WatchOptions | false | undefined, fn: string): ResolvedWatch | undefined {
  if (w === false) return undefined;
  checkKeys(fn, 'watch', w, ['window', 'maxRatio', 'action']);
  const o = w ?? {};
  return { window: positiveInt(fn, 'watch.window', o.window ?? 50), maxRatio: positive(fn, 'watch.maxRatio', o.maxRatio ?? 3), action: oneOf(fn, 'watch.action', o.action ?? 'warn', ['warn', 'adapt']) };
}

/** The most the 'adapt' action multiplies the chain steps by. */
export const MAX_STEPS_SCALE = 4;

export class Watch {
  private gaps: number[] = [];
  private ratios: number[] = [];

  constructor(readonly options: ResolvedWatch) {}

  /** Records one update; returns what is wrong when a condition has held for a full window. */
  observe(s: Pick<StepStats, 'gap' | 'nearestDataRatio'>): string | undefined {
    const w = this.options.window;
    this.gaps.push(s.gap);
    this.ratios.push(s.nearestDataRatio ?? NaN);
    if (this.gaps.length > w) (this.gaps.shift(), this.ratios.shift());
    if (this.gaps.length < w) return undefined;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const half = Math.floor(w / 2);
    const [early, late] = [mean(this.gaps.slice(0, half)), mean(this.gaps.slice(half))];
    let why: string | undefined;
    if (this.ratios.every((r) => r > this.options.maxRatio)) why = `their nearest-data distance stayed ${fmt(Math.min(...this.ratios))}–${fmt(Math.max(...this.ratios))}× the data's own for ${w} updates (limit ${this.options.maxRatio}×)`;
    else if (this.gaps.every((g) => g > 0) && late > 2 * early) why = `the energy gap U(syn) − U(obs) grew from ${fmt(early)} to ${fmt(late)} over ${w} updates`;
    if (!why) return undefined;
    this.gaps = [];
    this.ratios = [];
    return `chains are not reaching the data: ${why}`;
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
