import { createNet, netEnergy, Progress, trainMle, type Energy, type Net, type NetSpec, type RunReport, type StepEvent, type Tensor, type TrainEvent, type TrainMleOptions } from '@ebm/core';

/**
 * Called after each update's event is recorded, before the next update starts (the chains hold
 * that update's samples). `log` prints a line above the progress bar.
 */
export type OnStep = (e: StepEvent, log: (line: string) => void) => void | Promise<void>;

/**
 * Drains a trainer's events into a run report (curves, metrics) and a progress bar (loss, energy
 * gap, var(syn), the chains' nearest-data and diversity ratios), printing divergence rollbacks and the training
 * watch's warnings as they happen; stops the bar at the end, also when
 * training throws. `onStep` sees each update as it happens (a held-out check, say).
 */
export async function followTraining(events: AsyncIterable<TrainEvent>, report: RunReport, progress: Progress, onStep?: OnStep): Promise<void> {
  try {
    for await (const e of events) {
      report.record(e);
      if (e.type === 'step') progress.update(e.iteration, { loss: e.loss, gap: e.gap, var: e.sampleVar, ...(Number.isFinite(e.nearestDataRatio) ? { near: e.nearestDataRatio! } : {}), ...(Number.isFinite(e.diversityRatio) ? { spread: e.diversityRatio! } : {}) });
      if (e.type === 'step' && e.warning) progress.log(`warning at ${e.iteration}: ${e.warning}`);
      if (e.type === 'step' && onStep) await onStep(e, (line) => progress.log(line));
      if (e.type === 'diverged') progress.log(`diverged at ${e.iteration}: ${e.reason}; rolled back to ${e.rolledBackTo}`);
      if (e.type === 'done' && e.aborted) progress.log(`training stopped after update ${e.iteration}${e.reason ? `: ${e.reason}` : ''}`);
    }
  } finally {
    progress.stop();
  }
}

export interface TrainJob {
  /** The progress bar's label. */
  label: string;
  spec: NetSpec;
  data: Tensor;
  /** trainMle's options; the seed also initialises the net. */
  train: TrainMleOptions & { iterations: number; seed: number };
  /** Default 'onnx' (the fast CPU path). */
  runtime?: string;
  onStep?: OnStep;
}

/**
 * Training with a report: a net from `spec` on the onnx runtime, trained by maximum likelihood
 * with `trainMle`, its events recorded in the report and shown as a progress bar. The caller owns
 * the returned net.
 */
export async function trainWithReport(job: TrainJob, report: RunReport): Promise<{ net: Net; energy: Energy }> {
  const net = createNet(job.spec, { seed: job.train.seed, runtime: job.runtime ?? 'onnx' });
  const energy = netEnergy(net);
  try {
    await followTraining(trainMle(energy, job.data, job.train), report, new Progress({ total: job.train.iterations, label: job.label }), job.onStep);
  } catch (e) {
    net.dispose();
    throw e;
  }
  return { net, energy };
}
