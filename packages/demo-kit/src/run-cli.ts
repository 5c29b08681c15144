import { EbmError } from '@ebm/core';

/**
 * Runs a demo's `main` with the command-line arguments and applies the demo contract's exit codes
 * (each demo's README): 0 on success; 2 with a one-line `name: message` for bad input (InputError,
 * any other EbmError, bad flags); 1 with the stack for anything unexpected.
 */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const code = (e as { code?: unknown }).code;
      if (e instanceof EbmError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
        // One line: Node's argument errors span several ("--seed -1" is read as a missing value).
        console.error(`${name}: ${String((e as Error).message).split('\n').map((l) => l.trim()).filter(Boolean).join(' ')}`);
        process.exit(2);
      }
      console.error(e);
      process.exit(1);
    },
  );
}
