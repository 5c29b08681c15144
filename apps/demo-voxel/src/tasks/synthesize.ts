import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { persistentChains, RunReport, tf } from '@ebm/core';
import { descriptor3dCpu, encodeObj, gridsToTensor, iou, meanNearestIou, occupancy, renderGrids, tensorToGrids, threshold, voxelScaling, voxelsToMesh } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadSplit } from '../data';
import { HeldOutSelection, stateToGrids } from '../select';
import { CPU, SAMPLER, SETTINGS, SYNTHESIS_FILTERS } from '../settings';
import { trainDescriptor } from '../train';

/**
 * Synthesis (3D DescriptorNet §4.1): persistent Langevin chains learn the shapes of one category;
 * the chains are the synthesized shapes, scored against the training shapes and against noise.
 * A quarter of a --data folder (procedural: as many shapes from another seed) is held out; the
 * chains' state that comes nearest to it after the noise phase is the one reported (early stopping).
 */
export async function synthesize(ctx: TaskContext): Promise<TaskResult> {
  const s = SETTINGS[ctx.mode];
  const { train, test: held, source } = await loadSplit(ctx.data, ctx.category, s.shapes, s.shapes, s.size, ctx.seed, ctx);
  console.error(`demo-voxel synthesize: ${source} at ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  // The 3D DescriptorNet subtracts the mean voxel value (jianwen-xie/3DDescriptorNet, train.py); the
  // scale matches the voxels' spread to the sampler's reference σ whatever the occupancy (voxelScaling).
  const scaling = voxelScaling(train, SAMPLER.refSigma);
  const data = gridsToTensor(train, scaling);
  const spec = descriptor3dCpu(s.size, SYNTHESIS_FILTERS);
  const shape = [s.size, s.size, s.size, 1];
  const chains = persistentChains(shape, s.chains, CPU.init.noise);
  const selection = new HeldOutSelection(held, () => chains.state(), scaling, { every: s.checkEvery, from: s.noiseUntil, last: s.iterations, patience: s.patience });
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: synthesize', task: 'synthesize', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, source, 'synthesize'), config: { mode: ctx.mode, data: source, net: spec, sampler: SAMPLER, ...s, backend: ctx.backend } });
  const { net } = await trainDescriptor(
    { label: 'synthesize', data, spec, init: chains, numSynthesized: s.chains, sampler: SAMPLER, iterations: s.iterations, noiseUntil: s.noiseUntil, learningRate: s.learningRate, schedule: s.schedule, energyL2: s.energyL2, checkpointDir: join(ctx.out, 'checkpoint'), preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size }, meta: { task: 'synthesize', source }, seed: ctx.seed, onStep: selection.onStep, signal: AbortSignal.any([selection.signal, ctx.signal]) },
    report,
  );
  data.dispose();
  net.dispose();

  // The persistent chains are the synthesized shapes: their state at the held-out check that scored
  // best, and at the end. Noise thresholded the same way is the baseline.
  const n = s.chains;
  const dims: [number, number, number] = [s.size, s.size, s.size];
  const best = selection.best;
  const updates = report.steps.at(-1)?.iteration ?? 0;
  const last = stateToGrids(chains.state()!, dims, scaling);
  const samples = best ? stateToGrids(best.state, dims, scaling) : last;
  const noise = tf.randomNormal([n, ...shape], 0, SAMPLER.refSigma, 'float32', ctx.seed + 1);
  const noiseGrids = (await tensorToGrids(noise, scaling)).map((g) => threshold(g));
  noise.dispose();
  const metrics = {
    iouNearestTrain: meanNearestIou(samples, train),
    iouNearestHeldOut: meanNearestIou(samples, held),
    selectedUpdate: best?.update ?? updates,
    updates,
    iouNearestTrainLast: meanNearestIou(last, train),
    iouNearestSample: meanNearestIou(samples, samples, { excludeSelf: true }),
    iouNoise: meanNearestIou(noiseGrids, train),
    iouNoiseHeldOut: meanNearestIou(noiseGrids, held),
    occupancySamples: avg(samples.map(occupancy)),
    occupancyTrain: avg(train.map(occupancy)),
  };
  const lastHeld = meanNearestIou(last, held);
  const cols = Math.min(8, n);
  // Each sample captioned with its IoU to the nearest training shape.
  const render = (grids: typeof samples) => renderGrids(grids, { size: 96, cols, captions: grids.map((g, i) => `#${i} iou ${Math.max(...train.map((t) => iou(g, t))).toFixed(2)}`) });
  await report.writePng('samples.png', render(samples));
  if (best && best.update !== updates) await report.writePng('samples-last.png', render(last));
  await selection.write(report);
  await report.writePng('training.png', renderGrids(train.slice(0, 2 * cols), { size: 96, cols }));
  await writeFile(join(ctx.out, 'sample-0.obj'), encodeObj(voxelsToMesh(samples[0]!), 'ebm demo-voxel sample 0'));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'samples.png', caption: `${n} synthesized shapes (persistent Langevin chains at update ${metrics.selectedUpdate}, the held-out check that scored best; thresholded at 0.5), each with its IoU to the nearest training shape.` },
      ...(metrics.selectedUpdate !== updates ? [{ file: 'samples-last.png', caption: `The same chains at the last update, ${updates}${selection.stoppedAt !== undefined ? ` (of ${s.iterations}: training stopped when the held-out score had not improved in ${s.patience} updates)` : ''}: IoU to the nearest held-out shape ${lastHeld.toFixed(3)}, against ${best!.iou.toFixed(3)} at update ${best!.update}.` }] : []),
      { file: 'heldout.png', caption: `The chains' mean IoU to the nearest of ${held.length} held-out shapes, checked every ${s.checkEvery} updates after the noise phase (heldout.csv).` },
      { file: 'training.png', caption: 'Training shapes.' },
      { file: 'curves.png', caption: 'Training curves. sample-0.obj holds the first synthesized shape as a mesh.' },
    ],
    all,
    INFO.synthesize,
  );
  return { html, metrics: all };
}
