import type { ChainInitializer, Energy, LangevinOptions, Net, NetSpec, RunReport, Schedule, Tensor } from '@ebm/core';
import { trainWithReport, type OnStep } from '@ebm/demo-kit';

export interface TrainJob {
  label: string;
  data: Tensor;
  spec: NetSpec;
  init: ChainInitializer;
  /** Observed shapes per update; default all of them up to MAX_BATCH. */
  batchSize?: number;
  numSynthesized: number;
  sampler: Omit<LangevinOptions, 'seed' | 'signal'>;
  iterations: number;
  /** Langevin noise on until this iteration, then off (the paper's annealing); default always on. */
  noiseUntil?: number;
  learningRate: number;
  /** Default constant. */
  schedule?: Schedule;
  energyL2: number;
  checkpointDir: string;
  preprocessing: Record<string, unknown>;
  meta: Record<string, unknown>;
  seed: number;
  onStep?: OnStep;
  /** Stops training after the update it fires in (Ctrl-C, early stopping); a checkpoint is saved there. */
  signal: AbortSignal;
}

/**
 * The most observed shapes one update takes. The paper's updates see the whole training set; a
 * user's catalogue of thousands of shapes would then cost thousands of net passes an update and
 * hold their activations in one call, so larger sets take a seeded pick of this many each update.
 */
const MAX_BATCH = 128;

/**
 * Maximum likelihood for a descriptor on the onnx runtime, one update per batch (by default the
 * full set up to MAX_BATCH, as the paper's epochs; the demo's settings for the kit's
 * training-with-report). The caller owns the returned net.
 */
export async function trainDescriptor(job: TrainJob, report: RunReport): Promise<{ net: Net; energy: Energy }> {
  return trainWithReport(
    {
      label: job.label,
      spec: job.spec,
      data: job.data,
      train: {
        sampler: job.sampler,
        init: job.init,
        batchSize: job.batchSize ?? Math.min(job.data.shape[0]!, MAX_BATCH),
        numSynthesized: job.numSynthesized,
        iterations: job.iterations,
        optimizer: { learningRate: job.learningRate, beta1: 0.5 },
        ...(job.schedule ? { learningRateSchedule: job.schedule } : {}),
        energyL2: job.energyL2,
        noiseAnneal: job.noiseUntil === undefined ? undefined : { kind: 'step', until: job.noiseUntil },
        checkpoint: { dir: job.checkpointDir, every: Math.max(1, Math.floor(job.iterations / 4)), name: 'descriptor', netSpec: job.spec, preprocessing: job.preprocessing, meta: job.meta },
        seed: job.seed,
        signal: job.signal,
      },
      onStep: job.onStep,
    },
    report,
  );
}
