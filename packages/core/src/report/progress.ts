import cliProgress from 'cli-progress';

export interface ProgressOptions {
  /** Total number of steps. */
  total: number;
  /** Name shown before the bar. */
  label?: string;
  /** Where to draw; default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Without a TTY, print one line every this many steps; default total/20. */
  every?: number;
  /**
   * Without a TTY, also print a line when this many seconds have passed since the last one
   * (default 30), so a run whose steps take seconds says it is alive before total/20 of them.
   */
  everySeconds?: number;
  /** Clock in milliseconds (tests); default performance.now. */
  now?: () => number;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4));

/** Seconds as a short duration: 42s, 3m05s, 2h07m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Progress of a long run: a bar (cli-progress) on a terminal, otherwise plain lines so logs stay
 * readable in CI: after the first step, every `every` steps or `everySeconds` seconds, whichever
 * comes first, and at the end, each with the time so far and an estimate of the time left.
 */
export class Progress {
  private readonly bar?: cliProgress.SingleBar;
  private readonly stream: NodeJS.WriteStream;
  private readonly every: number;
  private readonly everyMs: number;
  private readonly now: () => number;
  private readonly t0: number;
  private last = 0;
  private lastAt: number;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
    this.every = Math.max(1, o.every ?? Math.ceil(o.total / 20));
    this.everyMs = 1000 * (o.everySeconds ?? 30);
    this.now = o.now ?? (() => performance.now());
    this.t0 = this.lastAt = this.now();
    if (this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar(
        { format: `${o.label ?? 'train'} |{bar}| {value}/{total} {stats} eta {eta_formatted}`, stream: this.stream, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(o.total, 0, { stats: '' });
    }
  }

  /** Reports that `step` steps are done, with a few named numbers. */
  update(step: number, fields: Record<string, number> = {}): void {
    const stats = Object.entries(fields)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(' ');
    if (this.bar) this.bar.update(step, { stats });
    else {
      const now = this.now();
      if (!(this.last === 0 || step - this.last >= this.every || now - this.lastAt >= this.everyMs || step === this.o.total)) return;
      this.last = step;
      this.lastAt = now;
      const s = (now - this.t0) / 1000;
      const eta = step > 0 && step < this.o.total ? ` eta ${formatDuration((s / step) * (this.o.total - step))}` : '';
      this.stream.write(`${this.o.label ?? 'train'} ${step}/${this.o.total} ${stats} ${s.toFixed(1)}s${eta}\n`);
    }
  }

  /** Prints a message without breaking the bar. */
  log(message: string): void {
    if (this.bar) this.stream.write(`\r\x1b[K${message}\n`);
    else this.stream.write(`${message}\n`);
  }

  stop(): void {
    this.bar?.stop();
  }
}
