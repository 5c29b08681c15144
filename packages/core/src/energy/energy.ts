/**
 * The one sign convention of ebm: p(x) ∝ exp(−U(x)), and samplers descend U.
 *
 * A descriptor net's score f(x; θ) enters as U(x) = −f(x; θ) + ‖x‖²/(2σ²) (Xie et al., "A Theory of
 * Generative ConvNet", ICML 2016, eq. 1–2), where the Gaussian reference term is its own energy
 * (`gaussianReference(σ)`) composed with `sumEnergies`.
 */
import type { FusedLangevinResult, FusedLangevinStep } from '../runtime/types';
import type { Tensor, Tensor1D, Variable } from '../tf';

export interface EnergyAndGrad {
  /** U(x) per example, shape [B]. */
  energy: Tensor1D;
  /** ∇x U(x), shape of x. */
  grad: Tensor;
}

export interface EnergyParamGrads {
  /** U(x) per example, shape [B]. */
  energy: Tensor1D;
  /** ∂/∂θ Σ_i w_i U(x_i) for every learnable parameter, by name. */
  grads: Record<string, Tensor>;
}

/**
 * An energy function over a batch. Ownership: every method borrows its inputs and returns tensors
 * the caller owns and must dispose. Methods are async so that runtimes outside tfjs (onnxruntime)
 * fit the same contract.
 */
export interface Energy {
  /** Learnable parameters by name (empty for fixed energies). The energy owns them. */
  readonly params: Readonly<Record<string, Variable>>;
  /** Non-learned tensors that belong with the parameters in a checkpoint (batch-norm running statistics). */
  readonly state?: Readonly<Record<string, Variable>>;
  /**
   * True when U(x_i) depends on example i alone (no batch statistics), so batches may be
   * concatenated into one call (the MLE step then evaluates observed and synthesized together).
   */
  readonly perExample?: boolean;
  /** U(x) per example. */
  energy(x: Tensor): Promise<Tensor1D>;
  /** U(x) and ∇x U(x). */
  energyAndGrad(x: Tensor): Promise<EnergyAndGrad>;
  /** U(x) and ∇θ Σ_i w_i U(x_i); `w` has shape [B]. */
  paramGrads(x: Tensor, w: Tensor1D): Promise<EnergyParamGrads>;
  /**
   * Optional: one whole Langevin step in a single runtime call (the onnx runtime compiles it).
   * The sampler uses it for plain ULA steps; it must equal the unfused update exactly.
   */
  langevinStep?(x: Tensor, step: FusedLangevinStep): Promise<FusedLangevinResult>;
  /** Frees what the energy owns. */
  dispose(): void;
}
