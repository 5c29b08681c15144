import { bestRetrievalK, RETRIEVAL_KS } from '../src/retrieval';

describe('bestRetrievalK', () => {
  it('takes the best-scoring k, the smaller among equals, and none when retrieval does not help', () => {
    expect(RETRIEVAL_KS[0]).toBe(0);
    expect(bestRetrievalK(100, (k) => -Math.abs(k - 3))).toBe(3);
    expect(bestRetrievalK(100, (k) => (k === 0 ? 1 : 0.5))).toBe(0);
    expect(bestRetrievalK(100, (k) => (k >= 2 ? 1 : 0))).toBe(2);
  });

  it('offers only k below the number of training shapes (each left out of its own retrieval)', () => {
    const seen: number[] = [];
    expect(bestRetrievalK(3, (k) => (seen.push(k), k))).toBe(2);
    expect(seen).toEqual([0, 1, 2]);
    expect(bestRetrievalK(1, (k) => k)).toBe(0);
  });
});
