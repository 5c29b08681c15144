/**
 * The training watch: notices when maximum likelihood is not learning because the synthesis
 * chains do not reach the data, or because they have collapsed onto a few examples, and says
 * why, instead of finishing silently with blobs.
 *
 * Rules (checked on every update from `from` on; each fires at most once a window):
 * - not reaching: the chains' nearest-data distance stayed above `maxRatio` times the data's own
 *   nearest-neighbour distance on every one of the last `window` updates (`nearestDataRatio`);
 * - collapsed: the chains' distance to their nearest other chain was below `minDiversity` times
 *   the data's own on at least half of the last `window` updates (`diversityRatio`), after a
 *   window in which it never was. Half, not every: a model that has broken down swings, and some
 *   updates' chains still spread out (multigrid digits, docs/image.md). After a sound window,
 *   since the rule watches for a fall: persistent chains that start alike spread out over the
 *   first hundreds of updates (object digits 0.02 → 0.35 by update 125; voxel chairs 0.11 → 0.5
 *   in the 120 updates after the noise phase). Collapsed chains can sit as near some datum as the
 *   data sit to each other, so the first rule does not see this. After a noise phase (`from` > 0)
 *   the chains have been spread, by the noise; if they have not spread out on their own within
 *   `spreadWithin` updates of its end, the rule stops waiting for a sound window. A 32³ run on
 *   real chairs fell from 1.5 to 0.008 when the noise went off and stayed near 0.1 for 1200
 *   updates (docs/voxel.md), and was never warned while the rule waited.
 *
 * The energy gap alone is not the signal. A growing gap was the first candidate (a healthy
 * short-run MLE keeps it oscillating about 0, Nijkamp et al. 2020), but 3D DescriptorNet runs
 * that learn their shapes well (persistent chains, noise annealed, the energy-magnitude penalty)
 * show the same curve as runs that fail: the gap rises to its penalty-bounded plateau (~1000)
 * within 150 updates and stays there. Where the chains are tells the two apart; the gap is quoted
 * in the warning for context.
 */
import { checkKeys, nonNegativeInt, oneOf, positive, positiveInt } from '../options';
import type { ChainInitializer } from '../sampling/init';
import { Guard, type ResolvedGuard } from './guard';
import type { StepStats, TrainedModel } from './loop';
import type { ExampleOrder } from './reach';

export interface WatchOptions {
  /** Updates a condition must hold for before the watch speaks; default 50. */
  window?: number;
  /** `nearestDataRatio` above which the chains count as far from the data; default 3. */
  maxRatio?: number;
  /**
   * `diversityRatio` below which the chains count as collapsed; default 0.3. Sound runs measured
   * 0.7–1.2 once their chains had spread out (docs/concepts.md); collapsed multigrid digits, one
   * stroke repeated, 0.1–0.2.
   */
  minDiversity?: number;
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
   * After a noise phase (`from` > 0): updates after `from` within which the chains must have
   * spread out on their own (a full window with no update under `minDiversity`); after that the
   * collapse rule no longer waits for one. Default 4 windows: 16³ procedural chairs go from 0.11
   * at the end of their noise phase to 0.5 120 updates later. Without a noise phase the rule
   * always waits, since persistent chains that start alike take long to spread (object digits:
   * 0.02 → 0.35 by update 125).
   */
  spreadWithin?: number;
  /**
   * 'warn' (default): a `warning` on the step event. 'adapt': also act as the guard does. Chains
   * not reaching the data: halve the learning rates and double the chains' Langevin steps (at
   * most 4× the configured number), so the chains can catch up with the energy. Collapsed chains:
   * roll every model, its optimizer and the chains back to the state kept two sound windows
   * earlier (before the collapse began), and halve the learning rates, down to 1/16 of the
   * configured rates. Halving alone did not bring collapsed multigrid digits back (docs/image.md):
   * the collapse follows a jump in the parameter gradient, and once the energy has one deep basin
   * a smaller step only slows the way out.
   */
  action?: 'warn' | 'adapt';
}

export type ResolvedWatch = Required<WatchOptions>;

export function resolveWatch(w: WatchOptions | false | undefined, fn: string, defaultFrom = 0): ResolvedWatch | undefined {
  if (w === false) return undefined;
  checkKeys(fn, 'watch', w, ['window', 'maxRatio', 'minDiversity', 'order', 'from', 'spreadWithin', 'action']);
  const o = w ?? {};
  const window = positiveInt(fn, 'watch.window', o.window ?? 50);
  return {
    window,
    maxRatio: positive(fn, 'watch.maxRatio', o.maxRatio ?? 3),
    minDiversity: positive(fn, 'watch.minDiversity', o.minDiversity ?? 0.3),
    order: oneOf(fn, 'watch.order', o.order ?? 'fixed', ['fixed', 'unordered']),
    from: nonNegativeInt(fn, 'watch.from', o.from ?? defaultFrom),
    spreadWithin: positiveInt(fn, 'watch.spreadWithin', o.spreadWithin ?? 4 * window),
    action: oneOf(fn, 'watch.action', o.action ?? 'warn', ['warn', 'adapt']),
  };
}

