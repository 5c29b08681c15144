import { join } from 'node:path';
import { fixedStarts, RunReport, tf, type Energy, type LangevinOptions } from '@ebm/core';
import { blockMean, blockMeanGrid, descriptor3dCpu, gridsToTensor, iou, nearestGrid, occupyBlocks, renderGrids, RETRIEVAL_WEIGHT, tensorToGrids, threshold, upsampleNearest, upsampleRetrieval, upsampleTrilinear, voxelScaling, type VoxelGrid, type VoxelScaling } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { SUPERRES } from '../settings';
import { bestThreshold, calibrationShapes, chainAtStops, quarterStops, THRESHOLDS } from '../threshold';
import { bestRetrievalK } from '../retrieval';
import { trainDescriptor } from '../train';

/**
 * Super-resolution (3D DescriptorNet §4.4, sr_exp.py): a conditional model. Each training shape is
 * reduced to its factor³ block means; chains start at the trilinear upsampling of that input
 * (shifted per block to keep the means; the paper starts at nearest upsampling, which ties every
 * voxel of a block) and take noise-free Langevin steps projected so the block means never change;
 * the model learns so that these chains end at the true high-resolution shapes. Unseen shapes are
 * then upsampled by the same chain and compared with nearest upsampling (by threshold) and with
 * trilinear interpolation (decoded by block counts).
 */
export async function superres(ctx: TaskContext): Promise<TaskResult> {
  const s = SUPERRES[ctx.mode];
  const low = s.size / s.factor;
  const { train, test, source } = await loadSplit(ctx.data, ctx.category, s.shapes, s.tests, s.size, ctx.seed, ctx);
  console.error(`demo-voxel superres: ${source}, ${low}³ → ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const spec = descriptor3dCpu(s.size);
  // A named projection (not a function): the checkpoint keeps it as data.
  const sampler = { numSteps: s.steps, stepSize: s.stepSize, refSigma: 0.5, noiseScale: 0, project: { kind: 'blockMeans', factor: s.factor } as const };
  const scaling = voxelScaling(train, sampler.refSigma);
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: superres', task: 'superres', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'superres'), config: { mode: ctx.mode, data: source, net: spec, sampler, ...s, backend: ctx.backend } });

  // Chains start at the even blend of the input's trilinear upsampling and the k training shapes
  // with the nearest block means (block means kept); k is the one whose start alone does best on
  // the training shapes, each left out of its own retrieval (no training needed).
  const startOf = retrievalStarts(train, s.factor);
  const k = chooseK(train, startOf);
  console.error(`demo-voxel superres: chains start ${k === 0 ? 'at trilinear upsampling (no retrieval: chosen on the training shapes)' : `from trilinear upsampling blended with the ${k === 1 ? 'training shape' : `${k} training shapes`} of nearest block means (k chosen on the training shapes)`}`);
  const start = (g: VoxelGrid) => startOf(g, k);

  const data = gridsToTensor(train, scaling);
  const batch = Math.min(s.shapes, train.length);
  const starts = gridsToTensor(train.map(start), scaling);
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
      preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size, factor: s.factor, retrievalK: k, retrievalWeight: RETRIEVAL_WEIGHT },
      meta: { task: 'superres', source },
      seed: ctx.seed,
      signal: ctx.signal,
    },
    report,
  );
  [data, starts].forEach((t) => t.dispose());

  // The thresholds of the super-resolved values and of the baseline's are read off the training
  // shapes: each the one with the best mean IoU there (threshold.ts).
  const calShapes = calibrationShapes(train);
  // The chain is also stopped early where that super-resolves the training shapes better: its
  // values after each quarter of its steps, each at its best threshold there (noise-free, so a
  // chain run in quarters is the same chain).
  const stops = quarterStops(s.steps);
  const calRun = await superresolve(energy, calShapes, s.factor, sampler, scaling, start, stops);
  const stopIou = calRun.sr.map((v) => Math.max(...THRESHOLDS.map((t) => meanIou(v, calShapes, t))));
  // Best IoU; among equals the longer chain.
  const stop = stopIou.reduce((best, v, i) => (v >= stopIou[best]! ? i : best), 0);
  const cal = { ...calRun, sr: calRun.sr[stop]! };
  const at = { sr: bestThreshold((t) => meanIou(cal.sr, calShapes, t)), nearest: bestThreshold((t) => meanIou(cal.nearest, calShapes, t)), start: bestThreshold((t) => meanIou(cal.starts, calShapes, t)) };
  const run = await superresolve(energy, test, s.factor, sampler, scaling, start, stops);
  const out = { ...run, sr: run.sr[stop]! };
  net.dispose();
  const sr = out.sr.map((g) => threshold(g, at.sr));
  const nearest = out.nearest.map((g) => threshold(g, at.nearest));
  // Decoding by block counts: the input's block means say how many voxels each block holds, so
  // each block gets that many at its highest values (occupyBlocks). Only the ranking inside the
  // blocks is then scored: the chain's against trilinear interpolation of the input.
  const lows = test.map((g) => blockMeanGrid(g, s.factor));
  const counted = out.sr.map((g, i) => occupyBlocks(g, lows[i]!, s.factor));
  const trilinear = lows.map((g, i) => occupyBlocks(upsampleTrilinear(g, s.factor), lows[i]!, s.factor));
  const meanIouOf = (grids: VoxelGrid[]) => avg(grids.map((g, i) => iou(g, test[i]!)));
  // Retrieval: the training shape whose block means are nearest the input's, taken whole.
  const trainLows = train.map((g) => blockMeanGrid(g, s.factor));
  const retrieved = lows.map((g) => train[nearestGrid(g, trainLows)]!);
  const metrics = {
    iou: meanIou(out.sr, test, at.sr),
    iouUpsampleBaseline: meanIou(out.nearest, test, at.nearest),
    iouBlockCounts: meanIouOf(counted),
    iouBlockCountsTrilinear: meanIouOf(trilinear),
    iouRetrieval: meanIouOf(retrieved),
    iouStart: meanIou(out.starts, test, at.start),
    iouBlockCountsStart: meanIouOf(out.starts.map((g, i) => occupyBlocks(g, lows[i]!, s.factor))),
    retrievalK: k,
    iouAtHalf: meanIou(out.sr, test, 0.5),
    iouAllSteps: meanIou(run.sr[run.sr.length - 1]!, test, bestThreshold((t) => meanIou(calRun.sr[calRun.sr.length - 1]!, calShapes, t))),
    chainSteps: stops[stop]!,
    threshold: at.sr,
    thresholdBaseline: at.nearest,
    lowSize: low,
    size: s.size,
    shapes: test.length,
  };
  const shown = Math.min(8, test.length);
  const rows = [nearest, sr, trilinear, counted, test].flatMap((r) => r.slice(0, shown));
  await report.writePng('superres.png', renderGrids(rows, { size: 96, cols: shown }));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      {
        file: 'superres.png',
        caption: `Rows, all unseen in training: the ${low}³ input upsampled to ${s.size}³ by nearest neighbours (block means over ${at.nearest}); super-resolved by the learned energy (${stops[stop]} steps; values over ${at.sr}); decoded by block counts (each block holds as many voxels as its input mean says), ranked by trilinear interpolation, then by the learned energy's chain; the true ${s.size}³ shapes.`,
      },
      { file: 'curves.png', caption: 'Training curves of the conditional model.' },
    ],
    all,
    INFO.superres,
  );
  return { html, metrics: all };
}

