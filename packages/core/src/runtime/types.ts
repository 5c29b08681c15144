import type { NetSpec } from '../netspec/types';
import type { Tensor } from '../tf';

/** What a runtime must give back from a vector-Jacobian product. */
export interface VjpResult {
  /** The forward output y = net(x). */
  y: Tensor;
  /** ⟨gy, ∂y/∂x⟩, when asked for. */
  gx?: Tensor;
  /** ⟨gy, ∂y/∂θ⟩ per parameter name, when asked for. */
  gParams?: Record<string, Tensor>;
}

/**
 * A NetSpec compiled for one runtime (ARCHITECTURE.md, "Two runtimes"). Everything samplers and
 * trainers need is a vjp with a particular upstream gradient. Ownership: inputs are borrowed, every
 * returned tensor is owned by the caller.
 */
export interface NetExecutor {
  readonly runtime: string;
  forward(params: Readonly<Record<string, Tensor>>, x: Tensor): Promise<Tensor>;
  vjp(params: Readonly<Record<string, Tensor>>, x: Tensor, gy: Tensor, wrt: { x: boolean; params: boolean }): Promise<VjpResult>;
  dispose(): void;
}

/** A runtime turns a spec into an executor. */
export interface NetRuntime {
  readonly name: string;
  compile(spec: NetSpec): NetExecutor;
}
