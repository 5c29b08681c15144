import { nonNegative, positive } from '../options';

/** The (δ, noiseScale) pair of the canonical update that reproduces another form of the rule. */
export interface CanonicalStep {
  stepSize: number;
  noiseScale: number;
}

/**
 * Short-run form (Nijkamp et al. 2019; JEM): `x ← x + ∂f/∂x + ε·N(0, I)` with U = −f.
 * Matching (δ²/2) = 1 and δ·s = ε gives δ = √2, noiseScale = ε/√2: a chain at temperature ε²/2,
 * which is why the short-run energy is read as f/(ε²/2) (ebm-anatomy issue #1).
 */
export function fromShortRun(epsilon: number): CanonicalStep {
  nonNegative('fromShortRun', 'epsilon', epsilon);
  return { stepSize: Math.SQRT2, noiseScale: epsilon / Math.SQRT2 };
}

/**
 * SGLD form with decoupled noise (IGEBM): `x ← x − lr·∇U + std·N(0, I)`.
 * Matching (δ²/2) = lr and δ·s = std gives δ = √(2·lr), noiseScale = std/δ.
 */
export function fromSGLD(lr: number, std: number): CanonicalStep {
  positive('fromSGLD', 'lr', lr);
  nonNegative('fromSGLD', 'std', std);
  const stepSize = Math.sqrt(2 * lr);
  return { stepSize, noiseScale: std / stepSize };
}

/**
 * The temperature a canonical chain samples at: exp(−U/T) with T = noiseScale². 1 is exact Langevin
 * for the model; anything else samples a tempered model.
 */
export function temperature(step: Pick<CanonicalStep, 'noiseScale'>): number {
  return step.noiseScale * step.noiseScale;
}
