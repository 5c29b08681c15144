import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EarlyStopping, functionEnergy, InvalidOptionError, loadCheckpoint, persistentChains, RunReport, tf, trainMle, type StepEvent, type TrainEvent } from '../src';
import { setup } from './helpers';

beforeAll(setup);

const step = (iteration: number): StepEvent =>
  ({ type: 'step', iteration, epoch: iteration, loss: 0, energyObs: 0, energySyn: 0, gap: 0, gradNorm: 0, chainGradNorm: 0, sampleVar: 0, learningRate: 1e-3, stepSize: 0.1, seconds: 0 });

describe('EarlyStopping', () => {
  it('checks every `every` updates after `from` and on `last`, keeps the best, and aborts once `patience` updates pass without a better score', async () => {
    const scores: Record<number, number> = { 4: 0.1, 6: 0.5, 8: 0.4, 10: 0.5, 12: 0.3, 13: 0.2 };
    const kept: number[] = [];
    const stop = new EarlyStopping({ every: 2, from: 2, last: 13, patience: 6, score: (t) => scores[t]!, keep: (t) => (kept.push(t), `state at ${t}`) });
    for (let t = 1; t <= 13; t++) {
      await stop.observe(step(t));
      // The signal aborts on the check 6 updates after the best (6), not before.
      expect(stop.signal.aborted).toBe(t >= 12);
    }
    expect(stop.curve.map((p) => p.iteration)).toEqual([4, 6, 8, 10, 12, 13]);
    // A tie (0.5 at 10) is not an improvement; keep runs only on improvements.
    expect(stop.best).toEqual({ iteration: 6, score: 0.5, kept: 'state at 6' });
    expect(kept).toEqual([4, 6]);
    expect(stop.stoppedAt).toBe(12);
    expect((stop.signal.reason as Error).message).toMatch(/not improved in 6 updates, since update 6/);
  });

  it("with mode 'min' keeps the lowest score; other events are ignored", async () => {
    const stop = new EarlyStopping({ every: 1, patience: 10, mode: 'min', score: (t) => [5, 3, 4, 2, 6][t - 1]! });
    for (let t = 1; t <= 5; t++) {
      await stop.observe({ type: 'samples', iteration: t, x: undefined as never });
      await stop.observe(step(t));
    }
    expect(stop.best).toMatchObject({ iteration: 4, score: 2 });
    expect(stop.signal.aborted).toBe(false);
  });

  it('refuses bad options and a non-finite score', async () => {
    expect(() => new EarlyStopping({ every: 0, patience: 1, score: () => 0 })).toThrow(InvalidOptionError);
    expect(() => new EarlyStopping({ every: 1, patience: 1, score: 'x' as never })).toThrow(/score must be a function/);
    expect(() => new EarlyStopping({ every: 1, patience: 1, score: () => 0, mode: 'best' as never })).toThrow(/mode must be one of 'max', 'min'/);
    expect(() => new EarlyStopping({ every: 1, patience: 1, score: () => 0, patiance: 3 } as never)).toThrow(InvalidOptionError);
    const stop = new EarlyStopping({ every: 1, patience: 1, score: () => NaN });
    await expect(stop.observe(step(1))).rejects.toThrow(/score at update 1 is NaN/);
  });

  it('stops trainMle after the update it aborts on, with a checkpoint there, and keeps the chains of the best check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-early-'));
    const energy = functionEnergy((x, p) => tf.sum(tf.div(tf.square(tf.sub(x, p.mean!)), 2), 1) as tf.Tensor1D, { mean: [0, 0] });
    const x = tf.tidy(() => tf.add(tf.randomNormal([64, 2], 0, 1, 'float32', 1), 2));
    const chains = persistentChains([2], 8, { dist: 'gaussian', std: 1 });
    const chainsAt: Record<number, number[]> = {};
    // A score that peaks at update 6, as a held-out score does when the chains drift off.
    const stop = new EarlyStopping({ every: 2, patience: 4, score: (t) => -Math.abs(t - 6), keep: () => chains.state()!.slice() });
    const events: TrainEvent[] = [];
    for await (const e of trainMle(energy, x, { sampler: { numSteps: 2, stepSize: 0.1 }, init: chains, batchSize: 16, numSynthesized: 8, iterations: 50, checkpoint: { dir, every: 100 }, signal: stop.signal })) {
      events.push(e);
      if (e.type === 'step') chainsAt[e.iteration] = Array.from(chains.state()!);
      await stop.observe(e);
    }
    expect(stop.stoppedAt).toBe(10);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(10);
    expect(events.at(-1)).toMatchObject({ type: 'done', aborted: true, iteration: 10, reason: 'early stop: the score has not improved in 4 updates, since update 6' });
    // The report says where and why the run stopped.
    const report = new RunReport(dir, { title: 't', task: 't', seed: 0, quick: false });
    events.forEach((e) => report.record(e));
    const html = await readFile(await report.writeHtml([], {}), 'utf8');
    expect(html).toContain('Training stopped after update 10: early stop: the score has not improved in 4 updates, since update 6.');
    expect((await loadCheckpoint(dir)).train?.iteration).toBe(10);
    expect(Array.from(stop.best!.kept)).toEqual(chainsAt[6]);
    expect(chainsAt[6]).not.toEqual(chainsAt[10]);
    x.dispose();
    energy.dispose();
    await rm(dir, { recursive: true, force: true });
  });
});
