/**
 * The training watch: notices when maximum likelihood is not learning because the synthesis
 * chains do not reach the data, and says why, instead of finishing silently with blobs.
 *
 * Rule (checked on every update from `from` on; fires at most once a window): the chains'
 * nearest-data distance stayed above `maxRatio` times the data's own nearest-neighbour distance
 * on every one of the last `window` updates (`StepEvent.nearestDataRatio`).
 *
 * The energy gap alone is not the signal. A growing gap was the first candidate (a healthy
 * short-run MLE keeps it oscillating about 0, Nijkamp et al. 2020), but 3D DescriptorNet runs
 * that learn their shapes well (persistent chains, noise annealed, the energy-magnitude penalty)
 * show the same curve as runs that fail: the gap rises to its penalty-bounded plateau (~1000)
 * within 150 updates and stays there. Where the chains are tells the two apart; the gap is quoted
 * in the warning for context.
 */
import { checkKeys, nonNegativeInt, oneOf, positive, positiveInt } from '../options';
import type { StepStats } from './loop';
import type { ExampleOrder } from './reach';

export interface WatchOptions {
  /** Updates a condition must hold for before the watch speaks; default 50. */
  window?: number;
  /** `nearestDataRatio` above which the chains count as far from the data; default 3. */
  maxRatio?: number;
  /**
   * How `nearestDataRatio` compares examples: 'fixed' (default) element by element; 'unordered'
   * for sets of rows such as point clouds ([P, 3]: sorted per coordinate, see `ExampleOrder`).
   */
  order?: ExampleOrder;
  /**
   * First update watched. `trainMle` defaults it to the end of its noise annealing
   * (`noiseAnneal.until`): while the chains carry the Langevin noise, their distance to the data
   * measures that noise (4–5× the data's own on 16³ procedural chairs that are learnt well), not
   * whether they reach it. Default 0.
   */
  from?: number;
  /**
   * 'warn' (default): a `warning` on the step event. 'adapt': also act as the guard does — halve
   * the learning rates and double the chains' Langevin steps (at most 4× the configured number),
   * so the chains can catch up with the energy.
   */
  action?: 'warn' | 'adapt';
}

export type ResolvedWatch = Required<WatchOptions>;

export function resolveWatch(w: WatchOptions | false | undefined, fn: string, defaultFrom = 0): ResolvedWatch | undefined {
  if (w === false) return undefined;
  checkKeys(fn, 'watch', w, ['window', 'maxRatio', 'order', 'from', 'action']);
  const o = w ?? {};
  return {
    window: positiveInt(fn, 'watch.window', o.window ?? 50),
    maxRatio: positive(fn, 'watch.maxRatio', o.maxRatio ?? 3),
    order: oneOf(fn, 'watch.order', o.order ?? 'fixed', ['fixed', 'unordered']),
    from: nonNegativeInt(fn, 'watch.from', o.from ?? defaultFrom),
    action: oneOf(fn, 'watch.action', o.action ?? 'warn', ['warn', 'adapt']),
  };
}

/** The most the 'adapt' action multiplies the chain steps by. */
export const MAX_STEPS_SCALE = 4;

export class Watch {
  private ratios: number[] = [];

  constructor(readonly options: ResolvedWatch) {}

  /** Records one update; returns what is wrong when a condition has held for a full window. */
  observe(s: Pick<StepStats, 'gap' | 'nearestDataRatio'>): string | undefined {
    const w = this.options.window;
    this.ratios.push(s.nearestDataRatio ?? NaN);
    if (this.ratios.length > w) this.ratios.shift();
    // NaN (no scale to compare with) never counts as far.
    if (this.ratios.length < w || !this.ratios.every((r) => r > this.options.maxRatio)) return undefined;
    const [lo, hi] = [Math.min(...this.ratios), Math.max(...this.ratios)];
    this.ratios = [];
    return `chains are not reaching the data: their nearest-data distance stayed ${fmt(lo)}–${fmt(hi)}× the data's own for ${w} updates (limit ${this.options.maxRatio}×; energy gap U(syn) − U(obs) now ${fmt(s.gap)})`;
  }
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
