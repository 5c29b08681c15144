import { join } from 'node:path';
import { noiseInit, type Energy, type Net, type RunReport } from '@ebm/core';
import { cloudsToTensor, gpointnetCpu, momentNoise, type PointCloud } from '@ebm/pointcloud';
import type { TaskContext } from './context';
import { BETA1, DATA_NOISE, SAMPLER, SETTINGS, WATCH } from './settings';
import { trainWithReport } from '@ebm/demo-kit';

/**
 * Learns a Generative PointNet on clouds: short-run chains from fresh noise every iteration (the
 * paper's non-persistent chains), one update per batch of all training clouds. The noise has the
 * training clouds' per-coordinate mean and spread (`momentNoise`), a rule rather than the paper's
 * N(0, 0.3²), which failed on thin shapes.
 */
export async function trainPointNet(ctx: TaskContext, train: PointCloud[], report: RunReport, task: string, source: string): Promise<{ net: Net; energy: Energy }> {
  const s = SETTINGS[ctx.mode];
  const spec = gpointnetCpu(s.points);
  const data = cloudsToTensor(train);
  try {
    return await trainWithReport(
      {
        label: task,
        spec,
        data,
        train: {
          sampler: SAMPLER,
          init: noiseInit([s.points, 3], momentNoise(train)),
          batchSize: Math.min(train.length, 16),
          numSynthesized: Math.min(train.length, 16),
          iterations: s.iterations,
          optimizer: { learningRate: s.learningRate, beta1: BETA1 },
          energyL2: 0,
          dataNoise: DATA_NOISE,
          watch: WATCH,
          checkpoint: { dir: join(ctx.out, 'checkpoint'), every: Math.max(1, Math.floor(s.iterations / 4)), name: 'descriptor', netSpec: spec, preprocessing: { points: s.points, normalize: 'unit-sphere', init: momentNoise(train) }, meta: { task, source } },
          seed: ctx.seed,
          signal: ctx.signal,
        },
      },
      report,
    );
  } finally {
    data.dispose();
  }
}

/** The run's config for the report. */
export function runConfig(ctx: TaskContext, source: string, train: readonly PointCloud[]): Record<string, unknown> {
  const s = SETTINGS[ctx.mode];
  return { mode: ctx.mode, data: source, net: gpointnetCpu(s.points), sampler: SAMPLER, init: momentNoise(train), dataNoise: DATA_NOISE, beta1: BETA1, ...s, backend: ctx.backend };
}
