/**
 * The demo contract's command line, defined once: `<demo> <task> [--data] [--out] [--quick|--smoke]
 * [--seed N] [--strict] [--category NAME] [--up y|z] [--help]`, with its exit codes (0; 2 with one line for bad
 * input; 1 with the stack for a bug), the run folder checked before any work, the metrics printed
 * as JSON and the report's absolute path as the last line. Each demo gives only its tasks, its data
 * and its settings.
 */
import { rmdir } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { initBackend, type Metrics } from '@ebm/core';
import { InputError } from './errors';
import { listenForInterrupt } from './interrupt';
import { runCli } from './run-cli';
import { prepareRunFolder, resolveOut } from './run-folder';

export type Mode = 'smoke' | 'quick' | 'full';

/** What every task gets from the command line. */
export interface RunContext {
  task: string;
  mode: Mode;
  seed: number;
  /** The run folder (absolute, created). */
  out: string;
  /** --data, when given. */
  data?: string;
  /** --category, or the demo's default (demos with categories). */
  category: string;
  /** --category given with --data, in demos whose data files name their classes (`category.withData`): the class to read. */
  dataCategory?: string;
  /** --strict: stop at the first --data file that cannot be read instead of skipping it. */
  strict: boolean;
  /** --up: which axis of the --data files points up (3-D demos); 'y' unless given. */
  up: 'y' | 'z';
  /** --limit: read at most this many models of a --data folder (an even spread); the demo's default for its mode unless given; undefined: every one. */
  limit?: number;
  /** The tfjs backend in use. */
  backend: string;
  /** Aborted by the first Ctrl-C (`listenForInterrupt`): pass it to trainers, so a long run stops after its current update and still writes its report. */
  signal: AbortSignal;
}

export interface TaskResult {
  /** Absolute path of report.html. */
  html: string;
  metrics: Metrics;
}

export interface DemoDefinition {
  /** The command's name, the prefix of its one-line errors: `demo-voxel`. */
  name: string;
  tasks: Record<string, { help: string; run: (ctx: RunContext) => Promise<TaskResult> }>;
  /** --data: its argument (`DIR`, `FILE`) and help (lines after the first are indented). */
  data: { arg: string; help: string };
  /** --category, for demos with built-in categories. */
  category?: {
    values: readonly string[];
    default: string;
    help: string;
    notFor?: readonly string[];
    /** With --data, --category names a class of the data (free-form, checked by the demo); this is its help. Without it, --category applies only without --data. */
    withData?: string;
  };
  /** Help of --quick and of a full run (without --quick or --smoke). */
  modes: { quick: string; full: string };
  /** Offer --strict (demos that read folders of files); default true. */
  strict?: boolean;
  /** Offer --up y|z (3-D demos: which axis of the --data files points up); its help. */
  up?: string;
  /** Offer --limit N (demos that read folders of models): its help, and the models read without it per mode (absent: every one). */
  limit?: { help: string; default: Partial<Record<Mode, number>> };
}

/**
 * Models the 3-D demos read of a --data folder unless --limit says otherwise: a --quick run trains
 * on a few thousand shape presentations, so a catalogue of 7000 ShapeNet chairs would cost most
 * of the run in reading alone; an even spread of 300 keeps the variety.
 */
export const SHAPE_LIMIT = { smoke: 32, quick: 300, full: 3000 } as const;

/** The --limit option of a demo whose --data folders hold one shape per model file. */
export const shapeLimit = (what: string) => ({
  help: `read at most N ${what} files of a --data folder, an even spread over it (default ${SHAPE_LIMIT.smoke} for\n--smoke, ${SHAPE_LIMIT.quick} for --quick, ${SHAPE_LIMIT.full} for a full run; 0: every one)`,
  default: SHAPE_LIMIT,
});

const COL = 17;
const opt = (flag: string, help: string) => `  ${flag.padEnd(COL)}${help.split('\n').join(`\n${' '.repeat(COL + 2)}`)}`;

/** The --help text of a demo. */
export function helpText(d: DemoDefinition): string {
  const width = Math.max(...Object.keys(d.tasks).map((t) => t.length)) + 3;
  const lines = [
    `Usage: ${d.name} <task> [options]`,
    '',
    'Tasks:',
    ...Object.entries(d.tasks).map(([t, { help }]) => `  ${t.padEnd(width)}${help}`),
    '',
    'Options:',
    opt(`--data ${d.data.arg}`, d.data.help),
    ...(d.category ? [opt('--category NAME', `${d.category.help}: ${d.category.values.join(', ')} (default ${d.category.default})${d.category.withData ? `;\n${d.category.withData}` : ''}`)] : []),
    ...(d.up ? [opt('--up y|z', d.up)] : []),
    opt('--out DIR', 'run folder; default runs/<task>-<timestamp>; a relative path is taken from where you run the command'),
    opt('--quick', d.modes.quick),
    opt('--smoke', 'a few updates, to check the pipeline (seconds)'),
    opt('--seed N', 'seed of every random choice; default 0'),
    ...(d.strict === false ? [] : [opt('--strict', 'stop at the first --data file that cannot be read (default: skip it with a warning)')]),
    ...(d.limit ? [opt('--limit N', d.limit.help)] : []),
    opt('--help', 'this text'),
    `Without --quick or --smoke ${d.modes.full}`,
  ];
  return lines.join('\n');
}

