import { bestThreshold, calibrationShapes, hiddenScores, quarterStops, THRESHOLDS } from '../src/threshold';

describe('thresholds read off training shapes', () => {
  const truth = [{ dims: [1, 1, 4] as [number, number, number], data: Uint8Array.from([1, 0, 1, 0]) }];

  it('scores only the hidden voxels: wrong count and IoU', () => {
    // Voxel 0 is observed (not scored); of the hidden ones, 2 is right, 1 and 3 wrong at 0.5.
    const observed = Float32Array.from([1, 0, 0, 0]);
    const s = hiddenScores([Float32Array.from([0, 0.6, 0.7, 0.9])], truth, observed, 0.5);
    expect(s).toEqual({ wrong: 2, total: 3, iou: 1 / 3 });
    expect(hiddenScores([Float32Array.from([0, 0.6, 0.7, 0.9])], truth, observed, 0.8)).toEqual({ wrong: 2, total: 3, iou: 0 });
    expect(hiddenScores([Float32Array.from([0, 0.6, 0.7, 0.65])], truth, observed, 0.675)).toEqual({ wrong: 0, total: 3, iou: 1 });
  });

  it('picks the candidate with the best score, the one nearest 0.5 among equals', () => {
    const observed = new Float32Array(4);
    // Occupied voxels recovered at 0.3 and 0.25, empty ones at 0.1 and 0.15: any threshold in
    // [0.15, 0.25) gets all four right, and 0.225 is the candidate of those nearest 0.5.
    const values = [Float32Array.from([0.3, 0.1, 0.25, 0.15])];
    expect(bestThreshold((t) => -hiddenScores(values, truth, observed, t).wrong)).toBe(0.225);
    expect(bestThreshold(() => 0)).toBe(0.5);
    expect(THRESHOLDS[0]).toBe(0.05);
    expect(THRESHOLDS.at(-1)).toBe(0.95);
  });

  it('takes at most the given number of shapes, evenly spaced', () => {
    const all = Array.from({ length: 10 }, (_, i) => i);
    expect(calibrationShapes(all, 4)).toEqual([0, 2, 5, 7]);
    expect(calibrationShapes(all, 64)).toBe(all);
  });
});

describe('quarterStops', () => {
  it('stops after each quarter of the chain, rounded, distinct and at least one step', () => {
    expect(quarterStops(60)).toEqual([15, 30, 45, 60]);
    expect(quarterStops(10)).toEqual([3, 5, 8, 10]);
    expect(quarterStops(3)).toEqual([1, 2, 3]);
    expect(quarterStops(1)).toEqual([1]);
  });
});
