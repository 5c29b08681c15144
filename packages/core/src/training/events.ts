import type { Tensor } from '../tf';

/** One parameter update, with the diagnostics of the "anatomy" paper (Nijkamp et al. 2020). */
export interface StepEvent {
  type: 'step';
  /** Number of parameter updates done, after this one (1-based). */
  iteration: number;
  epoch: number;
  /** L = mean U(obs) − mean U(syn). */
  loss: number;
  energyObs: number;
  energySyn: number;
  /** Energy gap d = mean U(syn) − mean U(obs). */
  gap: number;
  /** ‖∇θ L‖. */
  gradNorm: number;
  /** Mean ‖∇x U‖ along the synthesis chains. */
  chainGradNorm: number;
  /** Variance of the synthesized values (all elements). */
  sampleVar: number;
  /**
   * Mean distance of the chains to their nearest observed example over the observed examples'
   * distance to their nearest neighbour (same batch): about 1 when the chains are among the
   * data, far above when they are not reaching it. NaN when undefined (one observed example).
   */
  nearestDataRatio?: number;
  /**
   * Mean distance of the chains to their nearest other chain over the observed examples' distance
   * to their nearest neighbour (same batch, same count): about 1 when the chains are as varied as
   * the data, near 0 when they have collapsed onto one or a few examples. NaN when undefined.
   */
  diversityRatio?: number;
  /** The divergence guard's bound on `sampleVar` (σ² + 0.1 by default when refSigma is set). */
  varianceBound?: number;
  /** MALA acceptance rate of the synthesis chains. */
  acceptRate?: number;
  learningRate: number;
  stepSize: number;
  /** Seconds since training started. */
  seconds: number;
  /**
   * Set on the update where the training watch finds the chains are not reaching the data
   * ("chains are not reaching the data: …") or have collapsed ("samples have collapsed: …"), with
   * what the watch did about it (`TrainMleOptions.watch`).
   */
  warning?: string;
  /** Cooperative training: mean ‖Ỹ − g(z)‖²/(2σ²) of the generator before its update (`coopStep`). */
  generatorLoss?: number;
  /** Cooperative training: mean ‖Ỹ − Ŷ‖, how far the descriptor's revision moved the generator's proposals. */
  revision?: number;
  /** The anatomy probe's long run, on the iterations it ran (`TrainMleOptions.probe`). */
  probe?: ProbeStats;
}

/** A long Langevin run continued from an iteration's synthesized examples. */
export interface ProbeStats {
  steps: number;
  /** Mean U at the start (the synthesized examples) and at the end of the long run. */
  energyStart: number;
  energyEnd: number;
  /** Root-mean-square change of the values over the run. */
  drift: number;
  /** Variance of the long-run samples' values. */
  sampleVar: number;
}

/** Synthesized examples. `x` is valid until the consumer asks for the next event: clone to keep. */
export interface SamplesEvent {
  type: 'samples';
  iteration: number;
  x: Tensor;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  iteration: number;
  dir: string;
}

/** The guard rolled back to the last good state and shrank the steps. */
export interface DivergedEvent {
  type: 'diverged';
  iteration: number;
  reason: string;
  /** 1 for the first rollback in this run. */
  retry: number;
  /** The iteration training resumes from. */
  rolledBackTo: number;
  learningRate: number;
  stepSize: number;
}

export interface DoneEvent {
  type: 'done';
  iteration: number;
  seconds: number;
  /** True when stopped by the AbortSignal. */
  aborted: boolean;
  /** When aborted: the signal's reason, as text ("early stop: …", "interrupted (Ctrl-C)", a timeout's message). */
  reason?: string;
}

export type TrainEvent = StepEvent | SamplesEvent | CheckpointEvent | DivergedEvent | DoneEvent;
