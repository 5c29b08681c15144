/**
 * Ctrl-C during a demo's run. Long runs (an hour at 32³ on two cores) must not lose their work to
 * one key: the first Ctrl-C aborts the run's `signal`, so the trainer stops after its current
 * update and saves a checkpoint there, and the task goes on to write its report with what it has;
 * a second quits at once (exit code 130, the shell's for SIGINT).
 */
export interface Interrupt {
  /** Aborted on the first Ctrl-C. */
  signal: AbortSignal;
  /** Stops listening (Ctrl-C then quits as it does by default). */
  dispose(): void;
}

export function listenForInterrupt(io: { write?: (line: string) => void; exit?: (code: number) => void } = {}): Interrupt {
  const write = io.write ?? ((line: string) => process.stderr.write(`\n${line}\n`));
  const exit = io.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      write('interrupted again: quitting');
      exit(130);
      return;
    }
    write('interrupted: training stops after this update (its checkpoint is saved) and the report is written with what the run has; press Ctrl-C again to quit now');
    controller.abort(new Error('interrupted (Ctrl-C)'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
