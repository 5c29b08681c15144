import { join } from 'node:path';
import { fixedStarts, langevin, RunReport, tf, type Energy, type LangevinOptions } from '@ebm/core';
import { blockMean, descriptor3dCpu, gridsToTensor, iou, renderGrids, tensorToGrids, threshold, upsampleNearest, voxelScaling, type VoxelGrid, type VoxelScaling } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { SUPERRES } from '../settings';
import { bestThreshold, calibrationShapes } from '../threshold';
import { trainDescriptor } from '../train';

/**
 * Super-resolution (3D DescriptorNet §4.4, sr_exp.py): a conditional model. Each training shape is
 * reduced to its factor³ block means; chains start at the nearest upsampling of that input and take
 * noise-free Langevin steps projected so the block means never change; the model learns so that
 * these chains end at the true high-resolution shapes. Unseen shapes are then upsampled by the
 * same chain and compared with nearest upsampling.
 */
export async function superres(ctx: TaskContext): Promise<TaskResult> {
  const s = SUPERRES[ctx.mode];
  const low = s.size / s.factor;
  const { train, test, source } = await loadSplit(ctx.data, ctx.category, s.shapes, s.tests, s.size, ctx.seed, ctx.strict);
  console.error(`demo-voxel superres: ${source}, ${low}³ → ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const spec = descriptor3dCpu(s.size);
  // A named projection (not a function): the checkpoint keeps it as data.
  const sampler = { numSteps: s.steps, stepSize: s.stepSize, refSigma: 0.5, noiseScale: 0, project: { kind: 'blockMeans', factor: s.factor } as const };
  const scaling = voxelScaling(train, sampler.refSigma);
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: superres', task: 'superres', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'superres'), config: { mode: ctx.mode, data: source, net: spec, sampler, ...s, backend: ctx.backend } });

  const data = gridsToTensor(train, scaling);
  const batch = Math.min(s.shapes, train.length);
  const starts = tf.tidy(() => upsampleNearest(blockMean(data, s.factor), s.factor));
  const { net, energy } = await trainDescriptor(
    {
      label: 'superres',
      data,
      spec,
      init: fixedStarts(starts),
      // A large --data set costs `shapes` chains an update, each a seeded pick of its shapes.
      batchSize: batch,
      numSynthesized: batch,
      sampler,
      iterations: s.iterations,
      learningRate: s.learningRate,
      energyL2: s.energyL2,
      checkpointDir: join(ctx.out, 'checkpoint'),
      preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size, factor: s.factor },
      meta: { task: 'superres', source },
      seed: ctx.seed,
    },
    report,
  );
  [data, starts].forEach((t) => t.dispose());

  // The thresholds of the super-resolved values and of the baseline's are read off the training
  // shapes: each the one with the best mean IoU there (threshold.ts).
  const calShapes = calibrationShapes(train);
  const cal = await superresolve(energy, calShapes, s.factor, sampler, scaling);
  const at = { sr: bestThreshold((t) => meanIou(cal.sr, calShapes, t)), nearest: bestThreshold((t) => meanIou(cal.nearest, calShapes, t)) };
  const out = await superresolve(energy, test, s.factor, sampler, scaling);
  net.dispose();
  const sr = out.sr.map((g) => threshold(g, at.sr));
  const nearest = out.nearest.map((g) => threshold(g, at.nearest));
  const metrics = { iou: meanIou(out.sr, test, at.sr), iouUpsampleBaseline: meanIou(out.nearest, test, at.nearest), iouAtHalf: meanIou(out.sr, test, 0.5), threshold: at.sr, thresholdBaseline: at.nearest, lowSize: low, size: s.size, shapes: test.length };
  const shown = Math.min(8, test.length);
  await report.writePng('superres.png', renderGrids([...nearest.slice(0, shown), ...sr.slice(0, shown), ...test.slice(0, shown)], { size: 96, cols: shown }));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'superres.png', caption: `Rows: the ${low}³ input upsampled to ${s.size}³ by nearest neighbours (the baseline; block means over ${at.nearest}), super-resolved by the learned energy (values over ${at.sr}), the true ${s.size}³ shapes — all unseen in training.` },
      { file: 'curves.png', caption: 'Training curves of the conditional model.' },
    ],
    all,
    INFO.superres,
  );
  return { html, metrics: all };
}

/**
 * The shapes' block means upsampled by nearest neighbours (the baseline) and super-resolved by the
 * chain, in occupancy units; in chunks of 64 shapes, so a large held-out set is not one batch.
 */
async function superresolve(energy: Energy, shapes: VoxelGrid[], factor: number, sampler: LangevinOptions, scaling: VoxelScaling): Promise<{ sr: VoxelGrid[]; nearest: VoxelGrid[] }> {
  const out = { sr: [] as VoxelGrid[], nearest: [] as VoxelGrid[] };
  for (let i = 0; i < shapes.length; i += 64) {
    const truth = gridsToTensor(shapes.slice(i, i + 64), scaling);
    const up = tf.tidy(() => upsampleNearest(blockMean(truth, factor), factor));
    truth.dispose();
    try {
      const { x } = await langevin(energy, up, sampler);
      out.sr.push(...(await tensorToGrids(x, scaling)));
      x.dispose();
      out.nearest.push(...(await tensorToGrids(up, scaling)));
    } finally {
      up.dispose();
    }
  }
  return out;
}

/** Mean IoU of the values, occupied over `at`, with the true shapes. */
function meanIou(values: VoxelGrid[], truth: VoxelGrid[], at: number): number {
  return avg(values.map((g, i) => iou(threshold(g, at), truth[i]!)));
}
