import { textWidth } from './font';
import { colormap, PALETTE, Raster, type Rgb } from './raster';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [225, 225, 225];
const MARGIN = { left: 52, right: 10, top: 22, bottom: 24 };

/** Short, readable tick label: 3 significant digits, exponent form for very large or small values. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) {
    const [m, e] = v.toExponential(1).split('e');
    return `${m!.replace(/\.0$/, '')}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(3)));
}

/** About `count` evenly spaced "nice" values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  // Counts (iterations) get whole-number ticks only.
  const step = Math.max(integer ? 1 : 0, [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function frame(r: Raster, rect: Rect, title: string): Rect {
  const inner = { x: rect.x + MARGIN.left, y: rect.y + MARGIN.top, w: rect.w - MARGIN.left - MARGIN.right, h: rect.h - MARGIN.top - MARGIN.bottom };
  r.text(rect.x + rect.w / 2, rect.y + 6, title, [0, 0, 0], 1, 'center');
  return inner;
}

function axes(r: Raster, inner: Rect, x: [number, number], y: [number, number], xLabel?: string, grid = true, xInteger = false): void {
  const sx = (v: number) => inner.x + ((v - x[0]) / (x[1] - x[0] || 1)) * inner.w;
  const sy = (v: number) => inner.y + inner.h - ((v - y[0]) / (y[1] - y[0] || 1)) * inner.h;
  for (const t of niceTicks(y[0], y[1], 4)) {
    if (grid) r.fillRect(inner.x, Math.round(sy(t)), inner.w, 1, GRID);
    else r.fillRect(inner.x - 3, Math.round(sy(t)), 3, 1, AXIS);
    r.text(inner.x - 4, Math.round(sy(t)) - 3, formatTick(t), AXIS, 1, 'right');
  }
  for (const t of niceTicks(x[0], x[1], 5, xInteger)) {
    r.fillRect(Math.round(sx(t)), inner.y + inner.h, 1, 3, AXIS);
    r.text(Math.round(sx(t)), inner.y + inner.h + 5, formatTick(t), AXIS, 1, 'center');
  }
  r.strokeRect(inner.x, inner.y, inner.w, inner.h, AXIS);
  if (xLabel) r.text(inner.x + inner.w, inner.y + inner.h + 14, xLabel, AXIS, 1, 'right');
}

function range(values: number[]): [number, number] {
  const f = values.filter(Number.isFinite);
  if (f.length === 0) return [0, 1];
  let lo = Math.min(...f);
  let hi = Math.max(...f);
  if (hi === lo) {
    lo -= Math.abs(lo) * 0.1 || 1;
    hi += Math.abs(hi) * 0.1 || 1;
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

export interface LineSeries {
  label: string;
  ys: ArrayLike<number>;
  /** x values; default the index + 1. */
  xs?: ArrayLike<number>;
  color?: Rgb;
}

export interface LinePanelOptions {
  title: string;
  series: LineSeries[];
  xLabel?: string;
  /** Whole-number x ticks only (counts such as iterations); default when xLabel is 'iteration'. */
  xInteger?: boolean;
  /** EMA factor for a bold smoothed line over the faint raw one; 0 draws raw only. Default 0.9 when there are > 50 points. */
  smooth?: number;
}

