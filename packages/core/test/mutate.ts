/** Seeded mutations of valid files for reader fuzz tests (shared by the packages' tests). */

const HUGE = ['1000000000', '4000000000', '-5', '8.5', '1e39', '99999999999999999999', 'nan', '0'];

/** One seeded mutation of a file. */
export function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  const kind = Math.floor(rand() * 4);
  if (kind === 0) return bytes.slice(0, Math.floor(rand() * bytes.length));
  if (kind === 1) {
    const out = bytes.slice();
    for (let i = 0, n = 1 + Math.floor(rand() * 4); i < n; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
    return out;
  }
  // Replace one number of the text (header counts among them) by a huge, negative or odd one.
  const text = new TextDecoder('latin1').decode(bytes);
  const numbers = [...text.matchAll(/-?\d+(\.\d+)?(e-?\d+)?/g)];
  if (numbers.length === 0) return bytes;
  const m = numbers[Math.floor(rand() * Math.min(numbers.length, kind === 2 ? 6 : numbers.length))]!;
  const swapped = text.slice(0, m.index) + HUGE[Math.floor(rand() * HUGE.length)] + text.slice(m.index! + m[0].length);
  return Uint8Array.from(swapped, (c) => c.charCodeAt(0) & 0xff);
}


/**
 * Runs `cases` seeded mutations of a valid file through a reader: each must give a result that
 * `validate` accepts or throw `errorClass` naming the case, within `msPerCase`.
 */
export function fuzzReader<T>(valid: Uint8Array, read: (bytes: Uint8Array, name: string) => T, o: { seed: number; errorClass: new (...a: never[]) => Error; validate: (r: T) => void; cases?: number; msPerCase?: number }): void {
  let s = o.seed >>> 0;
  // mulberry32, inlined so this helper imports nothing (each package passes its own error class).
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // A reader may log (dropped NaN points, say); under Jest each console call formats a code frame,
  // which on a loaded machine takes hundreds of ms that are not the reader's. The bound is on the
  // reader's own work, so the console is muted while a case runs.
  const consoles = { error: console.error, warn: console.warn, log: console.log };
  const mute = (on: boolean) => Object.assign(console, on ? { error: () => {}, warn: () => {}, log: () => {} } : consoles);
  for (let i = 0; i < (o.cases ?? 300); i++) {
    const bytes = mutate(valid, rand);
    mute(true);
    const t0 = performance.now();
    let result: T;
    try {
      result = read(bytes, `case-${i}`);
    } catch (e) {
      if (!(e instanceof o.errorClass) || !(e as Error).message.includes(`case-${i}`)) throw new Error(`case ${i}: ${(e as Error).name}: ${(e as Error).message}`);
      continue;
    } finally {
      const ms = performance.now() - t0;
      mute(false);
      if (ms > (o.msPerCase ?? 500)) throw new Error(`case ${i} took ${ms.toFixed(0)} ms`);
    }
    o.validate(result);
  }
}

/**
 * Runs a reader that must refuse its input and times the call alone (not Jest's matchers):
 * "cheaply" means no work proportional to the sizes a damaged header claims.
 */
export function refusal(read: () => unknown): { error: unknown; ms: number } {
  const t = performance.now();
  try {
    read();
  } catch (error) {
    return { error, ms: performance.now() - t };
  }
  return { error: undefined, ms: performance.now() - t };
}
