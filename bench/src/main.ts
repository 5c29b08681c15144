/**
 * pnpm bench: one Langevin step (energy + ∇x + update) and one MLE parameter step (gradients of
 * mean U(obs) − mean U(syn) for an observed and a synthesized batch) on the four reference nets,
 * on ebm's onnx and tfjs runtimes and on PyTorch CPU, interleaved in one run; medians after warm-up.
 * Writes bench/results/latest.json and the table in docs/performance.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createNet, gaussianArray, initBackend, mleGradients, netEnergy, onnxRuntime, tf, type Energy, type Tensor } from '@ebm/core';
import { NETS } from './nets';
import { profileNet } from './profile';
import { updateMarkdown, type Row } from './render';
import { ensureTorch, TorchWorker } from './torch';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const STEP = 0.01;
const REF_SIGMA = 1;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const log = (s: string) => process.stderr.write(`${s}\n`);

/**
 * One canonical Langevin step as the sampler takes it: in one call where the runtime fuses the
 * step (onnx), else ∇x U from the runtime and the update in tfjs. Noise is part of the step.
 */
async function langevinStep(energy: Energy, x: Tensor, seed: number): Promise<number> {
  const t = performance.now();
  const noise = gaussianArray(x.size, seed);
  if (energy.langevinStep) {
    const r = await energy.langevinStep(x, { stepSize: STEP, noiseScale: 1, refSigma: REF_SIGMA, noise });
    await r.x.data();
    const ms = performance.now() - t;
    [r.x, r.energy, r.gradNorm].forEach((z) => z.dispose());
    return ms;
  }
  const { energy: u, grad } = await energy.energyAndGrad(x);
  const next = tf.tidy(() => tf.add(tf.sub(x, tf.mul(0.5 * STEP * STEP, tf.add(grad, tf.div(x, REF_SIGMA ** 2)))), tf.mul(STEP, tf.tensor(noise, x.shape))));
  await next.data();
  const ms = performance.now() - t;
  [u, grad, next].forEach((z) => z.dispose());
  return ms;
}

async function paramStep(energy: Energy, obs: Tensor, syn: Tensor): Promise<number> {
  const t = performance.now();
  const { grads } = await mleGradients(energy, obs, syn);
  const ms = performance.now() - t;
  Object.values(grads).forEach((g) => g.dispose());
  return ms;
}

interface Options {
  reps: number;
  threads: number;
  tfjsParam: boolean;
  inputGrad: string;
  weightGrad: string;
}

/**
 * One row: `op` of one net on one runtime, ebm and PyTorch interleaved. The caller runs each row
 * in a fresh pair of processes, so both peak RSS figures are the row's own.
 */
async function measureRow(bench: (typeof NETS)[number], runtime: string, op: 'langevin' | 'param', o: Options, torch: TorchWorker | undefined): Promise<Row> {
  const shape = [bench.batch, ...bench.spec.input];
  const obs = tf.randomNormal(shape, 0, 1, 'float32', 1);
  const syn = tf.randomNormal(shape, 0, 1, 'float32', 2);
  const net = createNet(bench.spec, { seed: 0, runtime: runtime === 'onnx' ? onnxRuntime({ threads: o.threads, convInputGrad: o.inputGrad as 'auto', convWeightGrad: o.weightGrad as 'auto' }) : 'tfjs' });
  const energy = netEnergy(net);
  const ours: number[] = [];
  const peer: number[] = [];
  let peerRss: number | undefined;
  const n = runtime === 'tfjs' ? 5 : o.reps;
  log(`${bench.name} ${op} ${runtime}: warm-up, then ${n} interleaved reps`);
  // Warm-up: session creation, allocator growth, torch's first-call setup.
  const once = () => (op === 'langevin' ? langevinStep(energy, obs, ours.length) : paramStep(energy, obs, syn));
  await once();
  if (runtime === 'onnx') await once();
  await torch?.ask({ net: bench.name, op });
  for (let r = 0; r < n; r++) {
    ours.push(await once());
    if (torch) {
      const reply = await torch.ask({ net: bench.name, op });
      peer.push(reply.ms!);
      peerRss = reply.peak_rss_mb;
    }
  }
  net.dispose();
  [obs, syn].forEach((t) => t.dispose());
  const m = median(ours);
  const p = peer.length ? median(peer) : null;
  const row: Row = {
    net: bench.name,
    op,
    runtime,
    ours_ms: round(m),
    torch_ms: p === null ? null : round(p),
    ratio: p === null ? null : round(m / p, 3),
    ours_peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
    ...(peerRss !== undefined ? { torch_peak_rss_mb: round(peerRss) } : {}),
  };
  log(`  ours ${row.ours_ms} ms, torch ${row.torch_ms ?? '-'} ms, ratio ${row.ratio ?? '-'}`);
  return row;
}

