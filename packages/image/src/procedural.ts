/**
 * Procedural textures and a digit-free test image, made at run time from a seed: exact,
 * licence-free default data for the demos and tests.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import { createImage, type Image } from './image';

export const TEXTURE_KINDS = ['cobbles', 'bricks', 'waves'] as const;
export type TextureKind = (typeof TEXTURE_KINDS)[number];

/**
 * A seamless procedural texture of `size`×`size` RGB pixels:
 * - 'cobbles': rounded stones of varied grey-brown tones in dark mortar (a jittered Voronoi tiling);
 * - 'bricks': a running-bond brick wall with per-brick colour and grain;
 * - 'waves': interfering sinusoidal ripples in blue-green with fine grain.
 */
export function proceduralTexture(kind: TextureKind, size = 64, seed = 0): Image {
  if (!TEXTURE_KINDS.includes(kind)) throw new InvalidOptionError('proceduralTexture', 'kind', kind, TEXTURE_KINDS.map((k) => `'${k}'`).join(', '));
  const rnd = mulberry32(seed + 1);
  const img = createImage(size, size, 3);
  const put = (x: number, y: number, r: number, g: number, b: number) => {
    const i = (y * size + x) * 3;
    img.data[i] = Math.min(1, Math.max(0, r));
    img.data[i + 1] = Math.min(1, Math.max(0, g));
    img.data[i + 2] = Math.min(1, Math.max(0, b));
  };
  if (kind === 'cobbles') {
    // Cells on a jittered grid of period `cell`, wrapped so the tile is seamless.
    const cell = Math.max(4, Math.round(size / 6));
    const n = Math.ceil(size / cell);
    const pts = Array.from({ length: n * n }, (_, k) => ({ x: ((k % n) + 0.2 + 0.6 * rnd()) * cell, y: (Math.floor(k / n) + 0.2 + 0.6 * rnd()) * cell, tone: 0.45 + 0.3 * rnd(), warm: 0.05 * rnd() }));
    const span = n * cell;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let d1 = Infinity;
        let d2 = Infinity;
        let best = pts[0]!;
        for (const p of pts) {
          for (const [ox, oy] of [[0, 0], [span, 0], [-span, 0], [0, span], [0, -span], [span, span], [-span, -span], [span, -span], [-span, span]] as const) {
            const d = Math.hypot(x - p.x - ox, y - p.y - oy);
            if (d < d1) (d2 = d1), (d1 = d), (best = p);
            else if (d < d2) d2 = d;
          }
        }
        const edge = d2 - d1;
        const shade = Math.min(1, edge / (0.25 * cell));
        const grain = 0.06 * (rnd() - 0.5);
        const v = best.tone * (0.35 + 0.65 * Math.sqrt(shade)) + grain;
        put(x, y, v + best.warm, v, v - best.warm);
      }
    }
  } else if (kind === 'bricks') {
    const bh = Math.max(4, Math.round(size / 8));
    const bw = 2 * bh;
    const tones = Array.from({ length: 64 }, () => 0.55 + 0.25 * rnd());
    for (let y = 0; y < size; y++) {
      const row = Math.floor(y / bh);
      for (let x = 0; x < size; x++) {
        const xx = (x + (row % 2) * (bw / 2)) % size;
        const col = Math.floor(xx / bw);
        const mortar = y % bh === 0 || xx % bw === 0;
        const grain = 0.08 * (rnd() - 0.5);
        if (mortar) put(x, y, 0.75 + grain, 0.73 + grain, 0.68 + grain);
        else {
          const t = tones[(row * 7 + col * 3) % 64]!;
          put(x, y, t + grain, 0.45 * t + grain, 0.3 * t + grain);
        }
      }
    }
  } else {
    const phases = Array.from({ length: 3 }, () => 2 * Math.PI * rnd());
    const k = (2 * Math.PI) / size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const w = Math.sin(k * 4 * x + phases[0]!) + Math.sin(k * (3 * x + 5 * y) + phases[1]!) + 0.5 * Math.sin(k * (7 * y - 2 * x) + phases[2]!);
        const v = 0.5 + 0.18 * w + 0.05 * (rnd() - 0.5);
        put(x, y, 0.2 * v, 0.45 + 0.4 * (v - 0.5), 0.55 + 0.5 * (v - 0.5));
      }
    }
  }
  return img;
}
