import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { EbmError, log } from '@ebm/core';
import type { RunContext } from './demo';
import { InputError } from './errors';

export interface DataFolder<T> {
  /** What was read, in path order (with a limit, the models read in place of unreadable ones last). */
  items: T[];
  /** The file each item came from. */
  files: string[];
  /** Files that could not be used, with why. */
  skipped: { file: string; reason: string }[];
  /** Models in the folder, when a limit read fewer of them. */
  available?: number;
}

export interface ReadDataFolderOptions {
  /** Stop at the first file that cannot be read instead of skipping it; default false. */
  strict?: boolean;
  /** What the files hold, for messages ("shapes", "clouds"); default "files". */
  what?: string;
  /**
   * Read at most this many models: of a larger folder, an even spread over its models in path
   * order (so a catalogue sorted by class or source is sampled across), said in a log line; a
   * model of the spread that cannot be read is replaced by the next unread one in path order.
   * Default: every model.
   */
  limit?: number;
}

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Every file under dir, recursively (hidden entries and tool folders such as __MACOSX skipped), sorted by path. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (d: string): Promise<void> => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!e.name.startsWith('__')) await visit(p);
      }
      else if (e.isFile()) out.push(p);
    }
  };
  await visit(dir);
  return out;
}

/**
 * The data files of a folder as users keep them: searched recursively, so one folder per model
 * (ShapeNet-like `chair/<id>/model.obj` beside its .mtl and textures) and ModelNet-like
 * `class/train/*.off` both work as they are. Only `extensions` are read (in their order of
 * preference: of several files of one model — same folder, same name before the first dot, such as
 * `model_normalized.obj` and `model_normalized.solid.binvox` — the preferred one, and the next
 * when `load` refuses it). A model none of whose files `load` takes (it refuses with a typed error)
 * is skipped with a warning naming its preferred file and why (`strict`: the first one
 * stops the run); a folder with no usable file is an InputError.
 * @throws InputError naming the folder when it cannot be read or holds nothing usable.
 */
export async function readDataFolder<T>(dir: string, extensions: readonly string[], load: (file: string) => Promise<T>, options: ReadDataFolderOptions = {}): Promise<DataFolder<T>> {
  const what = options.what ?? 'files';
  const st = await stat(dir).catch((e: unknown) => {
    throw new InputError(`${dir}: cannot read the folder (${code(e)})`);
  });
  if (!st.isDirectory()) throw new InputError(`${dir}: is not a folder`);
  const found = await walk(dir).catch((e: unknown) => {
    throw new InputError(`${dir}: cannot read the folder (${code(e)})`);
  });
  const all = found.filter((f) => extensions.includes(extname(f).toLowerCase()));
  // One file per model: of the files of one folder sharing a stem, the preferred extension first;
  // the others are tried in turn when it cannot be read (a damaged .binvox beside a good .obj).
  const models = new Map<string, string[]>();
  const rank = (f: string) => extensions.indexOf(extname(f).toLowerCase());
  for (const f of all) {
    const key = join(dirname(f), basename(f).split('.')[0]!);
    models.set(key, [...(models.get(key) ?? []), f]);
  }
  const everyModel = [...models.values()].map((g) => g.sort((a, b) => rank(a) - rank(b)));
  if (everyModel.length === 0) throw new InputError(`${dir}: no ${what} files (${extensions.join(', ')}), searched recursively${otherTypes(found)}`);
  // With a limit: the even spread first, then, in place of a model that cannot be read, the others in path order.
  const wanted = Math.min(options.limit ?? Infinity, everyModel.length);
  const groups = spreadFirst(everyModel, wanted);
  if (wanted < everyModel.length) log('info', `${dir}: reading ${wanted} of its ${everyModel.length} ${what} files, an even spread over the folder (--limit N reads more or fewer)`);
  const out: DataFolder<T> = { items: [], files: [], skipped: [], ...(wanted < everyModel.length ? { available: everyModel.length } : {}) };
  const started = performance.now();
  let reported = started;
  for (const group of groups) {
    if (out.items.length === wanted) break;
    // Reading thousands of meshes takes minutes: say how far it got every 10 s.
    if (performance.now() - reported > 10_000) {
      reported = performance.now();
      log('info', `${dir}: read ${out.items.length} of ${wanted} ${what} files (${Math.round((reported - started) / 1000)} s)`);
    }
    let first: { file: string; reason: string } | undefined;
    for (const f of group) {
      try {
        out.items.push(await load(f));
        out.files.push(f);
        if (first) log('warn', `read ${relative(dir, f) || f} instead of ${relative(dir, first.file) || first.file} (${first.reason})`);
        first = undefined;
        break;
      } catch (e) {
        // Only refusals on purpose (typed errors naming the file) are skipped; bugs still surface.
        if (options.strict || !(e instanceof EbmError)) throw e;
        const reason = (e as Error).message.startsWith(f) ? (e as Error).message.slice(f.length).replace(/^:\s*/, '') : (e as Error).message;
        first ??= { file: f, reason };
      }
    }
    if (first) {
      out.skipped.push(first);
      log('warn', `skipped ${relative(dir, first.file) || first.file}: ${first.reason}${group.length > 1 ? ` (and ${group.length - 1} other file${group.length > 2 ? 's' : ''} of the same model)` : ''}`);
    }
  }
  if (out.items.length === 0) throw new InputError(`${dir}: none of its ${everyModel.length} ${what} files could be used (first: ${out.skipped[0]!.file}: ${out.skipped[0]!.reason})`);
  return out;
}

