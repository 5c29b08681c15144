/**
 * demo-pointcloud: Generative PointNet (Xie et al., CVPR 2021) on point clouds — generation,
 * reconstruction, interpolation and classification, each learned by maximum likelihood with
 * short-run Langevin chains on the onnx runtime and scored against baselines from the same run
 * (the demo contract: each demo's README).
 *
 *   pnpm --filter @ebm/demo-pointcloud start -- <task> [--data DIR] [--category bunny] [--out DIR] [--quick|--smoke] [--seed N]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, InputError, prepareRunFolder, runCli } from '@ebm/core';
import type { TaskContext, TaskResult } from './context';
import { CATEGORIES } from './data';
import { classify } from './tasks/classify';
import { generate } from './tasks/generate';
import { interpolate } from './tasks/interpolate';
import { reconstruct } from './tasks/reconstruct';

const TASKS: Record<string, (ctx: TaskContext) => Promise<TaskResult>> = { generate, reconstruct, interpolate, classify };

const HELP = `Usage: demo-pointcloud <task> [options]

Tasks:
  generate     learn clouds of one category and generate new ones from noise
  reconstruct  learn them, then reconstruct held-out clouds by inferring the chain's initial noise
  interpolate  learn them, then walk between two initial noises (a strip of renders)
  classify     learn one energy on clouds of several classes; classify held-out clouds from its features

Options:
  --data DIR       generate/reconstruct/interpolate: a folder of .ply/.off/.xyz clouds or .obj/.stl/.off/.ply
                   meshes (sampled) of one category, a quarter held out; classify: one subfolder per
                   class (with train/ and test/ inside, or a quarter held out).
                   Default: the Stanford bunny (npm stl-models) or procedural shapes
  --category NAME  without --data: ${CATEGORIES.join(', ')} (default bunny)
  --out DIR        run folder; default runs/<task>-<timestamp>
  --quick          256 points, 700 updates: about 5 minutes on 2 CPU cores
  --smoke          a few updates, to check the pipeline (seconds)
  --seed N         seed of every random choice; default 0
  --strict         stop at the first --data file that cannot be read (default: skip it with a warning)
  --help           this text
Without --quick or --smoke the full run trains on 1024 points for 3000 updates.`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    allowPositionals: true,
    options: { data: { type: 'string' }, category: { type: 'string' }, out: { type: 'string' }, quick: { type: 'boolean' }, smoke: { type: 'boolean' }, seed: { type: 'string' }, strict: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const names = Object.keys(TASKS).join(', ');
  const task = positionals[0];
  if (task === undefined || !(task in TASKS)) throw new InputError(task ? `unknown task "${task}" (tasks: ${names}; see --help)` : `no task given (tasks: ${names}; see --help)`);
  if (positionals.length > 1) throw new InputError(`unexpected argument "${positionals[1]}" (see --help)`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`--seed must be a non-negative integer, got "${values.seed}"`);
  if (values.category !== undefined && task === 'classify') throw new InputError('--category does not apply to classify (it uses every category, or the classes of --data)');
  if (values.category !== undefined && !(CATEGORIES as readonly string[]).includes(values.category)) throw new InputError(`unknown --category "${values.category}" (${CATEGORIES.join(', ')})`);
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  // A relative --out is the user's: resolved against the directory they ran the command from
  // (pnpm runs scripts in the app's folder and passes the caller's in INIT_CWD).
  const out = values.out !== undefined ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : join('runs', `${task}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  // A bad --out fails now, in one line, not after training.
  await prepareRunFolder(out);
  const backend = await initBackend();
  const { html, metrics } = await TASKS[task]!({ mode, seed, out, data: values.data, category: values.category ?? 'bunny', backend: backend.backend, strict: values.strict ?? false });
  console.log(JSON.stringify(metrics));
  // The last line: where the report is, as an absolute path to open.
  console.error(`report: ${html}`);
  return 0;
}

runCli('demo-pointcloud', main);
