/**
 * report.html: a page a reader understands without the code. Every metric says what it measures,
 * whether higher or lower is better, the baseline it is compared with and the ratio, with a visible
 * mark when it is worse than its baseline; the run mode and settings are said in words; the
 * training curves are SVG.
 */
import type { StepEvent } from '../training/events';
import type { Rgb } from './raster';
import { svgLineChart } from './svg';

/** What a metric means, for the report (and for anyone reading metrics.json). */
export interface MetricInfo {
  /** What it measures, in a sentence. */
  means: string;
  /** Which direction is better; omit for descriptive numbers (sizes, counts, baselines). */
  better?: 'higher' | 'lower';
  /** The metric(s) of the same run it is compared with: the first decides the mark. */
  baseline?: string | string[];
}

export type MetricInfos = Record<string, MetricInfo>;

export const MODE_WORDS: Record<string, string> = {
  smoke: 'a smoke run: a few updates that check the pipeline end to end — its numbers say nothing about the method',
  quick: 'a quick run: a real, small run that shows the method works, sized for minutes on 2 CPU cores',
  full: 'a full run: the full-size setting of this demo',
};

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const fmt = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : String(v));

/** The metrics table rows (HTML), with baselines, ratios and marks. */
export function metricRows(metrics: Record<string, unknown>, infos: MetricInfos): string {
  return Object.entries(metrics)
    .map(([k, v]) => {
      const info = infos[k];
      const bases = info?.baseline === undefined ? [] : Array.isArray(info.baseline) ? info.baseline : [info.baseline];
      const base = bases.map((b) => ({ name: b, value: metrics[b] })).filter((b) => typeof b.value === 'number');
      let ratio = '';
      let mark = '';
      if (typeof v === 'number' && base.length) {
        const b = base[0]!.value as number;
        ratio = b !== 0 ? `${(v / b).toPrecision(3)}×` : '';
        if (info?.better) {
          // Every baseline counts: a metric that loses to any of them is marked with the ones it loses to.
          const worse = base.filter((x) => (info.better === 'higher' ? v < (x.value as number) : v > (x.value as number))).map((x) => x.name);
          mark = worse.length
            ? `<span class="bad" title="worse than ${esc(worse.join(', '))}">✗ worse than ${esc(base.length > 1 ? worse.join(', ') : 'baseline')}</span>`
            : base.some((x) => x.value === v)
              ? `<span class="even" title="equal to ${esc(base.filter((x) => x.value === v).map((x) => x.name).join(', '))}">= baseline, no gain</span>`
              : `<span class="good">✓ beats ${base.length > 1 ? 'every baseline' : 'baseline'}</span>`;
        }
      }
      const better = info?.better === 'higher' ? 'higher ↑' : info?.better === 'lower' ? 'lower ↓' : '—';
      return `<tr${mark.includes('bad') ? ' class="worse"' : ''}><th>${esc(k)}</th><td class="num">${esc(fmt(v))}</td><td>${esc(info?.means ?? '')}</td><td>${better}</td><td>${base.map((b) => `${esc(b.name)} = ${esc(fmt(b.value))}`).join('<br>')}</td><td class="num">${ratio}</td><td>${mark}</td></tr>`;
    })
    .join('\n');
}

/** A training-curve panel, drawn both in curves.png and as SVG in report.html. */
export interface CurvePanel {
  /** ASCII title and labels (the PNG font has no ∇ or θ); `unicode` forms for the SVG. */
  title: string;
  unicodeTitle?: string;
  series: { label: string; unicode?: string; xs: number[]; ys: number[]; color: Rgb; points?: boolean }[];
}

