/** Sample sheets: images side by side, for reports and for looking at what a model makes. */
import { InvalidOptionError } from '@ebm/core';
import { createImage, toChannels, type Image } from './image';

export interface GridOptions {
  /** Images per row; default ceil(√n). */
  cols?: number;
  /** Pixels between images; default 2. */
  pad?: number;
  /** Integer magnification (nearest neighbour), so 28-pixel digits stay visible; default 1. */
  scale?: number;
  /** Value of the padding, in [0, 1]; default 1 (white). */
  background?: number;
}

/** One image holding `images` (of one size) in a grid, gray when they all are. */
export function imageGrid(images: readonly Image[], options: GridOptions = {}): Image {
  if (images.length === 0) throw new InvalidOptionError('imageGrid', 'images', '[]', 'at least one image');
  const { width, height } = images[0]!;
  const channels = images.every((i) => i.channels === 1) ? 1 : 3;
  const cols = options.cols ?? Math.ceil(Math.sqrt(images.length));
  const rows = Math.ceil(images.length / cols);
  const pad = options.pad ?? 2;
  const s = options.scale ?? 1;
  if (!Number.isInteger(s) || s < 1) throw new InvalidOptionError('imageGrid', 'scale', s, 'a positive integer');
  const cw = width * s;
  const ch = height * s;
  const out = createImage(cols * cw + (cols + 1) * pad, rows * ch + (rows + 1) * pad, channels, options.background ?? 1);
  images.forEach((raw, i) => {
    if (raw.width !== width || raw.height !== height) throw new InvalidOptionError('imageGrid', `images[${i}]`, `${raw.width}×${raw.height}`, `the size of image 0 (${width}×${height})`);
    const img = toChannels(raw, channels);
    const ox = pad + (i % cols) * (cw + pad);
    const oy = pad + Math.floor(i / cols) * (ch + pad);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const src = (Math.floor(y / s) * width + Math.floor(x / s)) * channels;
        const dst = ((oy + y) * out.width + ox + x) * channels;
        for (let k = 0; k < channels; k++) out.data[dst + k] = img.data[src + k]!;
      }
    }
  });
  return out;
}