/** The most the 'adapt' action multiplies the chain steps by. */
export const MAX_STEPS_SCALE = 4;
/** The 'adapt' action halves the learning rate on a collapse while its multiplier is above this. */
export const MIN_COLLAPSE_RATE_SCALE = 1 / 16;

/**
 * Where the 'adapt' action returns after a collapse: every model's and the chains' state at the
 * ends of the last two sound windows. The older one is the target, since the newer may already
 * hold the start of the collapse (multigrid digits: sound at 1650, the diversity falling by 1700).
 */
export class SoundStates {
  private readonly states: [Guard, Guard];

  constructor(options: ResolvedGuard, models: readonly TrainedModel[], chains: ChainInitializer | undefined) {
    this.states = [new Guard(options, models, chains), new Guard(options, models, chains)];
  }

  /** Keeps the current state as the newest sound one. */
  async keep(iteration: number): Promise<void> {
    this.states.reverse();
    await this.states[1].snapshot(iteration);
  }

  /** After a rollback to `iteration`: that state is the only one kept (the others lie past it). */
  async restart(iteration: number): Promise<void> {
    this.states[0].forget();
    this.states[1].forget();
    await this.keep(iteration);
  }

  /** The older kept state, else the newer; undefined before the first sound window. */
  get target(): Guard | undefined {
    return this.states.find((g) => g.snapshotIteration !== undefined);
  }
}

/** What the watch found: the chains are not reaching the data, or they have collapsed. */
export interface WatchFinding {
  kind: 'reach' | 'collapse';
  message: string;
}

export class Watch {
  private ratios: number[] = [];
  private diversities: number[] = [];
  /** Whether a sound window has been seen: the collapse rule watches for a fall from one. */
  private armed = false;
  /** Updates observed: the loop observes those after `from`. */
  private observed = 0;

  constructor(readonly options: ResolvedWatch) {}

  /**
   * Whether the last full window looks sound: no update in it had collapsed-looking chains. The
   * loop keeps the models' state at such points to return to when a collapse is found.
   */
  sound(): boolean {
    const { window: w, minDiversity } = this.options;
    return this.diversities.length === w && !this.diversities.some((d) => d < minDiversity);
  }

  /** Forgets the recorded updates (after a rollback the next window starts afresh; a sound window stays seen). */
  reset(): void {
    this.ratios = [];
    this.diversities = [];
  }

  /** Records one update; returns what is wrong when a rule has held over a full window. */
  observe(s: Pick<StepStats, 'gap' | 'nearestDataRatio' | 'diversityRatio'>): WatchFinding | undefined {
    const { window: w, maxRatio, minDiversity, from } = this.options;
    push(this.ratios, s.nearestDataRatio ?? NaN, w);
    push(this.diversities, s.diversityRatio ?? NaN, w);
    this.observed++;
    // NaN (no scale to compare with) never counts as far, nor as collapsed.
    if (this.ratios.length === w && this.ratios.every((r) => r > maxRatio)) {
      const [lo, hi] = range(this.ratios);
      this.ratios = [];
      return { kind: 'reach', message: `chains are not reaching the data: their nearest-data distance stayed ${fmt(lo)}–${fmt(hi)}× the data's own for ${w} updates (limit ${maxRatio}×; energy gap U(syn) − U(obs) now ${fmt(s.gap)})` };
    }
    if (this.sound()) this.armed = true;
    const neverSpread = !this.armed && from > 0 && this.observed >= this.options.spreadWithin;
    const low = this.diversities.filter((d) => d < minDiversity).length;
    if ((this.armed || neverSpread) && this.diversities.length === w && 2 * low >= w) {
      const finite = this.diversities.filter(Number.isFinite);
      const median = [...finite].sort((a, b) => a - b)[Math.floor(finite.length / 2)]!;
      this.diversities = [];
      const since = neverSpread ? `; they have not spread out in the ${this.observed} updates since update ${from}, the end of the noise phase` : '';
      return { kind: 'collapse', message: `samples have collapsed: the chains' distance to each other was under ${minDiversity}× the data's own on ${low} of the last ${w} updates (median ${fmt(median)}×); they repeat a few examples${since}` };
    }
    return undefined;
  }
}

function push(a: number[], v: number, w: number): void {
  a.push(v);
  if (a.length > w) a.shift();
}

const range = (a: number[]) => [Math.min(...a), Math.max(...a)] as const;
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));