/** A row measured by this script in a child process (`--row net,runtime,op`), read back from its JSON. */
function rowInChild(args: string[], net: string, runtime: string, op: string, peer: boolean): Row {
  const dir = mkdtempSync(join(tmpdir(), 'ebm-bench-'));
  const out = join(dir, 'row.json');
  try {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...args, '--row', `${net},${runtime},${op}`, '--row-out', out, ...(peer ? [] : ['--no-peer'])], { stdio: ['ignore', 'inherit', 'inherit'] });
    return JSON.parse(readFileSync(out, 'utf8')) as Row;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // `pnpm bench -- --nets image` forwards the separator itself.
  const argv = process.argv.slice(2);
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args,
    options: {
      nets: { type: 'string', default: NETS.map((n) => n.name).join(',') },
      runtimes: { type: 'string', default: 'onnx,tfjs' },
      reps: { type: 'string', default: '7' },
      threads: { type: 'string', default: '2' },
      'tfjs-param': { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'results', 'latest.json') },
      doc: { type: 'string', default: join(ROOT, '..', 'docs', 'performance.md') },
      profile: { type: 'boolean', default: false },
      'input-grad': { type: 'string', default: 'auto' },
      'weight-grad': { type: 'string', default: 'auto' },
      // Internal: measure one row in this process and write it as JSON.
      row: { type: 'string' },
      'row-out': { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  if (values.profile) {
    // ms per call by ONNX op type, for the onnx runtime's two hot graphs.
    for (const bench of NETS.filter((n) => values.nets!.split(',').includes(n.name))) {
      console.log(JSON.stringify({ net: bench.name, ms_by_op: await profileNet(bench, Number(values.threads), { convInputGrad: values['input-grad'] as 'auto', convWeightGrad: values['weight-grad'] as 'auto' }) }));
    }
    return;
  }
  const options: Options = { reps: Math.max(5, Number(values.reps)), threads: Number(values.threads), tfjsParam: values['tfjs-param']!, inputGrad: values['input-grad']!, weightGrad: values['weight-grad']! };
  if (values.row) {
    const [name, runtime, op] = values.row.split(',') as [string, string, 'langevin' | 'param'];
    const bench = NETS.find((n) => n.name === name);
    if (!bench || !['onnx', 'tfjs'].includes(runtime) || !['langevin', 'param'].includes(op)) throw new Error(`--row ${values.row}: expected net,runtime,op`);
    await initBackend();
    const torch = values['no-peer'] ? undefined : new TorchWorker(join(ROOT, 'torch_worker.py'), options.threads);
    const row = await measureRow(bench, runtime, op, options, torch);
    torch?.close();
    await writeFile(values['row-out']!, JSON.stringify(row));
    return;
  }
  const why = ensureTorch(log);
  if (why) log(`PyTorch unavailable: ${why}. Reporting ebm's times without the peer (ratio null).`);
  const torch = why ? undefined : new TorchWorker(join(ROOT, 'torch_worker.py'), options.threads);
  const info = torch ? await torch.ask({ op: 'info' }) : {};
  torch?.close();
  if (torch) log(`peer: torch ${info.torch}, ${info.threads} threads, BLAS ${info.blas}`);
  const rows: Row[] = [];
  for (const bench of NETS.filter((n) => values.nets!.split(',').includes(n.name))) {
    for (const runtime of values.runtimes!.split(',')) {
      for (const op of ['langevin', 'param'] as const) {
        if (runtime === 'tfjs' && op === 'param' && !options.tfjsParam) rows.push({ net: bench.name, op, runtime, ours_ms: null, torch_ms: null, ratio: null, note: 'skipped: a tfjs-cpu parameter step takes ~30 s (pointnet) to minutes (conv nets); pass --tfjs-param' });
        else rows.push(rowInChild(args, bench.name, runtime, op, torch !== undefined));
      }
    }
  }
  const meta = { date: new Date().toISOString(), node: process.version, threads: options.threads, reps: options.reps, torch: info.torch ?? null, blas: info.blas ?? null, cpu: cpuModel() };
  await mkdir(dirname(values.out!), { recursive: true });
  await writeFile(values.out!, `${JSON.stringify(rows, null, 2)}\n`);
  await writeFile(join(dirname(values.out!), 'latest.meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
  const existing = await readFile(values.doc!, 'utf8').catch(() => undefined);
  await writeFile(values.doc!, updateMarkdown(existing, rows, meta));
  log(`wrote ${values.out} and ${values.doc}`);
}

const round = (v: number, d = 1) => Number(v.toFixed(d));

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
