import { constants } from 'node:fs';
import { access, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EbmError } from '../errors';

/** A problem with the user's input (arguments, files): a demo prints it in one line and exits with 2. */
export class InputError extends EbmError {}

/**
 * Runs a demo's `main` with the command-line arguments and applies the demo contract's exit codes
 * (each demo's README): 0 on success; 2 with a one-line `name: message` for bad input (InputError,
 * any other EbmError, bad flags); 1 with the stack for anything unexpected.
 */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof EbmError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        // One line: Node's argument errors span several ("--seed -1" is read as a missing value).
        console.error(`${name}: ${String((e as Error).message).split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}`);
        process.exit(2);
      }
      console.error(e);
      process.exit(1);
    },
  );
}

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
