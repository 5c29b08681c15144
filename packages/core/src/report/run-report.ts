import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StepEvent, TrainEvent } from '../training/events';
import { linePanel } from './plot';
import { Raster } from './raster';
import { curveCharts, curvePanels, metricRows, MODE_WORDS, REPORT_CSS, type MetricInfos } from './html';

/** One flat JSON object per run (the demo contract: each demo's README). */
export type Metrics = Record<string, number | string | boolean | null>;

export interface RunInfo {
  /** Title of the report page. */
  title: string;
  task: string;
  seed: number;
  quick: boolean;
  /** 'smoke', 'quick' or 'full': said in words at the top of the report. */
  mode?: string;
  /** The settings in words (data, net, sampler, training), for the reader. */
  summary?: string;
  /** Free-form settings shown in the report (sampler, optimizer, data...). */
  config?: Record<string, unknown>;
}

export interface ReportImage {
  /** Path relative to the run folder. */
  file: string;
  caption: string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Collects a training run's events and writes its run folder: `curves.png`, `metrics.json` and
 * `report.html` that shows the pictures, curves and metrics together.
 */
export class RunReport {
  readonly steps: StepEvent[] = [];
  readonly notes: string[] = [];
  /** The training watch's warnings ("chains are not reaching the data: …"), with their iteration. */
  readonly warnings: string[] = [];
  /** Where a run stopped by its signal ended, and why. */
  stopped: { iteration: number; reason?: string } | undefined;
  private readonly t0 = performance.now();

  constructor(
    readonly dir: string,
    readonly info: RunInfo,
  ) {}

  /** Records what the report needs from a training event. */
  record(e: TrainEvent): void {
    if (e.type === 'step') this.steps.push(e);
    if (e.type === 'step' && e.warning) this.warnings.push(`Iteration ${e.iteration}: ${e.warning}.`);
    if (e.type === 'done' && e.aborted) this.stopped = { iteration: e.iteration, ...(e.reason ? { reason: e.reason } : {}) };
    if (e.type === 'diverged') this.notes.push(`Iteration ${e.iteration}: ${e.reason}; rolled back to ${e.rolledBackTo} with learning rate ${e.learningRate.toPrecision(3)} and step size ${e.stepSize.toPrecision(3)}.`);
  }

  /** Seconds since the report was created. */
  get seconds(): number {
    return (performance.now() - this.t0) / 1000;
  }

