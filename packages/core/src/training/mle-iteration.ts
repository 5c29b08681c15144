/**
 * The step slot of `trainMle`: one maximum-likelihood iteration. For each of its observed batches
 * (one, or all of an epoch when gradients are accumulated), chains start from the initialiser and
 * run the sampler; the synthesized examples are checked (finite, variance under the guard's
 * bound); mean ∂U/∂θ(obs) − mean ∂U/∂θ(syn) is accumulated; then one update is applied.
 */
import type { Energy } from '../energy/energy';
import { deriveSeed } from '../random';
import { takeScalar, takeValues } from '../read';
import type { ChainInitializer } from '../sampling/init';
import { langevin, type LangevinOptions } from '../sampling/langevin';
import { tf, type Tensor } from '../tf';
import type { Batches } from './batching';
import type { ProbeStats } from './events';
import type { IterationContext, IterationResult } from './loop';
import { GradAccumulator, mleGradients, type MleStats } from './mle';
import type { Optimizer } from './optimizer';
import { reachRatios, type ExampleOrder } from './reach';
import { noiseFactor, type NoiseAnneal } from './schedule';

export interface MleIterationOptions {
  energy: Energy;
  optimizer: Optimizer;
  batches: Batches;
  /** The batch indices of an iteration's update. */
  batchesOf: (iteration: number) => number[];
  init: ChainInitializer;
  numSynthesized: number;
  /** Resolved sampler settings; the step size comes from the loop. */
  sampler: LangevinOptions;
  noiseAnneal?: NoiseAnneal;
  varianceBound?: number;
  energyL2?: number;
  probe?: { every: number; numSteps: number; sampler: Partial<LangevinOptions> };
  /** How the chains' nearest-data ratio compares examples (`ExampleOrder`); default 'fixed'. */
  order?: ExampleOrder;
  seed: number;
  signal?: AbortSignal;
}

type Sums = Record<'loss' | 'energyObs' | 'energySyn' | 'gradNorm' | 'chainGradNorm' | 'sampleVar' | 'accept' | 'reach' | 'diversity', number>;

/** The MLE iteration as a step function for `trainLoop`. */
export function mleIteration(o: MleIterationOptions): (ctx: IterationContext) => Promise<IterationResult> {
  const { energy, seed } = o;
  return async ({ iteration, epoch, stepSize, stepsScale }) => {
    const batches = o.batchesOf(iteration);
    const acc = new GradAccumulator();
    const sums: Sums = { loss: 0, energyObs: 0, energySyn: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, accept: 0, reach: 0, diversity: 0 };
    let lastSyn: Tensor | undefined;
    // The mask rows of the last batch's starts: the probe continues those chains, so it holds
    // the same entries fixed.
    let lastMask: Tensor | undefined;
    try {
      for (const b of batches) {
        const start = await o.init.start(o.numSynthesized, deriveSeed(seed, 0x1a17, iteration, b));
        // MLE has no use for a generator's latent codes (cooperative training does).
        start.latent?.dispose();
        lastMask?.dispose();
        lastMask = start.mask;
        let res;
        try {
          res = await langevin(energy, start.x, {
            ...o.sampler,
            // A conditional start brings the observed entries of its own rows (`fixedStarts`).
            ...(start.mask ? { mask: start.mask } : {}),
            stepSize,
            numSteps: Math.round(o.sampler.numSteps * stepsScale),
            noiseScale: (o.sampler.noiseScale ?? 1) * noiseFactor(o.noiseAnneal, iteration),
            seed: deriveSeed(seed, 0x5a3, iteration, b),
            signal: o.signal,
          });
        } finally {
          start.x.dispose();
        }
        const variance = await takeScalar(tf.tidy(() => tf.moments(res.x).variance));
        if (!Number.isFinite(variance) || (o.varianceBound !== undefined && variance > o.varianceBound)) {
          res.x.dispose();
          return { ok: false, problem: Number.isFinite(variance) ? `synthesized variance ${fmt(variance)} exceeds the bound ${fmt(o.varianceBound!)}` : `non-finite synthesized values (variance ${fmt(variance)})` };
        }
        const obs = o.batches.batch(epoch, b);
        let g;
        try {
          g = await mleGradients(energy, obs, res.x, { energyL2: o.energyL2 });
          const [reach, diversity] = await takeValues(reachRatios(obs, res.x, o.order));
          sums.reach += reach!;
          sums.diversity += diversity!;
        } finally {
          obs.dispose();
        }
        acc.add(g.grads);
        for (const t of Object.values(g.grads)) t.dispose();
        addStats(sums, g.stats, res.stats.meanGradNorm, variance, res.stats.acceptRate ?? 0);
        if (!Number.isFinite(g.stats.loss) || !Number.isFinite(g.stats.gradNorm)) {
          res.x.dispose();
          return { ok: false, problem: `non-finite loss ${fmt(g.stats.loss)} or gradient norm ${fmt(g.stats.gradNorm)}` };
        }
        await o.init.finish(res.x, start);
        lastSyn?.dispose();
        lastSyn = res.x;
      }
      const grads = acc.take();
      o.optimizer.apply(energy.params, grads);
      for (const t of Object.values(grads)) t.dispose();
      const k = batches.length;
      const done = iteration + 1;
      const probe = o.probe && lastSyn && done % o.probe.every === 0 ? await longRun(energy, lastSyn, { ...o.sampler, ...(lastMask ? { mask: lastMask } : {}), stepSize, ...o.probe.sampler, numSteps: o.probe.numSteps, seed: deriveSeed(seed, 0x9b0e, done) }) : undefined;
      const result: IterationResult = {
        ok: true,
        stats: {
          loss: sums.loss / k,
          energyObs: sums.energyObs / k,
          energySyn: sums.energySyn / k,
          gap: (sums.energySyn - sums.energyObs) / k,
          gradNorm: sums.gradNorm / k,
          chainGradNorm: sums.chainGradNorm / k,
          sampleVar: sums.sampleVar / k,
          nearestDataRatio: sums.reach / k,
          diversityRatio: sums.diversity / k,
          ...(o.varianceBound !== undefined ? { varianceBound: o.varianceBound } : {}),
          ...(o.sampler.method === 'mala' ? { acceptRate: sums.accept / k } : {}),
          ...(probe ? { probe } : {}),
        },
        samples: lastSyn,
      };
      lastSyn = undefined;
      return result;
    } finally {
      lastSyn?.dispose();
      lastMask?.dispose();
      acc.dispose();
    }
  };
}

/** A long Langevin run from the chains' end points: energy at both ends, drift and spread of the samples. */
async function longRun(energy: Energy, x: Tensor, sampler: LangevinOptions): Promise<ProbeStats> {
  const r = await langevin(energy, x, sampler);
  const [drift, sampleVar] = await Promise.all([takeScalar(tf.tidy(() => tf.sqrt(tf.mean(tf.square(tf.sub(r.x, x)))))), takeScalar(tf.tidy(() => tf.moments(r.x).variance))]);
  r.x.dispose();
  return { steps: r.stats.steps, energyStart: r.stats.energyStart, energyEnd: r.stats.energyEnd, drift, sampleVar };
}

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
