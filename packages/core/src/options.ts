import { InvalidOptionError } from './errors';

/** Validation helpers used by every `resolveXOptions` at the public boundary. */

export function positive(fn: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new InvalidOptionError(fn, name, v, 'a finite number > 0');
  return v;
}

export function nonNegative(fn: string, name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidOptionError(fn, name, v, 'a finite number >= 0');
  return v;
}

export function positiveInt(fn: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new InvalidOptionError(fn, name, v, 'an integer > 0');
  return v;
}

export function nonNegativeInt(fn: string, name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0) throw new InvalidOptionError(fn, name, v, 'an integer >= 0');
  return v;
}

export function probability(fn: string, name: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InvalidOptionError(fn, name, v, 'a number in [0, 1]');
  return v;
}

export function oneOf<T extends string>(fn: string, name: string, v: T, allowed: readonly T[]): T {
  if (!allowed.includes(v)) throw new InvalidOptionError(fn, name, v, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return v;
}

export function seedOf(fn: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidOptionError(fn, 'seed', v, 'an integer in [0, 2^32)');
  return v;
}

/**
 * Refuses keys an options object does not know (a misspelt `iteration` would otherwise be ignored
 * and its default silently used).
 */
export function checkKeys(fn: string, name: string, o: unknown, allowed: readonly string[]): void {
  if (o === undefined) return;
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new InvalidOptionError(fn, name, o, 'an object');
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new InvalidOptionError(fn, `${name === 'options' ? '' : `${name}.`}${k}`, (o as Record<string, unknown>)[k], `a known option name (known: ${allowed.join(', ')})`);
  }
}