  async writePng(name: string, raster: Raster): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, name);
    await writeFile(path, raster.toPng());
    return path;
  }

  /**
   * `curves.png`: loss, energy gap, gradient norms, sample variance and the chains' reach and
   * diversity against the iteration; and beside it `training.csv`, the numbers behind them (one
   * row per update, the step events' statistics and the watch's warnings) for plotting elsewhere.
   */
  async writeCurves(name = 'curves.png'): Promise<string> {
    await this.writeTrainingCsv();
    const panels = curvePanels(this.steps);
    const W = 900;
    const H = 280 * Math.ceil(panels.length / 2);
    const r = new Raster(W, H);
    panels.forEach((p, i) => {
      const rect = { x: (i % 2) * (W / 2), y: Math.floor(i / 2) * 280, w: W / 2, h: 280 };
      linePanel(r, rect, { title: p.title, xLabel: 'iteration', series: p.series.map((q) => ({ label: q.label, xs: q.xs, ys: q.ys, color: q.color })) });
    });
    return this.writePng(name, r);
  }

  /** `training.csv`: one row per update; columns are the step statistics any update reported. */
  async writeTrainingCsv(name = 'training.csv'): Promise<string | undefined> {
    if (this.steps.length === 0) return undefined;
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, name);
    await writeFile(path, trainingCsv(this.steps));
    return path;
  }

  /** `metrics.json`: task, quick, seconds, seed and the given numbers. */
  async writeMetrics(metrics: Metrics, name = 'metrics.json'): Promise<Metrics> {
    await mkdir(this.dir, { recursive: true });
    const all: Metrics = { task: this.info.task, quick: this.info.quick, seconds: Number(this.seconds.toFixed(2)), seed: this.info.seed, ...metrics };
    await writeFile(join(this.dir, name), `${JSON.stringify(all, null, 2)}\n`);
    return all;
  }

  /**
   * `report.html`: the run mode and settings in words, the pictures, every metric with its meaning,
   * direction, baseline, ratio and a mark when worse than its baseline (`infos`), the training
   * curves as SVG, divergence notes and the raw settings. Self-contained but for the PNGs.
   */
  async writeHtml(images: ReportImage[], metrics: Metrics, infos: MetricInfos = {}, name = 'report.html'): Promise<string> {
    const shown = Object.fromEntries(Object.entries(metrics).filter(([k]) => !['task', 'quick', 'seconds', 'seed'].includes(k)));
    // The training curves are drawn as SVG below; curves.png stays in the folder for file readers.
    const curves = images.find((i) => i.file === 'curves.png');
    const figs = images.filter((i) => i !== curves).map((i) => `<figure><img src="${esc(i.file)}" alt="${esc(i.caption)}"><figcaption>${esc(i.caption)}</figcaption></figure>`).join('\n');
    const last = this.steps[this.steps.length - 1];
    const mode = this.info.mode ?? (this.info.quick ? 'quick' : undefined);
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(this.info.title)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>${esc(this.info.title)}</h1>
${mode ? `<p class="mode">This is ${esc(MODE_WORDS[mode] ?? mode)}.</p>` : ''}
<p>Task <b>${esc(this.info.task)}</b>, seed ${this.info.seed}; ${this.steps.length} parameter updates${last ? ` in ${last.seconds.toFixed(1)} s of training` : ''}, ${typeof metrics.seconds === 'number' ? `${metrics.seconds.toFixed(1)} s in all` : ''}.</p>
${this.info.summary ? `<p>${esc(this.info.summary)}</p>` : ''}
${this.stopped ? `<p class="mode">Training stopped after update ${this.stopped.iteration}${this.stopped.reason ? `: ${esc(this.stopped.reason)}` : ''}.</p>` : ''}
${this.warnings.length ? `<div class="warn"><b>Training did not go well.</b><ul>${this.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>The samples below may not look like the data; see the training curves.</div>` : ''}
${figs}
<h2>Metrics</h2>
<p>Each number is measured in this run; its baseline is measured in the same run, on the same data.</p>
<table><thead><tr><th>metric</th><th>value</th><th>what it measures</th><th>better</th><th>baseline</th><th>ratio</th><th></th></tr></thead>
<tbody>${metricRows(shown, infos)}</tbody></table>
${this.steps.length ? `<h2>Training</h2><div class="charts">${curveCharts(this.steps)}</div>${curves ? `<p class="caption">${esc(curves.caption)}</p>` : ''}` : ''}
${this.notes.length ? `<h2>Divergence guard</h2><ul>${this.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<h2>Settings</h2>
<details><summary>All settings as data</summary><pre>${esc(JSON.stringify(this.info.config ?? {}, null, 2))}</pre></details>
</body></html>
`;
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, name);
    await writeFile(path, html);
    return resolve(path);
  }
}

/** Step statistics in the order training.csv gives them; only the ones some update reported. */
const CSV_COLUMNS = ['iteration', 'epoch', 'seconds', 'loss', 'energyObs', 'energySyn', 'gap', 'gradNorm', 'chainGradNorm', 'sampleVar', 'nearestDataRatio', 'diversityRatio', 'varianceBound', 'acceptRate', 'generatorLoss', 'revision', 'learningRate', 'stepSize', 'warning'] as const;

/** The step events as CSV (RFC 4180: text quoted, quotes doubled; absent values empty). */
export function trainingCsv(steps: readonly StepEvent[]): string {
  const cols = CSV_COLUMNS.filter((c) => steps.some((e) => e[c] !== undefined));
  const cell = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? `"${v.replace(/"/g, '""')}"` : String(v));
  return `${cols.join(',')}\n${steps.map((e) => cols.map((c) => cell(e[c])).join(',')).join('\n')}\n`;
}
