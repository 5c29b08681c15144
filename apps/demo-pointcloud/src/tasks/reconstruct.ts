import { createNet, netEnergy, RunReport, sampleNoise, type Energy, type Tensor } from '@ebm/core';
import { chamfer, cloudsToTensor, completeClouds, cutCloud, gpointnetCpu, momentNoise, gpointnetReconstruction, reconstructCloud, renderClouds, saveCloud, tensorToClouds, type PointCloud } from '@ebm/pointcloud';
import { join } from 'node:path';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { runConfig, trainPointNet } from '../model';
import { INIT_STD, SAMPLER, SETTINGS } from '../settings';

/**
 * Reconstruction (GPointNet §5.3): for each held-out cloud, infer the initial noise whose
 * noise-free chain ends at it (64 sign-gradient steps of 0.2, decay 0.9, as in the official code),
 * and compare the chain's end point with the cloud; Gaussian clouds are the baseline. The same
 * inference through the chain of the untrained net is reported too: the sign steps move every
 * point of z towards its target, so a chain that barely moves points is easy to invert, and the
 * comparison shows how much of the fit the learned energy accounts for.
 *
 * Completion is where learning has to show: half of each held-out cloud (one side of a random
 * plane) is kept and held fixed, the other half starts as noise and follows the learned chain.
 * It is scored against the whole cloud, next to the observed half alone and to the same chain
 * under the untrained net.
 */
export async function reconstruct(ctx: TaskContext): Promise<TaskResult> {
  const s = SETTINGS[ctx.mode];
  const { train, held, source } = await loadSplit(ctx.data, ctx.category, s.clouds, s.heldOut, s.points, ctx.seed, ctx);
  console.error(`demo-pointcloud reconstruct: ${source}, ${s.points} points, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const report = new RunReport(ctx.out, { title: 'ebm demo-pointcloud: reconstruct', task: 'reconstruct', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'reconstruct'), config: { ...runConfig(ctx, source, train), reconstruct: gpointnetReconstruction } });
  const { net, energy } = await trainPointNet(ctx, train, report, 'reconstruct', source);

  const targets = held.slice(0, Math.min(8, held.length));
  const target = cloudsToTensor(targets);
  const run = async (e: Energy) => {
    const r = await reconstructCloud(e, target, { sampler: SAMPLER, ...gpointnetReconstruction, initStd: INIT_STD, seed: ctx.seed + 5 });
    const clouds = await tensorToClouds(r.x);
    [r.z, r.x].forEach((t: Tensor) => t.dispose());
    return { clouds, mse: r.mse };
  };
  const observed = new Uint8Array(targets.length * s.points);
  targets.forEach((t, i) => observed.set(cutCloud(t, 0.5, ctx.seed + 100 + i), i * s.points));
  const complete = async (e: Energy) => {
    const x = await completeClouds(e, target, observed, { sampler: SAMPLER, noise: momentNoise(train), seed: ctx.seed + 7 });
    const clouds = await tensorToClouds(x);
    x.dispose();
    return clouds;
  };
  const { clouds: rec, mse } = await run(energy);
  const completed = await complete(energy);
  const untrained = createNet(gpointnetCpu(s.points), { seed: ctx.seed, runtime: 'onnx' });
  const { clouds: recUntrained } = await run(netEnergy(untrained));
  const completedUntrained = await complete(netEnergy(untrained));
  untrained.dispose();
  const halves: PointCloud[] = targets.map((t, i) => ({ points: t.points.filter((_, k) => observed[i * s.points + Math.floor(k / 3)] === 1) }));
  const nz = sampleNoise(targets.length, [s.points, 3], momentNoise(train), ctx.seed + 6);
  const noise = await tensorToClouds(nz);
  [target, nz].forEach((t) => t.dispose());
  net.dispose();

  const metrics = {
    chamfer: avg(rec.map((r, i) => chamfer(r, targets[i]!))),
    chamferNoise: avg(noise.map((r, i) => chamfer(r, targets[i]!))),
    chamferUntrainedNet: avg(recUntrained.map((r, i) => chamfer(r, targets[i]!))),
    completionChamfer: avg(completed.map((r, i) => chamfer(r, targets[i]!))),
    completionChamferObservedOnly: avg(halves.map((r, i) => chamfer(r, targets[i]!))),
    completionChamferUntrainedNet: avg(completedUntrained.map((r, i) => chamfer(r, targets[i]!))),
    mse,
    clouds: targets.length,
    points: s.points,
  };
  await report.writePng('reconstruction.png', renderClouds([...targets, ...rec], { size: 112, cols: targets.length }));
  await report.writePng('completion.png', renderClouds([...halves, ...completed, ...completedUntrained], { size: 112, cols: targets.length }));
  await saveCloud(join(ctx.out, 'reconstruction-0.ply'), rec[0]!);
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'reconstruction.png', caption: 'Top: held-out clouds. Bottom: their reconstructions, the end points of the learned chain from the inferred initial noise.' },
      { file: 'completion.png', caption: 'Completion. Top: the observed half of each held-out cloud (one side of a random plane), held fixed. Middle: completed by the learned chain (the missing half starts as noise). Bottom: the same chain under the untrained net.' },
      { file: 'curves.png', caption: 'Training curves of the model.' },
    ],
    all,
    INFO.reconstruct,
  );
  return { html, metrics: all };
}
