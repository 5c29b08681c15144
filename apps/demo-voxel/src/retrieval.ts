/**
 * How many training shapes a conditional chain's start retrieves (recovery, super-resolution),
 * chosen on the training shapes themselves, each left out of its own retrieval, without training:
 * the data say whether retrieval helps at all (k = 0 is the local guess alone) and how many
 * shapes to average (docs/voxel.md, "Retrieval").
 */

/** Candidates, simplest first: 0 is no retrieval. */
export const RETRIEVAL_KS: readonly number[] = [0, 1, 2, 3, 5, 8];

/**
 * The candidate k with the highest `score` (k of at most the training shapes less one, so a
 * shape left out of its own retrieval still has k others); among equals the smaller k.
 */
export function bestRetrievalK(trainCount: number, score: (k: number) => number): number {
  let best = { k: 0, score: -Infinity };
  for (const k of RETRIEVAL_KS.filter((v) => v < trainCount)) {
    const s = score(k);
    if (s > best.score) best = { k, score: s };
  }
  return best.k;
}