/** The panels of a run's training curves (the cooperative and nearest-data panels when the steps carry them). */
export function curvePanels(steps: StepEvent[]): CurvePanel[] {
  const xs = steps.map((e) => e.iteration);
  // The anatomy probe's long runs, where they ran: their end energy against the data's.
  const probed = steps.filter((e) => e.probe);
  const bound = steps.find((e) => e.varianceBound !== undefined)?.varianceBound;
  return [
    { title: 'MLE loss: mean U(obs) - mean U(syn)', unicodeTitle: 'MLE loss: mean U(obs) − mean U(syn)', series: [{ label: 'loss', xs, ys: steps.map((e) => e.loss), color: [31, 119, 180] }] },
    {
      title: 'energy gap d = mean U(syn) - mean U(obs)',
      unicodeTitle: 'energy gap d = mean U(syn) − mean U(obs)',
      series: [
        { label: 'gap', xs, ys: steps.map((e) => e.gap), color: [214, 39, 40] },
        ...(probed.length ? [{ label: `long run (${probed[0]!.probe!.steps} steps) - obs`, unicode: `long run (${probed[0]!.probe!.steps} steps) − obs`, xs: probed.map((e) => e.iteration), ys: probed.map((e) => e.probe!.energyEnd - e.energyObs), color: [31, 119, 180] as Rgb, points: true }] : []),
      ],
    },
    {
      title: 'gradient norms',
      series: [
        { label: '|grad_x U| chain', unicode: '|∇x U| along the chains', xs, ys: steps.map((e) => e.chainGradNorm), color: [44, 160, 44] },
        { label: '|grad_theta L|', unicode: '|∇θ L|', xs, ys: steps.map((e) => e.gradNorm), color: [148, 103, 189] },
      ],
    },
    {
      title: 'variance of synthesized values',
      series: [
        { label: 'var(syn)', xs, ys: steps.map((e) => e.sampleVar), color: [255, 127, 14] },
        ...(bound !== undefined ? [{ label: 'guard bound', xs, ys: steps.map(() => bound), color: [120, 120, 120] as Rgb }] : []),
      ],
    },
    ...(steps.some((e) => e.generatorLoss !== undefined)
      ? [
          {
            title: 'cooperative learning: generator loss',
            unicodeTitle: 'cooperative learning: the generator’s loss ‖Ỹ − g(z)‖²/2σ²',
            series: [{ label: 'generator loss', xs, ys: steps.map((e) => e.generatorLoss ?? NaN), color: [140, 86, 75] as Rgb }],
          },
          {
            title: 'cooperative learning: revision |Yrev - Yprop|',
            unicodeTitle: 'cooperative learning: the descriptor’s revision ‖Ỹ − Ŷ‖',
            series: [{ label: 'revision', xs, ys: steps.map((e) => e.revision ?? NaN), color: [227, 119, 194] as Rgb }],
          },
        ]
      : []),
    ...(steps.some((e) => Number.isFinite(e.nearestDataRatio))
      ? [
          {
            title: "chains' nearest-data / nearest-chain distance, over data's own",
            unicodeTitle: 'chains’ nearest-data and nearest-chain distances ÷ the data’s own',
            series: [
              { label: 'to data', xs, ys: steps.map((e) => e.nearestDataRatio ?? NaN), color: [23, 190, 207] as Rgb },
              ...(steps.some((e) => Number.isFinite(e.diversityRatio)) ? [{ label: 'to each other', xs, ys: steps.map((e) => e.diversityRatio ?? NaN), color: [188, 189, 34] as Rgb }] : []),
              { label: 'as the data (1)', xs, ys: steps.map(() => 1), color: [120, 120, 120] as Rgb },
            ],
          },
        ]
      : []),
  ];
}

/** The training-curve panels as inline SVG. */
export function curveCharts(steps: StepEvent[]): string {
  const css = (c: Rgb) => `rgb(${c.join(',')})`;
  return curvePanels(steps)
    .map((p) => svgLineChart(p.unicodeTitle ?? p.title, p.series.map((q) => ({ label: q.unicode ?? q.label, xs: q.xs, ys: q.ys, color: css(q.color), points: q.points })), { xLabel: 'iteration' }))
    .join('\n');
}

export const REPORT_CSS = `body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1040px;padding:0 1rem;color:#222}
figure{margin:1rem 0}img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:13px}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}th{background:#f6f6f6;font-weight:600}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}tr.worse td{background:#fff1f0}.bad{color:#b42318;font-weight:600}.good{color:#067647}.even{color:#93370d}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:.5rem}.charts svg{max-width:100%;height:auto}
pre{background:#f6f6f6;padding:.75rem;overflow:auto}.mode{background:#f0f6ff;border-left:4px solid #2e90fa;padding:.5rem .8rem}
.warn{background:#fff1f0;border-left:4px solid #b42318;padding:.5rem .8rem}`;
