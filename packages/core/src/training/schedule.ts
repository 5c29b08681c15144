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

/**
 * Noise annealing across training, as data: the Langevin noise is multiplied by 1 until `until`
 * then 0 ('step', 3D DescriptorNet), or by 1 − t/until, floored at 0 ('linear').
 */
export type NoiseAnneal = { kind: 'step' | 'linear'; until: number };

/** Validates a noise annealing. */
export function checkNoiseAnneal(a: NoiseAnneal, fn: string, name = 'noiseAnneal'): NoiseAnneal {
  checkKeys(fn, name, a, ['kind', 'until']);
  if (a.kind !== 'step' && a.kind !== 'linear') throw new InvalidOptionError(fn, `${name}.kind`, a.kind, "'step' or 'linear'");
  positive(fn, `${name}.until`, a.until);
  return a;
}

/** The noise factor of an annealing at iteration t (1 without one). */
export function noiseFactor(a: NoiseAnneal | undefined, t: number): number {
  if (!a) return 1;
  return a.kind === 'step' ? (t < a.until ? 1 : 0) : Math.max(0, 1 - t / a.until);
}
