import { langevin, RunReport, sampleNoise, tf } from '@ebm/core';
import { chamfer, momentNoise, renderClouds, tensorToClouds, type PointCloud } from '@ebm/pointcloud';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { runConfig, trainPointNet } from '../model';
import { SAMPLER, SETTINGS } from '../settings';

const FRAMES = 8;

/**
 * Interpolation (GPointNet §5.2): two initial noises z0, z1 and the chain's end points along
 * z_t = cos(πt/2)·z0 + sin(πt/2)·z1, which keeps every z_t distributed as N(0, σ²) (a straight
 * line would shrink the noise halfway). Every frame's chain uses the same Langevin noise, so the
 * strip changes only with z_t.
 */
export async function interpolate(ctx: TaskContext): Promise<TaskResult> {
  const s = SETTINGS[ctx.mode];
  const { train, source } = await loadSplit(ctx.data, ctx.category, s.clouds, 0, s.points, ctx.seed, ctx);
  console.error(`demo-pointcloud interpolate: ${source}, ${s.points} points, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const report = new RunReport(ctx.out, { title: 'ebm demo-pointcloud: interpolate', task: 'interpolate', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'interpolate'), config: runConfig(ctx, source, train) });
  const { net, energy } = await trainPointNet(ctx, train, report, 'interpolate', source);

  const z = tf.tidy(() => {
    const z0 = sampleNoise(1, [s.points, 3], momentNoise(train), ctx.seed + 11);
    const z1 = sampleNoise(1, [s.points, 3], momentNoise(train), ctx.seed + 12);
    const ts = Array.from({ length: FRAMES }, (_, i) => i / (FRAMES - 1));
    return tf.concat(ts.map((t) => tf.add(tf.mul(Math.cos((Math.PI * t) / 2), z0), tf.mul(Math.sin((Math.PI * t) / 2), z1))));
  });
  // The same noise for every frame: one chain per frame, each seeded alike.
  const frames: PointCloud[] = [];
  for (let i = 0; i < FRAMES; i++) {
    const zi = tf.slice(z, i, 1);
    const { x } = await langevin(energy, zi, { ...SAMPLER, seed: ctx.seed + 13 });
    frames.push((await tensorToClouds(x))[0]!);
    [zi, x].forEach((t) => t.dispose());
  }
  z.dispose();
  net.dispose();

  const steps = frames.slice(1).map((f, i) => chamfer(f, frames[i]!));
  const metrics = {
    meanFrameChamfer: avg(steps),
    maxFrameChamfer: Math.max(...steps),
    endpointChamfer: chamfer(frames[0]!, frames[FRAMES - 1]!),
    meanNearestTrainChamfer: avg(frames.map((f) => Math.min(...train.map((t) => chamfer(f, t))))),
    frames: FRAMES,
    points: s.points,
  };
  await report.writePng('interpolation.png', renderClouds(frames, { size: 112, cols: FRAMES, captions: frames.map((_, i) => `t = ${(i / (FRAMES - 1)).toFixed(2)}`) }));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'interpolation.png', caption: 'The chain\'s end points as its initial noise moves from z0 (left) to z1 (right).' },
      { file: 'curves.png', caption: 'Training curves of the model.' },
    ],
    all,
    INFO.interpolate,
  );
  return { html, metrics: all };
}
