import type { NetSpec } from '../netspec/types';
import type { Tensor, Tensor1D } from '../tf';

/** What a runtime must give back from a vector-Jacobian product. */
export interface VjpResult {
  /** The forward output y = net(x). */
  y: Tensor;
  /** ⟨gy, ∂y/∂x⟩, when asked for. */
  gx?: Tensor;
  /** ⟨gy, ∂y/∂θ⟩ per parameter name, when asked for. */
  gParams?: Record<string, Tensor>;
  /** ⟨gy, ∂y/∂input⟩ per extra input name, when asked for. */
  gInputs?: Record<string, Tensor>;
  /** Train mode: the batch statistics of every batch norm, by state name (see `Net.mode`). */
  stats?: Record<string, Tensor>;
}

/** What every executor call gets besides x. Tensors are borrowed. */
export interface RunOptions {
  /** Extra inputs by name, [B, ...shape] (NetSpec `inputs`). */
  inputs: Readonly<Record<string, Tensor>>;
  /** State tensors by name (running statistics); read in 'eval' mode. */
  state: Readonly<Record<string, Tensor>>;
  mode: 'train' | 'eval';
  /** Train mode: return the batch statistics (`VjpResult.stats`). */
  stats: boolean;
}

/** Which gradients a vjp computes. */
export interface VjpWrt {
  x: boolean;
  params: boolean;
  /** Extra inputs whose gradients are wanted. */
  inputs?: string[];
}

/**
 * A NetSpec compiled for one runtime. Everything samplers and trainers need is a vjp with a
 * particular upstream gradient. Ownership: inputs are borrowed, every returned tensor is owned by
 * the caller.
 */
export interface NetExecutor {
  readonly runtime: string;
  forward(params: Readonly<Record<string, Tensor>>, x: Tensor, o: RunOptions): Promise<VjpResult>;
  vjp(params: Readonly<Record<string, Tensor>>, x: Tensor, gy: Tensor, wrt: VjpWrt, o: RunOptions): Promise<VjpResult>;
  /**
   * Optional: a whole Langevin step in one call (see FusedLangevinStep), for runtimes that compile
   * it. `sign` is how the output enters U (−1 for a descriptor score).
   */
  langevinStep?(params: Readonly<Record<string, Tensor>>, x: Tensor, sign: 1 | -1, step: FusedLangevinStep, o: RunOptions): Promise<FusedLangevinResult>;
  dispose(): void;
}

/** A runtime turns a spec into an executor. */
export interface NetRuntime {
  readonly name: string;
  compile(spec: NetSpec): NetExecutor;
}

/** One canonical Langevin step x' = clamp(x − (δ²/2)·∇U + δ·noiseScale·noise). */
export interface FusedLangevinStep {
  stepSize: number;
  noiseScale: number;
  /** Adds ‖x‖²/(2σ²) to U. */
  refSigma?: number;
  clamp?: [number, number];
  /** Standard normal noise, one value per element of x. */
  noise: Float32Array;
}

export interface FusedLangevinResult {
  /** The moved chains; owned by the caller. */
  x: Tensor;
  /** U at the starting point, per example. */
  energy: Tensor1D;
  /** ‖∇x U‖ at the starting point, per example. */
  gradNorm: Tensor1D;
}