/** Parses the command line into a run context (creating the run folder), or returns undefined for --help. */
export async function parseDemoArgs(d: DemoDefinition, argv: string[]): Promise<Omit<RunContext, 'signal'> | undefined> {
  const options: ParseArgsConfig['options'] = { data: { type: 'string' }, out: { type: 'string' }, quick: { type: 'boolean' }, smoke: { type: 'boolean' }, seed: { type: 'string' }, help: { type: 'boolean' } };
  if (d.category) options.category = { type: 'string' };
  if (d.strict !== false) options.strict = { type: 'boolean' };
  if (d.limit) options.limit = { type: 'string' };
  if (d.up) options.up = { type: 'string' };
  const { values, positionals } = parseArgs({
    // `pnpm start -- synthesize --quick` forwards the separator itself.
    args: argv[0] === '--' ? argv.slice(1) : argv,
    allowPositionals: true,
    options,
  });
  const v = values as Record<string, string | boolean | undefined>;
  if (v.help) {
    console.log(helpText(d));
    return undefined;
  }
  const names = Object.keys(d.tasks).join(', ');
  const task = positionals[0];
  if (task === undefined || !(task in d.tasks)) throw new InputError(task ? `unknown task "${task}" (tasks: ${names}; see --help)` : `no task given (tasks: ${names}; see --help)`);
  if (positionals.length > 1) throw new InputError(`unexpected argument "${positionals[1]}" (see --help)`);
  const seed = v.seed === undefined ? 0 : Number(v.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new InputError(`--seed must be a non-negative integer, got "${v.seed}"`);
  if (v.quick && v.smoke) throw new InputError('--quick and --smoke exclude each other');
  const category = v.category as string | undefined;
  if (d.category && category !== undefined) {
    if (d.category.notFor?.includes(task)) throw new InputError(`--category does not apply to ${task} (it uses every category, or the classes of --data)`);
    if (!(d.category.withData && v.data !== undefined) && !d.category.values.includes(category)) throw new InputError(`unknown --category "${category}" (${d.category.values.join(', ')})`);
  }
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new InputError(`--limit must be a non-negative integer, got "${v.limit}"`);
  if (limit !== undefined && v.data === undefined) throw new InputError('--limit applies to a --data folder');
  const up = v.up ?? 'y';
  if (up !== 'y' && up !== 'z') throw new InputError(`--up must be y or z, got "${v.up}"`);
  if (v.up !== undefined && v.data === undefined) throw new InputError('--up applies to --data files (the built-in shapes stand on y)');
  const out = resolveOut(v.out as string | undefined, task);
  // A bad --out fails now, in one line, not after training.
  await prepareRunFolder(out);
  const backend = await initBackend();
  // With --data in a demo whose data names its classes, --category is one of those classes.
  const dataCategory = d.category?.withData && v.data !== undefined ? category : undefined;
  const mode: Mode = v.smoke ? 'smoke' : v.quick ? 'quick' : 'full';
  // --limit 0: every model; without --limit, the demo's default for the mode.
  const readLimit = limit === 0 ? undefined : (limit ?? d.limit?.default[mode]);
  return { task, mode, seed, out, ...(v.data !== undefined && readLimit !== undefined ? { limit: readLimit } : {}), data: v.data as string | undefined, category: (dataCategory === undefined ? category : undefined) ?? d.category?.default ?? '', ...(dataCategory !== undefined ? { dataCategory } : {}), strict: Boolean(v.strict), up, backend: backend.backend };
}

/** A demo's main: runs the task, prints the metrics as JSON and, last, where the report is. */
export function demoMain(d: DemoDefinition): (argv: string[]) => Promise<number> {
  return async (argv) => {
    const args = await parseDemoArgs(d, argv);
    if (!args) return 0;
    const interrupt = listenForInterrupt();
    const ctx: RunContext = { ...args, signal: interrupt.signal };
    const { html, metrics } = await d.tasks[ctx.task]!.run(ctx)
      .catch(async (e: unknown) => {
        // A run that failed before writing anything (a bad --data folder, say) leaves no empty run
        // folder behind; rmdir removes only an empty one.
        await rmdir(ctx.out).catch(() => {});
        throw e;
      })
      .finally(() => interrupt.dispose());
    console.log(JSON.stringify(metrics));
    // The last line: where the report is, as an absolute path to open.
    console.error(`report: ${html}`);
    return 0;
  };
}

/** Runs a demo from the process's arguments with the contract's exit codes. */
export function startDemo(d: DemoDefinition): void {
  runCli(d.name, demoMain(d));
}
