import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { persistentChains, RunReport, tf } from '@ebm/core';
import { descriptor3dCpu, encodeObj, gridsToTensor, iou, meanNearestIou, occupancy, renderGrids, tensorToGrids, threshold, voxelScaling, voxelsToMesh } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadShapes } from '../data';
import { CPU, SAMPLER, SETTINGS, SYNTHESIS_FILTERS } from '../settings';
import { trainDescriptor } from '../train';

/**
 * Synthesis (3D DescriptorNet §4.1): persistent Langevin chains learn the shapes of one category;
 * the chains are the synthesized shapes, scored against the training shapes and against noise.
 */
export async function synthesize(ctx: TaskContext): Promise<TaskResult> {
  const s = SETTINGS[ctx.mode];
  const { grids: train, source } = await loadShapes(ctx.data, ctx.category, s.shapes, s.size, ctx.seed, ctx);
  console.error(`demo-voxel synthesize: ${source} at ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  // The 3D DescriptorNet subtracts the mean voxel value (jianwen-xie/3DDescriptorNet, train.py); the
  // scale matches the voxels' spread to the sampler's reference σ whatever the occupancy (voxelScaling).
  const scaling = voxelScaling(train, SAMPLER.refSigma);
  const data = gridsToTensor(train, scaling);
  const spec = descriptor3dCpu(s.size, SYNTHESIS_FILTERS);
  const shape = [s.size, s.size, s.size, 1];
  const chains = persistentChains(shape, s.chains, CPU.init.noise);
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: synthesize', task: 'synthesize', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'synthesize'), config: { mode: ctx.mode, data: source, net: spec, sampler: SAMPLER, ...s, backend: ctx.backend } });
  const { net } = await trainDescriptor(
    { label: 'synthesize', data, spec, init: chains, numSynthesized: s.chains, sampler: SAMPLER, iterations: s.iterations, noiseUntil: s.noiseUntil, learningRate: s.learningRate, energyL2: s.energyL2, checkpointDir: join(ctx.out, 'checkpoint'), preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size }, meta: { task: 'synthesize', source }, seed: ctx.seed },
    report,
  );
  data.dispose();
  net.dispose();

  // The persistent chains are the synthesized shapes; noise thresholded the same way is the baseline.
  const n = s.chains;
  const syn = tf.tensor(chains.state()!, [n, ...shape]);
  const samples = (await tensorToGrids(syn, scaling)).map((g) => threshold(g));
  const noise = tf.randomNormal([n, ...shape], 0, SAMPLER.refSigma, 'float32', ctx.seed + 1);
  const noiseGrids = (await tensorToGrids(noise, scaling)).map((g) => threshold(g));
  [syn, noise].forEach((t) => t.dispose());
  const metrics = {
    iouNearestTrain: meanNearestIou(samples, train),
    iouNearestSample: meanNearestIou(samples, samples, { excludeSelf: true }),
    iouNoise: meanNearestIou(noiseGrids, train),
    occupancySamples: avg(samples.map(occupancy)),
    occupancyTrain: avg(train.map(occupancy)),
  };
  const cols = Math.min(8, n);
  await report.writePng('samples.png', renderGrids(samples, { size: 96, cols, captions: samples.map((g, i) => `#${i} iou ${Math.max(...train.map((t) => iou(g, t))).toFixed(2)}`) }));
  await report.writePng('training.png', renderGrids(train.slice(0, 2 * cols), { size: 96, cols }));
  await writeFile(join(ctx.out, 'sample-0.obj'), encodeObj(voxelsToMesh(samples[0]!), 'ebm demo-voxel sample 0'));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'samples.png', caption: `${n} synthesized shapes (persistent Langevin chains, thresholded at 0.5), each with its IoU to the nearest training shape.` },
      { file: 'training.png', caption: 'Training shapes.' },
      { file: 'curves.png', caption: 'Training curves. sample-0.obj holds the first synthesized shape as a mesh.' },
    ],
    all,
    INFO.synthesize,
  );
  return { html, metrics: all };
}
