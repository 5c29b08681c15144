import { createNet, followTraining, netEnergy, Progress, trainMle, type ChainInitializer, type Energy, type LangevinOptions, type Net, type NetSpec, type RunReport, type Tensor } from '@ebm/core';

export interface TrainJob {
  label: string;
  data: Tensor;
  spec: NetSpec;
  init: ChainInitializer;
  numSynthesized: number;
  sampler: Omit<LangevinOptions, 'seed' | 'signal'>;
  iterations: number;
  learningRate: number;
  beta1: number;
  energyL2: number;
  /** Std of Gaussian noise added to the observed clouds each iteration (GPointNet: 0.01). */
  dataNoise: number;
  batchSize: number;
  checkpointDir: string;
  preprocessing: Record<string, unknown>;
  meta: Record<string, unknown>;
  seed: number;
}

/**
 * Maximum likelihood for a PointNet energy on the onnx runtime, events
 * recorded in the report and shown as a progress bar. The caller owns the returned net.
 */
export async function trainDescriptor(job: TrainJob, report: RunReport): Promise<{ net: Net; energy: Energy }> {
  const net = createNet(job.spec, { seed: job.seed, runtime: 'onnx' });
  const energy = netEnergy(net);
  try {
    const events = trainMle(energy, job.data, {
      sampler: job.sampler,
      init: job.init,
      batchSize: job.batchSize,
      numSynthesized: job.numSynthesized,
      iterations: job.iterations,
      optimizer: { learningRate: job.learningRate, beta1: job.beta1 },
      energyL2: job.energyL2,
      dataNoise: job.dataNoise,
      checkpoint: { dir: job.checkpointDir, every: Math.max(1, Math.floor(job.iterations / 4)), netSpec: job.spec, preprocessing: job.preprocessing, meta: job.meta },
      seed: job.seed,
    });
    await followTraining(events, report, new Progress({ total: job.iterations, label: job.label }));
  } catch (e) {
    net.dispose();
    throw e;
  }
  return { net, energy };
}
