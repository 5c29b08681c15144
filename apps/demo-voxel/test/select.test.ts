import type { StepEvent } from '@ebm/core';
import { HeldOutSelection, stateToGrids } from '../src/select';

const dims: [number, number, number] = [1, 1, 4];
const grid = (...v: number[]) => ({ dims, data: Uint8Array.from(v) });
const step = (iteration: number) => ({ type: 'step', iteration }) as StepEvent;
// Data units: (value / scale + mean); occupied above 0.5.
const scaling = { mean: 0.25, scale: 2 };
const encode = (...occupied: number[]) => Float32Array.from(occupied, (o) => (o - scaling.mean) * scaling.scale);

describe('held-out selection of the chains', () => {
  it('thresholds the chain state in data units, one grid per chain', () => {
    const g = stateToGrids(Float32Array.from([...encode(1, 0, 0.6, 0.4), ...encode(0, 0, 0, 1)]), dims, scaling);
    expect(g.map((x) => Array.from(x.data))).toEqual([
      [1, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
  });

  it('keeps the state that comes nearest to the held-out shapes after the noise phase, checked every `every` updates and at the last', async () => {
    const held = [grid(1, 1, 0, 0)];
    let state = encode(1, 1, 0, 0);
    const sel = new HeldOutSelection(held, () => state, scaling, { every: 10, from: 10, last: 35, patience: 100 });
    // Update 10 still had noise; 15 is not a check: neither is scored, however good.
    await sel.onStep(step(10));
    await sel.onStep(step(15));
    expect(sel.best).toBeUndefined();
    state = encode(1, 0, 0, 0); // IoU 1/2
    await sel.onStep(step(20));
    state = encode(1, 1, 1, 0); // IoU 2/3: the best
    const kept = state;
    await sel.onStep(step(30));
    state = encode(0, 0, 1, 1); // IoU 0, at the last update
    await sel.onStep(step(35));
    expect(sel.curve).toEqual([
      { update: 20, iou: 0.5 },
      { update: 30, iou: 2 / 3 },
      { update: 35, iou: 0 },
    ]);
    expect(sel.best?.update).toBe(30);
    expect(Array.from(sel.best!.state)).toEqual(Array.from(kept));
    // A copy: the chains moving on do not change what was kept.
    kept.fill(0);
    expect(Array.from(stateToGrids(sel.best!.state, dims, scaling)[0]!.data)).toEqual([1, 1, 1, 0]);
  });

  it('aborts its signal once the best check is `patience` updates old, and only then', async () => {
    const held = [grid(1, 1, 0, 0)];
    let state = encode(1, 1, 0, 0);
    const sel = new HeldOutSelection(held, () => state, scaling, { every: 10, from: 0, last: 1000, patience: 30 });
    await sel.onStep(step(10)); // IoU 1: the best
    state = encode(1, 0, 0, 0);
    await sel.onStep(step(20));
    await sel.onStep(step(30));
    expect(sel.signal.aborted).toBe(false);
    await sel.onStep(step(40)); // 30 updates since the best
    expect(sel.signal.aborted).toBe(true);
    expect(sel.stoppedAt).toBe(40);
    expect(String(sel.signal.reason)).toMatch(/not improved in 30 updates, since update 10/);
    expect(sel.best?.update).toBe(10);
  });

  it('logs each check with the best so far', async () => {
    let state = encode(1, 1, 0, 0);
    const sel = new HeldOutSelection([grid(1, 1, 0, 0)], () => state, scaling, { every: 10, from: 0, last: 100, patience: 100 });
    const lines: string[] = [];
    await sel.onStep(step(5), (l) => lines.push(l));
    await sel.onStep(step(10), (l) => lines.push(l));
    state = encode(1, 0, 0, 0);
    await sel.onStep(step(20), (l) => lines.push(l));
    expect(lines).toEqual(['held-out check at update 10: IoU to the nearest held-out shape 1.000 (best so far)', 'held-out check at update 20: IoU to the nearest held-out shape 0.500, best 1.000 at update 10']);
  });

  it('needs held-out shapes', () => {
    expect(() => new HeldOutSelection([], () => undefined, scaling, { every: 1, from: 0, last: 1, patience: 1 })).toThrow(/held-out/);
  });
});
