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
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4));

/**
 * Progress of a long run: a bar (cli-progress) on a terminal, otherwise one plain line every
 * `every` steps so logs stay readable in CI.
 */
export class Progress {
  private readonly bar?: cliProgress.SingleBar;
  private readonly stream: NodeJS.WriteStream;
  private readonly every: number;
  private readonly t0 = performance.now();
  private last = 0;

  constructor(private readonly o: ProgressOptions) {
    this.stream = o.stream ?? process.stderr;
    this.every = Math.max(1, o.every ?? Math.ceil(o.total / 20));
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
    else if (step - this.last >= this.every || step === this.o.total) {
      this.last = step;
      const s = ((performance.now() - this.t0) / 1000).toFixed(1);
      this.stream.write(`${this.o.label ?? 'train'} ${step}/${this.o.total} ${stats} ${s}s\n`);
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
