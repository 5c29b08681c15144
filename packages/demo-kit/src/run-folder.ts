import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors';

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/**
 * Checks and creates a run's output folder before any work starts, so a bad `--out` fails in one
 * line instead of after training: it must be a folder (or not exist yet) under a writable one.
 * Creates missing folders one level at a time (no recursive mkdir, which can loop on /proc).
 * @throws InputError naming the path and the problem.
 */
export async function prepareRunFolder(path: string, flag = '--out'): Promise<void> {
  const abs = resolve(path);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    const st = await stat(cur).catch((e: unknown) => {
      if (code(e) === 'ENOENT') return undefined;
      throw new InputError(`${flag} ${path}: cannot use ${cur} (${code(e)})`);
    });
    if (st) {
      if (!st.isDirectory()) throw new InputError(`${flag} ${path}: ${cur === abs ? 'exists and is not a folder' : `${cur} is not a folder`}`);
      break;
    }
    missing.unshift(basename(cur));
    if (dirname(cur) === cur) break;
    cur = dirname(cur);
  }
  await access(cur, constants.W_OK).catch((e) => {
    throw new InputError(`${flag} ${path}: cannot write in ${cur} (${code(e)})`);
  });
  for (const m of missing) {
    cur = join(cur, m);
    await mkdir(cur).catch((e) => {
      if (code(e) !== 'EEXIST') throw new InputError(`${flag} ${path}: cannot create ${cur} (${code(e)})`);
    });
  }
  const probe = join(abs, `.ebm-write-check-${process.pid}`);
  await writeFile(probe, '').catch((e) => {
    throw new InputError(`${flag} ${path}: cannot write in it (${code(e)})`);
  });
  await rm(probe, { force: true });
}

/**
 * The run folder of a task: `--out` resolved against the directory the user ran the command from
 * (pnpm runs scripts in the app's folder and passes the caller's in INIT_CWD), or
 * runs/<task>-<timestamp> in the app's folder.
 */
export function resolveOut(out: string | undefined, task: string): string {
  if (out !== undefined) return resolve(process.env.INIT_CWD ?? process.cwd(), out);
  return resolve('runs', `${task}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
}