/**
 * The shapes' block means upsampled by nearest neighbours (the baseline), the chains' starts, and
 * the shapes super-resolved by the chain after each of `stops` steps (ascending), in occupancy
 * units; in chunks of 64 shapes, so a large held-out set is not one batch.
 */
async function superresolve(energy: Energy, shapes: VoxelGrid[], factor: number, sampler: LangevinOptions, scaling: VoxelScaling, startOf: (g: VoxelGrid) => VoxelGrid, stops: number[]): Promise<{ sr: VoxelGrid[][]; nearest: VoxelGrid[]; starts: VoxelGrid[] }> {
  const out = { sr: stops.map(() => [] as VoxelGrid[]), nearest: [] as VoxelGrid[], starts: [] as VoxelGrid[] };
  for (let i = 0; i < shapes.length; i += 64) {
    const part = shapes.slice(i, i + 64);
    const truth = gridsToTensor(part, scaling);
    const up = tf.tidy(() => upsampleNearest(blockMean(truth, factor), factor));
    const starts = part.map(startOf);
    const start = gridsToTensor(starts, scaling);
    truth.dispose();
    try {
      (await chainAtStops(energy, start, sampler, scaling, stops)).forEach((g, j) => out.sr[j]!.push(...g));
      out.nearest.push(...(await tensorToGrids(up, scaling)));
      out.starts.push(...starts);
    } finally {
      [up, start].forEach((t) => t.dispose());
    }
  }
  return out;
}

/**
 * A chain's start for each shape, given k: the trilinear upsampling of its block means (k 0), or that blended with the k training shapes whose block means are nearest
 * (`upsampleRetrieval`), a training shape left out of its own retrieval. Both keep the block
 * means, as the constraint requires; the paper starts at nearest upsampling, which ties every
 * voxel of a block.
 */
function retrievalStarts(train: VoxelGrid[], factor: number): (g: VoxelGrid, k: number) => VoxelGrid {
  const lows = train.map((g) => blockMeanGrid(g, factor));
  return (g, k) => {
    const low = blockMeanGrid(g, factor);
    if (k === 0) return upsampleTrilinear(low, factor);
    const keep = train.map((t) => t !== g);
    return upsampleRetrieval(low, factor, train.filter((_, i) => keep[i]), { k, referenceLows: lows.filter((_, i) => keep[i]) });
  };
}

/** The k (`bestRetrievalK`; 0: no retrieval) whose start alone has the best mean IoU, at its best threshold, on the calibration shapes. */
function chooseK(train: VoxelGrid[], startOf: (g: VoxelGrid, k: number) => VoxelGrid): number {
  const shapes = calibrationShapes(train);
  return bestRetrievalK(train.length, (k) => {
    const starts = shapes.map((g) => startOf(g, k));
    return Math.max(...THRESHOLDS.map((t) => meanIou(starts, shapes, t)));
  });
}

/** Mean IoU of the values, occupied over `at`, with the true shapes. */
function meanIou(values: VoxelGrid[], truth: VoxelGrid[], at: number): number {
  return avg(values.map((g, i) => iou(threshold(g, at), truth[i]!)));
}
