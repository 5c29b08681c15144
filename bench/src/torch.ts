/** The PyTorch peer: Debian's python3-torch, driven line by line through bench/torch_worker.py. */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

// Debian's system python (where python3-torch lives), not whichever python3 is first on PATH.
export const PYTHON = '/usr/bin/python3';

const hasTorch = () => existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/**
 * Makes sure PyTorch is importable, installing Debian's python3-torch and OpenBLAS with apt-get
 * when it is missing and this process may. Returns why it is unavailable, or undefined.
 */
export function ensureTorch(log: (s: string) => void): string | undefined {
  if (hasTorch()) return undefined;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return 'PyTorch is not installed and this process cannot apt-get install python3-torch (needs root on Debian)';
  }
  log('PyTorch (Debian python3-torch) is missing: installing it and OpenBLAS with apt-get (a few minutes)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-torch', 'libopenblas0-pthread'], { stdio: 'inherit', env });
  if (r.status !== 0 || !hasTorch()) return `apt-get install python3-torch failed (exit ${r.status})`;
  return undefined;
}

export interface TorchReply {
  ms?: number;
  peak_rss_mb?: number;
  torch?: string;
  blas?: string;
  threads?: number;
}

/** A running torch worker; `ask` sends one request and resolves with its reply. */
export class TorchWorker {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiting: ((r: TorchReply) => void)[] = [];

  constructor(script: string, threads: number) {
    this.proc = spawn(PYTHON, [script], { env: { ...process.env, BENCH_THREADS: String(threads), OMP_NUM_THREADS: String(threads) } });
    createInterface({ input: this.proc.stdout }).on('line', (l) => this.waiting.shift()?.(JSON.parse(l) as TorchReply));
    this.proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[torch] ${d}`));
  }

  ask(req: Record<string, string>): Promise<TorchReply> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.proc.stdin.write(`${JSON.stringify(req)}\n`);
    });
  }

  close(): void {
    this.proc.stdin.end();
  }
}
