/**
 * Line charts as SVG for run reports: sharp at any zoom, with the browser's fonts. The same
 * series as the PNG panels (plot.ts), drawn as polylines with nice ticks and a legend.
 */
import { formatTick, niceTicks } from './plot';

export interface SvgSeries {
  label: string;
  xs: number[];
  ys: number[];
  color: string;
  /** Draws points instead of a line (sparse series such as probes). */
  points?: boolean;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** One chart: title, axes with ticks (whole numbers on an iteration axis), series, legend. */
export function svgLineChart(title: string, series: SvgSeries[], o: { xLabel?: string; width?: number; height?: number } = {}): string {
  const W = o.width ?? 460;
  const H = o.height ?? 260;
  const m = { l: 58, r: 12, t: 26, b: 34 };
  const all = series.flatMap((s) => s.xs.map((x, i) => [x, s.ys[i]!] as const)).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(title)}"><text x="${W / 2}" y="18" text-anchor="middle" font-weight="600">${esc(title)}</text><text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#777">no data</text></svg>`;
  let [x0, x1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [y0, y1] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const pad = (y1 - y0) * 0.05;
  [y0, y1] = [y0 - pad, y1 + pad];
  const sx = (v: number) => m.l + ((v - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (v: number) => H - m.b - ((v - y0) / (y1 - y0)) * (H - m.t - m.b);
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<text x="${W / 2}" y="16" text-anchor="middle" font-weight="600">${esc(title)}</text>`);
  for (const t of niceTicks(y0, y1, 4)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 5}" y="${f(sy(t) + 4)}" text-anchor="end" fill="#444">${esc(formatTick(t))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 5, o.xLabel === 'iteration')) {
    parts.push(`<line x1="${f(sx(t))}" x2="${f(sx(t))}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#444"/>`);
    parts.push(`<text x="${f(sx(t))}" y="${H - m.b + 16}" text-anchor="middle" fill="#444">${esc(formatTick(t))}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>`);
  if (o.xLabel) parts.push(`<text x="${W - m.r}" y="${H - 4}" text-anchor="end" fill="#444">${esc(o.xLabel)}</text>`);
  series.forEach((s, k) => {
    const pts = s.xs.map((x, i) => [x, s.ys[i]!] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (s.points) pts.forEach(([x, y]) => parts.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${s.color}"/>`));
    else parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts.map(([x, y]) => `${f(sx(x))},${f(sy(y))}`).join(' ')}"/>`);
    const ly = m.t + 14 + k * 15;
    parts.push(`<rect x="${W - m.r - 150}" y="${ly - 10}" width="146" height="14" fill="#fff" fill-opacity="0.85"/>`);
    parts.push(`<line x1="${W - m.r - 146}" x2="${W - m.r - 132}" y1="${ly - 3}" y2="${ly - 3}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${W - m.r - 128}" y="${ly + 1}" fill="#222">${esc(s.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="11" role="img" aria-label="${esc(title)}">${parts.join('')}</svg>`;
}
