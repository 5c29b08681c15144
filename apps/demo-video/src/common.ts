/** What the demo's tasks share: the report, training with a progress bar, clips as GIFs and strips. */
import { join } from 'node:path';
import { Progress, RunReport, type TrainEvent } from '@ebm/core';
import { followTraining, type RunContext } from '@ebm/demo-kit';
import { createClip, saveGif, type Clip } from '@ebm/video';

export type { RunContext as TaskContext, TaskResult } from '@ebm/demo-kit';

export function newReport(ctx: RunContext, task: string, summary: string, config: Record<string, unknown>): RunReport {
  return new RunReport(ctx.out, { title: `ebm demo-video: ${task}`, task, seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary, config: { mode: ctx.mode, ...config, backend: ctx.backend } });
}

/** Drains training events into the report with a progress bar of `iterations` updates; returns seconds. */
export async function train(events: AsyncIterable<TrainEvent>, report: RunReport, label: string, iterations: number): Promise<number> {
  const t0 = performance.now();
  await followTraining(events, report, new Progress({ total: iterations, label }));
  return (performance.now() - t0) / 1000;
}

/**
 * Clips of one frame size side by side in one clip (2 px white gaps), as long as the longest
 * (shorter ones hold their last frame), magnified `scale` times: one GIF to compare them in.
 */
export function sideBySide(clips: readonly Clip[], scale = 1): Clip {
  const { height, width } = clips[0]!;
  const pad = 2;
  const H = height * scale;
  const W = clips.length * width * scale + (clips.length - 1) * pad;
  const T = Math.max(...clips.map((c) => c.frames));
  const out = createClip(T, H, W, 3, 1);
  clips.forEach((c, i) => {
    const x0 = i * (width * scale + pad);
    for (let t = 0; t < T; t++) {
      const ft = Math.min(t, c.frames - 1);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < width * scale; x++) {
          const src = ((ft * height + Math.floor(y / scale)) * width + Math.floor(x / scale)) * c.channels;
          const dst = ((t * H + y) * W + x0 + x) * 3;
          for (let k = 0; k < 3; k++) out.data[dst + k] = c.data[src + (c.channels === 3 ? k : 0)]!;
        }
      }
    }
  });
  return { ...out, ...(clips[0]!.fps ? { fps: clips[0]!.fps } : {}) };
}

export async function writeGif(ctx: RunContext, name: string, clips: readonly Clip[], scale: number): Promise<void> {
  await saveGif(join(ctx.out, name), sideBySide(clips, scale), { delayMs: clips[0]!.fps ? 1000 / clips[0]!.fps : 83 });
}

/** Seconds as "1m 23s". */
export const duration = (s: number) => (s >= 60 ? `${Math.floor(s / 60)}m ${Math.round(s % 60)}s` : `${s.toFixed(1)}s`);
