import { EbmError } from '../errors';

/** A problem with the user's input (arguments, files): a demo prints it in one line and exits with 2. */
export class InputError extends EbmError {}

/**
 * Runs a demo's `main` with the command-line arguments and applies the demo contract's exit codes
 * (ARCHITECTURE.md): 0 on success; 2 with a one-line `name: message` for bad input (InputError,
 * any other EbmError, bad flags); 1 with the stack for anything unexpected.
 */
export function runCli(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof EbmError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`${name}: ${(e as Error).message}`);
        process.exit(2);
      }
      console.error(e);
      process.exit(1);
    },
  );
}
