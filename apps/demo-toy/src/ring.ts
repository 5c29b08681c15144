/** The 8-Gaussian ring: data, and the metrics that say whether a model found every mode. */
import { mulberry32 } from '@ebm/core';

export interface RingOptions {
  modes?: number;
  radius?: number;
  std?: number;
}

export const RING = { modes: 8, radius: 2, std: 0.1 } as const;

/** Centres of the ring's modes, interleaved x, y. */
export function ringModes(o: RingOptions = {}): Float32Array {
  const k = o.modes ?? RING.modes;
  const r = o.radius ?? RING.radius;
  const out = new Float32Array(2 * k);
  for (let i = 0; i < k; i++) {
    out[2 * i] = r * Math.cos((2 * Math.PI * i) / k);
    out[2 * i + 1] = r * Math.sin((2 * Math.PI * i) / k);
  }
  return out;
}

/** n points from the ring, modes chosen uniformly; interleaved x, y. */
export function sampleRing(n: number, seed: number, o: RingOptions = {}): Float32Array {
  const modes = ringModes(o);
  const k = modes.length / 2;
  const std = o.std ?? RING.std;
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const m = Math.floor(rand() * k);
    out[2 * i] = modes[2 * m]! + std * gauss();
    out[2 * i + 1] = modes[2 * m + 1]! + std * gauss();
  }
  return out;
}

export interface ModeMetrics {
  /** Fraction of modes holding at least 5% of the samples (nearest-mode assignment). */
  modeCoverage: number;
  /** Mean distance of a sample to its nearest mode. */
  meanDistToMode: number;
  /** Distance between neighbouring modes. */
  modeSpacing: number;
  /** Share of samples assigned to each mode. */
  modeShares: number[];
}

export function modeMetrics(points: Float32Array, modes: Float32Array): ModeMetrics {
  const k = modes.length / 2;
  const n = points.length / 2;
  const counts = new Array<number>(k).fill(0);
  let dist = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let m = 0; m < k; m++) {
      const d = Math.hypot(points[2 * i]! - modes[2 * m]!, points[2 * i + 1]! - modes[2 * m + 1]!);
      if (d < best) (best = d), (arg = m);
    }
    counts[arg]!++;
    dist += best;
  }
  const shares = counts.map((c) => c / n);
  return {
    modeCoverage: shares.filter((s) => s >= 0.05).length / k,
    meanDistToMode: dist / n,
    modeSpacing: Math.hypot(modes[0]! - modes[2]!, modes[1]! - modes[3]!),
    modeShares: shares,
  };
}

/**
 * Squared maximum mean discrepancy between two point sets with a Gaussian kernel of bandwidth h
 * (biased V-statistic): 0 when the sets have the same distribution.
 */
export function mmd2(a: Float32Array, b: Float32Array, h: number): number {
  const k = (p: Float32Array, i: number, q: Float32Array, j: number) => Math.exp(-((p[2 * i]! - q[2 * j]!) ** 2 + (p[2 * i + 1]! - q[2 * j + 1]!) ** 2) / (2 * h * h));
  const mean = (p: Float32Array, q: Float32Array) => {
    let s = 0;
    const np = p.length / 2;
    const nq = q.length / 2;
    for (let i = 0; i < np; i++) for (let j = 0; j < nq; j++) s += k(p, i, q, j);
    return s / (np * nq);
  };
  return mean(a, a) + mean(b, b) - 2 * mean(a, b);
}
