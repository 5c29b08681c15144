/**
 * Seed offsets of the parts of a data set made from one seed: training examples from `seed`,
 * test examples from seed + 1000, validation examples from seed + 2000, so the parts never share
 * an example and a run's seed reproduces all three.
 */
export const SEED_OFFSET = { train: 0, test: 1000, val: 2000 } as const;

/**
 * The last `fraction` of `items` (at least one) held out, the rest for training: files are read in
 * path order, so the held-out part is fixed for a folder.
 */
export function holdOut<T>(items: T[], fraction = 1 / 4): { train: T[]; held: T[] } {
  const held = Math.max(1, Math.floor(items.length * fraction));
  return { train: items.slice(0, items.length - held), held: items.slice(items.length - held) };
}

/** The mean of a non-empty list. */
export const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
