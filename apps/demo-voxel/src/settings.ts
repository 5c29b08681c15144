/**
 * Run sizes. The paper (3D DescriptorNet, research/papers.md §2.3) trains 32³ grids for 3000 epochs;
 * `--quick` scales that to 16³ grids and 700 updates so it fits in about 5 minutes on 2 cores
 * (an update at 32³ costs ~2 s with the CPU net; at 16³ ~0.35 s), and adds the energy-magnitude
 * penalty that kept the energies from running away in these short runs (α = 1e-3).
 */
export interface VoxelSettings {
  size: number;
  shapes: number;
  chains: number;
  iterations: number;
  /** Noise on until this iteration (the paper: the first 100 of 3000 epochs). */
  noiseUntil: number;
  learningRate: number;
  energyL2: number;
}

export const SETTINGS: Record<'smoke' | 'quick' | 'full', VoxelSettings> = {
  smoke: { size: 16, shapes: 8, chains: 8, iterations: 5, noiseUntil: 2, learningRate: 1e-3, energyL2: 1e-3 },
  quick: { size: 16, shapes: 16, chains: 16, iterations: 700, noiseUntil: 280, learningRate: 1e-3, energyL2: 1e-3 },
  full: { size: 32, shapes: 16, chains: 16, iterations: 2000, noiseUntil: 800, learningRate: 1e-3, energyL2: 1e-3 },
};

/** The paper's Langevin settings: 20 steps, δ = 0.1, σ = 0.5. */
export const SAMPLER = { numSteps: 20, stepSize: 0.1, refSigma: 0.5 } as const;
