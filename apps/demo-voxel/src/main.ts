/**
 * demo-voxel: the 3D DescriptorNet (Xie et al., CVPR 2018) on voxel shapes — synthesis, recovery,
 * super-resolution and classification, each learned by maximum likelihood with Langevin chains on
 * the onnx runtime and scored against a baseline from the same run (the demo contract: each
 * demo's README).
 *
 *   pnpm --filter @ebm/demo-voxel start -- <task> [--data DIR] [--category chair] [--out DIR] [--quick|--smoke] [--seed N]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, InputError, prepareRunFolder, runCli } from '@ebm/core';
import type { TaskContext, TaskResult } from './context';
import { classify } from './tasks/classify';
import { recover } from './tasks/recover';
import { superres } from './tasks/superres';
import { synthesize } from './tasks/synthesize';

const TASKS: Record<string, (ctx: TaskContext) => Promise<TaskResult>> = { synthesize, recover, superres, classify };

const HELP = `Usage: demo-voxel <task> [options]

Tasks:
  synthesize   learn the shapes of one category and synthesize new ones
  recover      learn to fill in shapes of the category with 70% of their voxels hidden; score on unseen ones
  superres     learn to upsample 16³ shapes of the category to 32³; score on unseen ones
  classify     learn one descriptor on shapes of several classes; classify held-out shapes from its features

Options:
  --data DIR       synthesize/recover/superres: a folder of .binvox/.npy voxel files or .obj/.stl/.off/.ply
                   meshes of one category (recover and superres hold out its last quarter);
                   classify: one subfolder per class (with train/ and test/ inside, or a quarter held out).
                   Default: procedural shapes made by @ebm/voxel
  --category NAME  procedural category without --data: chair, table, torus, cup (default chair)
  --out DIR        run folder; default runs/<task>-<timestamp>
  --quick          a run of about 5 minutes on 2 CPU cores (16³ grids; superres 16³ → 32³)
  --smoke          a few updates, to check the pipeline (seconds)
  --seed N         seed of every random choice; default 0
  --strict         stop at the first --data file that cannot be read (default: skip it with a warning)
  --help           this text
Without --quick or --smoke the full run trains on 32³ grids (tens of minutes to hours on a CPU).`;

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
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  // A relative --out is the user's: resolved against the directory they ran the command from
  // (pnpm runs scripts in the app's folder and passes the caller's in INIT_CWD).
  const out = values.out !== undefined ? resolve(process.env.INIT_CWD ?? process.cwd(), values.out) : join('runs', `${task}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  // A bad --out fails now, in one line, not after training.
  await prepareRunFolder(out);
  const backend = await initBackend();
  const { html, metrics } = await TASKS[task]!({ mode, seed, out, data: values.data, category: values.category ?? 'chair', backend: backend.backend, strict: values.strict ?? false });
  console.log(JSON.stringify(metrics));
  // The last line: where the report is, as an absolute path to open.
  console.error(`report: ${html}`);
  return 0;
}

runCli('demo-voxel', main);
