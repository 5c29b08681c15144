/**
 * A procedural dynamic texture, generated at run time (exact, licence-free default data):
 * travelling plane waves of several directions and speeds, coloured like water under a warm
 * light, with a global flicker (a slow oscillation plus a random walk in brightness) and pixel
 * noise. Stationary in space and time, as the ST descriptor assumes.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import { createClip, type Clip } from './clip';

export interface ProceduralVideoOptions {
  frames?: number;
  /** Frame side in pixels; default 32. */
  size?: number;
  /** Seeds the wave phases, the flicker and the noise; default 0. */
  seed?: number;
  /** Std of the pixel noise (values in [0, 1]); default 0.03. */
  noise?: number;
}

/** Travelling waves with flicker and noise: frames × size × size RGB, 12 frames per second. */
export function proceduralVideo(options: ProceduralVideoOptions = {}): Clip {
  const T = options.frames ?? 32;
  const S = options.size ?? 32;
  const noise = options.noise ?? 0.03;
  if (!Number.isInteger(T) || T < 2) throw new InvalidOptionError('proceduralVideo', 'frames', T, 'an integer ≥ 2');
  if (!Number.isInteger(S) || S < 4) throw new InvalidOptionError('proceduralVideo', 'size', S, 'an integer ≥ 4');
  const rand = mulberry32(options.seed ?? 0);
  // Wave vectors in cycles per 32 px, so the pattern's scale does not change with the size;
  // angular speeds in radians per frame (a crest moves 1–2 px a frame).
  const waves = [
    [0.7, 0.25, 0.5],
    [-0.3, 0.65, -0.6],
    [0.45, -0.5, 0.8],
  ].map(([kx, ky, om]) => ({ kx: (kx! * 32) / S, ky: (ky! * 32) / S, om: om!, phase: 2 * Math.PI * rand() }));
  const clip = createClip(T, S, S, 3);
  let walk = 0;
  for (let t = 0; t < T; t++) {
    walk = 0.9 * walk + 0.02 * (rand() - 0.5);
    const flicker = 0.08 * Math.sin(0.9 * t) + walk;
    for (let y = 0; y < S; y++) {
      for (let x = 0; x < S; x++) {
        let v = 0;
        for (const w of waves) v += Math.sin(w.kx * x + w.ky * y - w.om * t + w.phase);
        v /= waves.length;
        const n = noise * gauss(rand);
        const i = ((t * S + y) * S + x) * 3;
        clip.data[i] = clamp01(0.5 + 0.35 * v + flicker + n);
        clip.data[i + 1] = clamp01(0.45 + 0.25 * v + flicker + n);
        clip.data[i + 2] = clamp01(0.6 - 0.3 * v + flicker + n);
      }
    }
  }
  return { ...clip, fps: 12 };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
}