/** The list reordered: `n` items evenly spread over it first, then the others in their order. */
function spreadFirst<T>(items: T[], n: number): T[] {
  if (n >= items.length) return items;
  const picked = new Set(Array.from({ length: n }, (_, i) => Math.floor((i * items.length) / n)));
  return [...[...picked].map((i) => items[i]!), ...items.filter((_, i) => !picked.has(i))];
}

/**
 * The items of `--data PATH` where one file may hold several (a stacked .npy array of shapes):
 * a folder as `readDataFolder` reads it, or one file of `extensions`. `files` has one entry per
 * item (the file it came from). A single file that cannot be read is an InputError: there is
 * nothing to skip to.
 * @throws InputError naming the path when it cannot be read or holds nothing usable.
 */
export async function readDataPath<T>(path: string, extensions: readonly string[], load: (file: string) => Promise<T[]>, options: ReadDataFolderOptions = {}): Promise<DataFolder<T>> {
  const st = await stat(path).catch((e: unknown) => {
    throw new InputError(`${path}: cannot read the file or folder (${code(e)})`);
  });
  if (st.isDirectory()) {
    const d = await readDataFolder(path, extensions, load, options);
    return { ...d, items: d.items.flat(), files: d.files.flatMap((f, i) => d.items[i]!.map(() => f)) };
  }
  if (!extensions.includes(extname(path).toLowerCase())) throw new InputError(`${path}: not a folder or a ${options.what ?? 'data'} file (${extensions.join(', ')})`);
  const items = await load(path).catch((e: unknown) => {
    throw e instanceof EbmError && !(e instanceof InputError) ? new InputError(e.message) : e;
  });
  return { items, files: items.map(() => path), skipped: [] };
}

/** How a demo reads --data files: --strict (stop at the first unreadable one), --up (which axis points up in them) and --limit (how many models of a folder). */
export type ReadOptions = Pick<RunContext, 'strict' | 'up' | 'limit'>;
export const DEFAULT_READ: ReadOptions = { strict: false, up: 'y' };

/** "; it holds 3 .bmp, 1 .webp" for a folder without a usable file: says what the user has instead. */
function otherTypes(files: string[]): string {
  if (files.length === 0) return '; it holds no files';
  const count = new Map<string, number>();
  for (const f of files) {
    const e = extname(f).toLowerCase() || '(no extension)';
    count.set(e, (count.get(e) ?? 0) + 1);
  }
  const top = [...count].sort((a, b) => b[1] - a[1]);
  return `; it holds ${top.slice(0, 5).map(([e, n]) => `${n} ${e}`).join(', ')}${top.length > 5 ? ', …' : ''}`;
}

/** "12 shapes from DIR (2 files skipped)" for run summaries. */
export function describeFolder(dir: string, d: DataFolder<unknown>, what: string): string {
  const notes = [...(d.available ? [`an even spread of ${d.available} files`] : []), ...(d.skipped.length ? [`${d.skipped.length} unreadable file${d.skipped.length > 1 ? 's' : ''} skipped`] : [])];
  return `${d.items.length} ${what} from ${dir}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
