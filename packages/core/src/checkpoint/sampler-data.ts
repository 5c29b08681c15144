/**
 * Sampler settings as a checkpoint keeps them: plain JSON data. A named projection
 * (`{ kind: 'blockMeans', factor }`) is data; a function is code and is refused with a clear
 * error instead of being silently dropped by JSON.stringify. A mask is data of the run (it pairs
 * with the chains' fixed starts, like the training data pairs with the model): the checkpoint
 * records that one was used and its shape, and a resumed run is given it again.
 */
import { CheckpointError, InvalidOptionError } from '../errors';
import type { LangevinOptions } from '../sampling/langevin';
import { tf } from '../tf';

/** JSON data: what `samplerData` returns and a checkpoint's `sampler` holds. */
export type SamplerData = Record<string, unknown>;

/**
 * The data form of sampler options (seed and signal left out: the trainer sets them).
 * @throws InvalidOptionError naming `fn` when the settings hold code (a `project` function).
 */
export function samplerData(sampler: Partial<LangevinOptions>, fn: string): SamplerData {
  const { seed: _s, signal: _g, mask, ...rest } = sampler;
  if (typeof rest.project === 'function') {
    throw new InvalidOptionError(fn, 'sampler.project', 'a function', "a named projection such as { kind: 'blockMeans', factor: 2 } when checkpointing (a checkpoint holds data, not code)");
  }
  const out: SamplerData = { ...rest };
  if (mask) out.mask = { kind: 'tensor', shape: mask.shape.slice(), note: 'data of the run: pass the same mask again to resume' };
  return checkSamplerData(out, fn);
}

/** Checks that sampler settings are plain, finite JSON data. @throws CheckpointError naming the key. */
export function checkSamplerData(data: SamplerData, where: string): SamplerData {
  const walk = (v: unknown, key: string): void => {
    const bad = (what: string) => {
      throw new CheckpointError(where, `sampler.${key} is ${what}; a checkpoint holds data only (use a named projection such as { kind: 'blockMeans', factor: 2 })`);
    };
    if (typeof v === 'function') bad('a function');
    if (v instanceof tf.Tensor) bad('a tensor');
    if (typeof v === 'number' && !Number.isFinite(v)) bad(String(v));
    if (typeof v === 'bigint' || typeof v === 'symbol') bad(`a ${typeof v}`);
    if (v && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) bad(`an instance of ${(v as object).constructor?.name ?? 'a class'}`);
      for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`);
    }
  };
  for (const [k, v] of Object.entries(data)) walk(v, k);
  return data;
}
