import { join } from 'node:path';
import { RunReport, tf, type Energy, type LangevinOptions, type Tensor } from '@ebm/core';
import { damageShapes, descriptor3dCpu, gridsToTensor, nearestGrid, neighbourhoodShare, occupancy, RETRIEVAL_WEIGHT, recoveryStarts, renderGrids, tensorToGrids, type VoxelGrid, type VoxelScaling } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { RECOVER } from '../settings';
import { bestThreshold, calibrationShapes, chainAtStops, hiddenScores, quarterStops, THRESHOLDS } from '../threshold';
import { bestRetrievalK } from '../retrieval';
import { trainDescriptor } from '../train';

/**
 * Recovery (3D DescriptorNet §4.3, rec_exp.py): a conditional model. Each update, training shapes
 * get fresh random masks that keep 30% of their voxels (rec_exp.py: one fixed mask per shape); the hidden ones start at the share of occupied
 * voxels among the observed ones around them and noise-free Langevin fills them in with the observed voxels clamped; the model learns so
 * that these recovered shapes match the complete ones. Unseen shapes are then recovered by the same
 * chain and scored on their hidden voxels.
 */
export async function recover(ctx: TaskContext): Promise<TaskResult> {
  const s = RECOVER[ctx.mode];
  const { train, test, source } = await loadSplit(ctx.data, ctx.category, s.shapes, s.tests, s.size, ctx.seed, ctx);
  console.error(`demo-voxel recover: ${source} at ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const spec = descriptor3dCpu(s.size);
  const sampler = { numSteps: s.steps, stepSize: s.stepSize, refSigma: 0.5, noiseScale: 0 };
  // Mean-subtracted only (the paper's units): voxelScaling matches the data to the chains' noise,
  // and these chains have none. Measured on procedural chairs: error rate 0.047 scaled, 0.026 not.
  const scaling = { mean: avg(train.map(occupancy)), scale: 1 };
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: recover', task: 'recover', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'recover'), config: { mode: ctx.mode, data: source, net: spec, sampler, ...s, backend: ctx.backend } });

  // Chains start each hidden voxel at the even blend of its neighbourhood share and the share of
  // the k training shapes nearest the shape on its observed voxels; k is the one whose blend gets
  // the fewest hidden voxels wrong on the training shapes themselves, each left out of its own
  // retrieval (no training needed).
  const k = retrievalK(train, s.observed, ctx.seed + 9);
  const retrieval = k > 0 ? { references: train, k } : undefined;
  console.error(`demo-voxel recover: chains start ${k === 0 ? 'at the neighbourhood share (no retrieval: chosen on the training shapes)' : `from the ${k === 1 ? 'nearest training shape' : `${k} nearest training shapes`} blended with the neighbourhood share (k chosen on the training shapes)`}`);

  const batch = Math.min(s.shapes, train.length);
  const data = gridsToTensor(train, scaling);
  const { net, energy } = await trainDescriptor(
    {
      label: 'recover',
      data,
      spec,
      // Each update a seeded pick of the training shapes under fresh masks (rec_exp.py: one fixed mask per shape).
      init: recoveryStarts(train, { observed: s.observed, scaling, retrieval }),
      batchSize: batch,
      numSynthesized: batch,
      sampler,
      iterations: s.iterations,
      learningRate: s.learningRate,
      energyL2: s.energyL2,
      checkpointDir: join(ctx.out, 'checkpoint'),
      preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size, observed: s.observed, retrievalK: k, retrievalWeight: RETRIEVAL_WEIGHT },
      meta: { task: 'recover', source },
      seed: ctx.seed,
      signal: ctx.signal,
    },
    report,
  );
  data.dispose();

  // Each method's occupancy thresholds are read off the training shapes, recovered under fresh
  // masks (threshold.ts): for the error rate the one with the fewest wrong hidden voxels there,
  // for the IoU the one with the best IoU there, so every baseline is scored at its best too.
  const calShapes = calibrationShapes(train);
  const cal = damageShapes(calShapes, { observed: s.observed, scaling, seed: ctx.seed + 9, retrieval });
  const calMask = (await cal.mask.data()) as Float32Array;
  // The chain is also stopped early where that recovers the training shapes better: its values
  // after each quarter of its steps, each at its best threshold there (the chain is noise-free,
  // so a chain run in quarters is the same chain).
  const stops = quarterStops(s.steps);
  const calChain = await recoverTrajectory(energy, cal, sampler, scaling, stops);
  const stopWrong = calChain.map((v) => Math.min(...THRESHOLDS.map((t) => hiddenScores(v, calShapes, calMask, t).wrong)));
  // Fewest wrong; among equals the longer chain.
  const stop = stopWrong.reduce((best, w, i) => (w <= stopWrong[best]! ? i : best), 0);
  const calValues = { rec: calChain[stop]!, full: calChain[calChain.length - 1]!, start: await startValues(cal.start, scaling), ...baselineValues(calShapes, cal.rates, calMask) };
  const at = mapMethods((k) => bestThreshold((t) => -hiddenScores(calValues[k], calShapes, calMask, t).wrong));
  const atIou = mapMethods((k) => bestThreshold((t) => hiddenScores(calValues[k], calShapes, calMask, t).iou));
  [cal.start, cal.mask].forEach((t) => t.dispose());

  const testSet = damageShapes(test, { observed: s.observed, scaling, seed: ctx.seed + 8, retrieval });
  const observedMask = (await testSet.mask.data()) as Float32Array;
  const testChain = await recoverTrajectory(energy, testSet, sampler, scaling, stops);
  const values = { rec: testChain[stop]!, full: testChain[testChain.length - 1]!, start: await startValues(testSet.start, scaling), ...baselineValues(test, testSet.rates, observedMask) };
  [testSet.start, testSet.mask].forEach((t) => t.dispose());
  net.dispose();
  const score = mapMethods((k) => hiddenScores(values[k], test, observedMask, at[k]));
  const scoreIou = mapMethods((k) => hiddenScores(values[k], test, observedMask, atIou[k]));
  const half = hiddenScores(values.rec, test, observedMask, 0.5);
  // Retrieval: each unseen shape completed by the training shape that agrees with it on the most
  // observed voxels (binary, so no threshold to choose).
  const n = test[0]!.data.length;
  const retrieved = test.map((t, i) => train[nearestGrid(t, train, observedMask.subarray(i * n, (i + 1) * n))]!.data);
  const retrieved1 = hiddenScores(retrieved, test, observedMask, 0.5);
  const rec = values.rec.map((v, i) => ({ dims: test[i]!.dims, data: Uint8Array.from(v, (x) => (x > at.rec ? 1 : 0)) }));
  const observedGrids = test.map((t, i) => ({ dims: t.dims, data: Uint8Array.from(t.data, (v, j) => (observedMask[i * t.data.length + j] ? v : 0)) }));
  // IoU on the hidden voxels: for thin shapes (aircraft fill ~2% of the grid) the error rate is
  // small for any guess that leaves the grid empty, while IoU counts only the shape's voxels.
  const metrics = {
    errorRate: score.rec.wrong / score.rec.total,
    errorRateBaseline: score.rate.wrong / score.rate.total,
    errorRateNeighbours: score.neighbours.wrong / score.neighbours.total,
    errorRateRetrieval: retrieved1.wrong / retrieved1.total,
    errorRateStart: score.start.wrong / score.start.total,
    errorRateAllSteps: score.full.wrong / score.full.total,
    errorRateAtHalf: half.wrong / half.total,
    iouHidden: scoreIou.rec.iou,
    iouHiddenNeighbours: scoreIou.neighbours.iou,
    iouHiddenRetrieval: retrieved1.iou,
    iouHiddenStart: scoreIou.start.iou,
    retrievalK: k,
    chainSteps: stops[stop]!,
    threshold: at.rec,
    thresholdIou: atIou.rec,
    hiddenFraction: 1 - s.observed,
    shapes: test.length,
  };
  const shown = Math.min(8, test.length);
  await report.writePng('recovery.png', renderGrids([...observedGrids.slice(0, shown), ...rec.slice(0, shown), ...test.slice(0, shown)], { size: 96, cols: shown }));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'recovery.png', caption: `Top: the observed ${Math.round(100 * s.observed)}% of each unseen shape. Middle: recovered by the learned energy (${stops[stop]} noise-free steps with the observed voxels clamped; values over ${at.rec} occupied). Bottom: the true shapes.` },
      { file: 'curves.png', caption: 'Training curves of the conditional model (its chains recover training shapes under fresh masks).' },
    ],
    all,
    INFO.recover,
  );
  return { html, metrics: all };
}

/** Shapes per evaluation chain call. */
const CHUNK = 64;
const METHODS = ['rec', 'full', 'start', 'rate', 'neighbours'] as const;
type Method = (typeof METHODS)[number];
const mapMethods = <T>(f: (k: Method) => T) => Object.fromEntries(METHODS.map((k) => [k, f(k)])) as Record<Method, T>;

/**
 * Noise-free masked chains from the damaged shapes; each shape's values in occupancy units after
 * each of `stops` steps (ascending). In chunks of CHUNK shapes, so a large held-out set is not one
 * batch in memory.
 */
async function recoverTrajectory(energy: Energy, set: { start: Tensor; mask: Tensor }, sampler: LangevinOptions, scaling: VoxelScaling, stops: number[]): Promise<Float32Array[][]> {
  const out: Float32Array[][] = stops.map(() => []);
  const n = set.start.shape[0]!;
  for (let i = 0; i < n; i += CHUNK) {
    const k = Math.min(CHUNK, n - i);
    const [start, mask] = [set.start, set.mask].map((t) => tf.slice(t, i, k));
    try {
      const grids = await chainAtStops(energy, start!, { ...sampler, mask }, scaling, stops);
      grids.forEach((g, j) => out[j]!.push(...g.map((v) => Float32Array.from(v.data))));
    } finally {
      [start!, mask!].forEach((t) => t.dispose());
    }
  }
  return out;
}

/** The chains' starts in occupancy units (observed voxels as they are, hidden ones at their start). */
async function startValues(start: Tensor, scaling: VoxelScaling): Promise<Float32Array[]> {
  return (await tensorToGrids(start, scaling)).map((g) => Float32Array.from(g.data));
}

/**
 * The k (`bestRetrievalK`; 0: no retrieval) whose start (`damageShapes` with `retrieval`) gets the
 * fewest hidden voxels wrong, at its best threshold, on the calibration shapes under fresh masks,
 * each shape left out of its own retrieval.
 */
export function retrievalK(train: VoxelGrid[], observed: number, seed: number): number {
  const shapes = calibrationShapes(train);
  const n = shapes[0]!.data.length;
  return bestRetrievalK(train.length, (k) => {
    const set = damageShapes(shapes, { observed, scaling: 0, seed, ...(k > 0 ? { retrieval: { references: train, k } } : {}) });
    const [values, mask] = [set.start.dataSync() as Float32Array, set.mask.dataSync() as Float32Array];
    [set.start, set.mask].forEach((t) => t.dispose());
    const rows = shapes.map((_, i) => values.subarray(i * n, (i + 1) * n));
    return -Math.min(...THRESHOLDS.map((t) => hiddenScores(rows, shapes, mask, t).wrong));
  });
}

/**
 * The baselines' values: every hidden voxel at the shape's observed occupancy rate (`rate`), and
 * the share of occupied voxels among the observed ones in its 3×3×3 neighbourhood (`neighbours`).
 */
function baselineValues(grids: VoxelGrid[], rates: number[], observed: Float32Array): { rate: Float32Array[]; neighbours: Float32Array[] } {
  const n = grids[0]!.data.length;
  return {
    rate: grids.map((_, i) => new Float32Array(n).fill(rates[i]!)),
    neighbours: grids.map((g, i) => neighbourhoodShare(g, observed.subarray(i * n, (i + 1) * n)).data),
  };
}
