import { PNG } from 'pngjs';
import { ADVANCE, glyph, GLYPH_HEIGHT, GLYPH_WIDTH, textWidth } from './font';

/** An RGB color, components 0–255. */
export type Rgb = readonly [number, number, number];

/**
 * A small RGBA raster with just the drawing the reports need (rectangles, antialiased lines, dots,
 * bitmap text, colormapped fields), encoded as PNG with pngjs.
 */
export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.data.set([background[0], background[1], background[2], 255], i * 4);
  }

  /** Blends `color` into pixel (x, y) with opacity `alpha` ∈ [0, 1]. */
  blend(x: number, y: number, color: Rgb, alpha = 1): void {
    x = Math.floor(x);
    y = Math.floor(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const i = (y * this.width + x) * 4;
    const a = Math.min(1, alpha);
    for (let c = 0; c < 3; c++) this.data[i + c] = Math.round(this.data[i + c]! * (1 - a) + color[c]! * a);
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    for (let j = Math.max(0, Math.floor(y)); j < Math.min(this.height, Math.floor(y + h)); j++) {
      for (let i = Math.max(0, Math.floor(x)); i < Math.min(this.width, Math.floor(x + w)); i++) this.blend(i, j, color, alpha);
    }
  }

  strokeRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.fillRect(x, y, w, 1, color);
    this.fillRect(x, y + h - 1, w, 1, color);
    this.fillRect(x, y, 1, h, color);
    this.fillRect(x + w - 1, y, 1, h, color);
  }

  /** An antialiased line of width ~`width` px (distance-to-segment coverage). */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, width = 1.5): void {
    const r = width / 2;
    const minX = Math.floor(Math.min(x0, x1) - r - 1);
    const maxX = Math.ceil(Math.max(x0, x1) + r + 1);
    const minY = Math.floor(Math.min(y0, y1) - r - 1);
    const maxY = Math.ceil(Math.max(y0, y1) + r + 1);
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy || 1e-12;
    for (let y = Math.max(0, minY); y <= Math.min(this.height - 1, maxY); y++) {
      for (let x = Math.max(0, minX); x <= Math.min(this.width - 1, maxX); x++) {
        const px = x + 0.5;
        const py = y + 0.5;
        const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
        const d = Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
        const cov = Math.max(0, Math.min(1, r + 0.5 - d));
        if (cov > 0) this.blend(x, y, color, cov);
      }
    }
  }

  /** A filled, antialiased disc. */
  disc(cx: number, cy: number, radius: number, color: Rgb, alpha = 1): void {
    for (let y = Math.floor(cy - radius - 1); y <= Math.ceil(cy + radius + 1); y++) {
      for (let x = Math.floor(cx - radius - 1); x <= Math.ceil(cx + radius + 1); x++) {
        const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
        const cov = Math.max(0, Math.min(1, radius + 0.5 - d));
        if (cov > 0) this.blend(x, y, color, cov * alpha);
      }
    }
  }

  /** Bitmap text with its top-left corner at (x, y); `align` places x at the left, centre or right. */
  text(x: number, y: number, s: string, color: Rgb = [0, 0, 0], scale = 1, align: 'left' | 'center' | 'right' = 'left'): void {
    const w = textWidth(s, scale);
    let ox = Math.round(align === 'left' ? x : align === 'center' ? x - w / 2 : x - w);
    for (const ch of s) {
      const rows = glyph(ch);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if ((rows[r]! >> (GLYPH_WIDTH - 1 - c)) & 1) this.fillRect(ox + c * scale, y + r * scale, scale, scale, color);
        }
      }
      ox += ADVANCE * scale;
    }
  }

  /** Copies `src` with its top-left corner at (x, y). */
  draw(src: Raster, x: number, y: number): void {
    for (let j = 0; j < src.height; j++) {
      const ty = y + j;
      if (ty < 0 || ty >= this.height) continue;
      for (let i = 0; i < src.width; i++) {
        const tx = x + i;
        if (tx < 0 || tx >= this.width) continue;
        const s = (j * src.width + i) * 4;
        this.data.set(src.data.subarray(s, s + 4), (ty * this.width + tx) * 4);
      }
    }
  }

  /** PNG bytes. */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    png.data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    return PNG.sync.write(png);
  }
}

/** Viridis-like colormap (5 anchor colours, linear between), t ∈ [0, 1]. */
export function colormap(t: number): Rgb {
  const stops: Rgb[] = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const u = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A qualitative palette for series. */
export const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [255, 127, 14],
  [148, 103, 189],
  [140, 86, 75],
];
