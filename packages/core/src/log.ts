/** Library logging: one replaceable sink, quiet unless something needs saying. */
export type Logger = (level: 'info' | 'warn', message: string) => void;

let sink: Logger = (level, message) => {
  if (level === 'warn') console.warn(`[ebm] ${message}`);
  else console.error(`[ebm] ${message}`);
};

/** Replaces the logger (pass `() => {}` to silence ebm). */
export function setLogger(logger: Logger): void {
  sink = logger;
}

export function log(level: 'info' | 'warn', message: string): void {
  sink(level, message);
}
