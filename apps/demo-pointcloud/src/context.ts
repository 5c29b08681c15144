import type { Metrics } from '@ebm/core';
import type { Mode } from './settings';

/** What every task gets from the command line. */
export interface TaskContext {
  mode: Mode;
  seed: number;
  out: string;
  /** --data folder, when given. */
  data?: string;
  /** Category without --data: bunny or a procedural one. */
  category: string;
  backend: string;
  /** --strict: stop at the first --data file that cannot be read instead of skipping it. */
  strict: boolean;
}

export interface TaskResult {
  html: string;
  metrics: Metrics;
}

export const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
