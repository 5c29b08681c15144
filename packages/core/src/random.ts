/**
 * Seeds. Every stochastic call takes an explicit 32-bit seed; a run derives the seed of each call from
 * its base seed and a counter with a stateless hash, so resuming at step t reproduces step t exactly.
 */

/** Mixes (seed, ...keys) into a new 32-bit seed (murmur3 finaliser over the words). */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const k of keys) {
    h = Math.imul(h ^ (k >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/**
 * The seed to hand a tfjs random op. tfjs treats 0 as "no seed" (`seed ? seed : Math.random()`), so
 * a run with seed 0 would not reproduce; 0 is mapped to a fixed non-zero seed.
 */
export function tfSeed(seed: number): number {
  return seed === 0 ? 0x2545f491 : seed;
}

/** A small seeded PRNG (mulberry32) for CPU-side choices: shuffles, replay-buffer draws. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates permutation of 0..n-1 from a seed. */
export function permutation(n: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/**
 * n standard normal values from a seed (Marsaglia's polar method over mulberry32). Used for all
 * Langevin noise, so every runtime and code path draws the same stream for the same seed; a few
 * times faster than tfjs-backend-cpu's randomNormal.
 */
export function gaussianArray(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * rand() - 1;
      v = 2 * rand() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    out[i] = u * f;
    if (i + 1 < n) out[i + 1] = v * f;
  }
  return out;
}
