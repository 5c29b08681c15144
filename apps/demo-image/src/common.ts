/** What the demo's tasks share: the report, training with a progress bar, images and GIFs into the run folder. */
import { join } from 'node:path';
import { langevin, Progress, RunReport, tf, type Energy, type LangevinOptions, type Tensor, type TrainEvent } from '@ebm/core';
import { followTraining, type RunContext } from '@ebm/demo-kit';
import { imageGrid, saveGif, saveImage, type GridOptions, type Image, type PixelRange } from '@ebm/image';
import { fromNetRange } from '@ebm/image';

export type { RunContext as TaskContext, TaskResult } from '@ebm/demo-kit';

export function newReport(ctx: RunContext, task: string, summary: string, config: Record<string, unknown>): RunReport {
  return new RunReport(ctx.out, { title: `ebm demo-image: ${task}`, task, seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary, config: { mode: ctx.mode, ...config, backend: ctx.backend } });
}

/** Drains training events into the report with a progress bar of `iterations` updates. */
export async function train(events: AsyncIterable<TrainEvent>, report: RunReport, label: string, iterations: number): Promise<number> {
  const t0 = performance.now();
  await followTraining(events, report, new Progress({ total: iterations, label }));
  return (performance.now() - t0) / 1000;
}

/** Writes a grid of images as a PNG in the run folder. */
export async function writeGrid(ctx: RunContext, name: string, images: readonly Image[], options: GridOptions = {}): Promise<void> {
  await saveImage(join(ctx.out, name), imageGrid(images, options));
}

/**
 * A Langevin chain as an animated GIF: `frames` snapshots of the chains started at `x0` (a grid of
 * its first images per frame), `every` steps apart. Borrows x0.
 */
export async function writeChainGif(ctx: RunContext, name: string, energy: Energy, x0: Tensor, sampler: Omit<LangevinOptions, 'seed' | 'signal'>, o: { frames: number; every: number; range: PixelRange; offset?: Float32Array; grid?: GridOptions; seed: number }): Promise<void> {
  let x = tf.clone(x0);
  const frames: Image[] = [imageGrid(await fromNetRange(x, o.range, o.offset), o.grid)];
  for (let f = 1; f < o.frames; f++) {
    const r = await langevin(energy, x, { ...sampler, numSteps: o.every, seed: o.seed + f });
    x.dispose();
    x = r.x;
    frames.push(imageGrid(await fromNetRange(x, o.range, o.offset), o.grid));
  }
  x.dispose();
  await saveGif(join(ctx.out, name), frames, { delayMs: 120 });
}

/** Seconds as "1m 23s". */
export const duration = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m ${Math.round(s % 60)}s` : `${s.toFixed(1)}s`);
