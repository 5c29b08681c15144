import { restoreParams, snapshotParams } from '../checkpoint/params';
import type { ParamValues } from '../checkpoint/checkpoint';
import { checkKeys, nonNegativeInt, positive, positiveInt } from '../options';
import type { ChainInitializer } from '../sampling/init';
import { deriveSeed } from '../random';
import type { TrainedModel } from './loop';

export interface GuardOptions {
  /** Largest allowed variance of the synthesized values; default refSigma² + 0.1 (GPointNet) when refSigma is set. */
  varianceBound?: number;
  /** Rollbacks allowed before giving up with a DivergenceError; default 3. */
  maxRetries?: number;
  /** Factor applied to the learning rates and the Langevin step size at each rollback; default 0.5. */
  shrink?: number;
  /** Iterations between in-memory snapshots of the last good state; default 10. */
  snapshotEvery?: number;
}

export type ResolvedGuard = Required<Omit<GuardOptions, 'varianceBound'>> & { varianceBound?: number };

/** Validates guard options (`false` turns the guard off); the bound defaults to σ² + 0.1 when the sampler has a reference σ. */
export function resolveGuard(g: GuardOptions | false | undefined, refSigma: number | undefined, fn: string): ResolvedGuard | undefined {
  if (g === false) return undefined;
  checkKeys(fn, 'guard', g, ['varianceBound', 'maxRetries', 'shrink', 'snapshotEvery']);
  const o = g ?? {};
  return {
    varianceBound: o.varianceBound !== undefined ? positive(fn, 'guard.varianceBound', o.varianceBound) : refSigma !== undefined ? refSigma ** 2 + 0.1 : undefined,
    maxRetries: nonNegativeInt(fn, 'guard.maxRetries', o.maxRetries ?? 3),
    shrink: positive(fn, 'guard.shrink', o.shrink ?? 0.5),
    snapshotEvery: positiveInt(fn, 'guard.snapshotEvery', o.snapshotEvery ?? 10),
  };
}

interface Snapshot {
  iteration: number;
  models: { params: ParamValues; optimizer: Float32Array[] }[];
  chains?: Float32Array;
}

/**
 * The last good state of any set of models (parameters, net state, optimizer state) and of the
 * chains, kept in memory; a rollback restores all of it at once.
 */
export class Guard {
  private good?: Snapshot;
  retries = 0;

  constructor(
    readonly options: ResolvedGuard,
    private readonly models: readonly TrainedModel[],
    private readonly chains: ChainInitializer | undefined,
  ) {}

  /** The iteration of the kept snapshot, if one was taken. */
  get snapshotIteration(): number | undefined {
    return this.good?.iteration;
  }

  /** Drops the kept snapshot. */
  forget(): void {
    this.good = undefined;
  }

  async snapshot(iteration: number): Promise<void> {
    this.good = {
      iteration,
      models: await Promise.all(this.models.map(async (m) => ({ params: await snapshotParams(m.energy), optimizer: await m.optimizer.getState() }))),
      chains: this.chains?.state()?.slice(),
    };
  }

  /** Restores the last snapshot; returns its iteration. Chains without a snapshot are reset from `seed`. */
  async rollback(seed: number): Promise<number> {
    const s = this.good!;
    for (const [i, m] of this.models.entries()) {
      restoreParams(m.energy, s.models[i]!.params, 'the last good snapshot');
      await m.optimizer.setState(m.energy.params, s.models[i]!.optimizer);
    }
    if (s.chains) this.chains?.setState(s.chains);
    else this.chains?.reset(deriveSeed(seed, 0xdead, this.retries));
    return s.iteration;
  }
}