/** A line chart in `rect`: faint raw series, bold exponential moving average, legend. */
export function linePanel(r: Raster, rect: Rect, o: LinePanelOptions): void {
  const inner = frame(r, rect, o.title);
  const xsOf = (s: LineSeries) => Array.from(s.xs ?? Array.from(s.ys, (_, i) => i + 1));
  const allX = o.series.flatMap(xsOf);
  const allY = o.series.flatMap((s) => Array.from(s.ys));
  const xr: [number, number] = allX.length ? [Math.min(...allX), Math.max(...allX)] : [0, 1];
  if (xr[1] === xr[0]) xr[1] = xr[0] + 1;
  const yr = range(allY);
  axes(r, inner, xr, yr, o.xLabel, true, o.xInteger ?? o.xLabel === 'iteration');
  const sx = (v: number) => inner.x + ((v - xr[0]) / (xr[1] - xr[0])) * inner.w;
  const sy = (v: number) => inner.y + inner.h - ((Math.min(yr[1], Math.max(yr[0], v)) - yr[0]) / (yr[1] - yr[0])) * inner.h;
  o.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const xs = xsOf(s);
    const ys = Array.from(s.ys);
    const smooth = o.smooth ?? (ys.length > 50 ? 0.9 : 0);
    const faint: Rgb = smooth > 0 ? [color[0] + (255 - color[0]) * 0.65, color[1] + (255 - color[1]) * 0.65, color[2] + (255 - color[2]) * 0.65] : color;
    const drawPath = (vals: number[], c: Rgb, w: number) => {
      for (let i = 1; i < vals.length; i++) {
        if (Number.isFinite(vals[i - 1]) && Number.isFinite(vals[i])) r.line(sx(xs[i - 1]!), sy(vals[i - 1]!), sx(xs[i]!), sy(vals[i]!), c, w);
      }
    };
    drawPath(ys, faint, 1);
    if (smooth > 0) {
      let m = ys.find(Number.isFinite) ?? 0;
      drawPath(ys.map((v) => (Number.isFinite(v) ? (m = smooth * m + (1 - smooth) * v) : m)), color, 2);
    }
  });
  // Legends last, so no line crosses them.
  o.series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const ly = inner.y + 4 + k * 11;
    const lx = inner.x + inner.w - 6 - textWidth(s.label);
    // A light box keeps the legend readable over the lines.
    r.fillRect(lx - 14, ly - 2, textWidth(s.label) + 18, 11, [255, 255, 255], 0.85);
    r.fillRect(lx - 12, ly + 3, 9, 2, color);
    r.text(lx, ly, s.label, [30, 30, 30]);
  });
}

export interface ScatterLayer {
  /** Interleaved x, y pairs. */
  points: ArrayLike<number>;
  color: Rgb;
  radius?: number;
  alpha?: number;
  label?: string;
}

export interface ScatterPanelOptions {
  title: string;
  xRange: [number, number];
  yRange: [number, number];
  layers: ScatterLayer[];
  /**
   * A scalar field drawn under the points with the colormap, `rows × cols` values, row 0 at the
   * top (y = yRange[1]); values are normalised to [0, 1] by their min and max.
   */
  field?: { values: ArrayLike<number>; rows: number; cols: number };
}

/** A scatter plot in `rect`, optionally over a colormapped field (an energy landscape or density). */
export function scatterPanel(r: Raster, rect: Rect, o: ScatterPanelOptions): void {
  const inner = frame(r, rect, o.title);
  if (o.field) {
    const { values, rows, cols } = o.field;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) (lo = Math.min(lo, values[i]!)), (hi = Math.max(hi, values[i]!));
    for (let y = 0; y < inner.h; y++) {
      for (let x = 0; x < inner.w; x++) {
        const v = values[Math.min(rows - 1, Math.floor((y / inner.h) * rows)) * cols + Math.min(cols - 1, Math.floor((x / inner.w) * cols))]!;
        r.blend(inner.x + x, inner.y + y, colormap((v - lo) / (hi - lo || 1)));
      }
    }
  }
  axes(r, inner, o.xRange, o.yRange, undefined, !o.field);
  const sx = (v: number) => inner.x + ((v - o.xRange[0]) / (o.xRange[1] - o.xRange[0])) * inner.w;
  const sy = (v: number) => inner.y + inner.h - ((v - o.yRange[0]) / (o.yRange[1] - o.yRange[0])) * inner.h;
  o.layers.forEach((l, k) => {
    for (let i = 0; i + 1 < l.points.length; i += 2) {
      const x = sx(l.points[i]!);
      const y = sy(l.points[i + 1]!);
      if (x >= inner.x && x < inner.x + inner.w && y >= inner.y && y < inner.y + inner.h) r.disc(x, y, l.radius ?? 1.5, l.color, l.alpha ?? 0.6);
    }
    if (l.label) {
      const ly = inner.y + 4 + k * 11;
      r.fillRect(inner.x + 5, ly + 1, 6, 6, l.color);
      r.text(inner.x + 14, ly, l.label, o.field ? [255, 255, 255] : [30, 30, 30]);
    }
  });
}
