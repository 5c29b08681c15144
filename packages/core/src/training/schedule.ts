import { InvalidOptionError } from '../errors';
import { checkKeys, positive, positiveInt, probability } from '../options';

/**
 * A learning-rate schedule as data: the factor multiplying the base learning rate at iteration t
 * (0-based, counting parameter updates).
 *   'step':        factor^⌊t / every⌋                  (PyTorch StepLR; GPointNet: ×0.998 every 10)
 *   'exponential': factor^t
 *   'cosine':      min + (1 − min)·(1 + cos(π·min(t, iterations)/iterations))/2
 */
export type Schedule =
  | { kind: 'constant' }
  | { kind: 'step'; factor: number; every: number }
  | { kind: 'exponential'; factor: number }
  | { kind: 'cosine'; iterations: number; min?: number };

/** Validates a schedule (`fn` and `name` name it in errors). */
export function checkSchedule(s: Schedule, fn: string, name: string): Schedule {
  const kind = (s as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'constant':
      checkKeys(fn, name, s, ['kind']);
      return s;
    case 'step':
      checkKeys(fn, name, s, ['kind', 'factor', 'every']);
      positive(fn, `${name}.factor`, (s as { factor: number }).factor);
      positiveInt(fn, `${name}.every`, (s as { every: number }).every);
      return s;
    case 'exponential':
      checkKeys(fn, name, s, ['kind', 'factor']);
      positive(fn, `${name}.factor`, (s as { factor: number }).factor);
      return s;
    case 'cosine':
      checkKeys(fn, name, s, ['kind', 'iterations', 'min']);
      positiveInt(fn, `${name}.iterations`, (s as { iterations: number }).iterations);
      probability(fn, `${name}.min`, (s as { min?: number }).min ?? 0);
      return s;
    default:
      throw new InvalidOptionError(fn, `${name}.kind`, kind, "'constant', 'step', 'exponential' or 'cosine'");
  }
}

/** The factor of a schedule at iteration t. */
export function scheduleFactor(s: Schedule, t: number): number {
  switch (s.kind) {
    case 'constant':
      return 1;
    case 'step':
      return s.factor ** Math.floor(t / s.every);
    case 'exponential':
      return s.factor ** t;
    case 'cosine': {
      const min = s.min ?? 0;
      return min + ((1 - min) * (1 + Math.cos((Math.PI * Math.min(t, s.iterations)) / s.iterations))) / 2;
    }
  }
}
