import { InputError } from '@ebm/demo-kit';
import { multigridCpuNets, multigridPresets, multigridTraining, type MultigridPreset } from '@ebm/image';
import { duration, newReport, train, writeGrid, type TaskContext, type TaskResult } from '../common';
import { digitScorer, scoreSamples } from '../digits';
import { INFO } from '../metric-info';
import { MULTIGRID } from '../settings';
import { trainingSet } from '../sets';

/**
 * Multigrid sampling (Gao et al., CVPR 2018): descriptors at 1×1, 7×7 and 28×28 learned together,
 * each grid's chains starting from the coarser grid's samples. The baseline is the finest-grid
 * descriptor alone, its chains starting from noise with as many Langevin steps as all grids
 * together, trained for the same wall time.
 */
export async function multigrid(ctx: TaskContext): Promise<TaskResult> {
  const s = MULTIGRID[ctx.mode];
  const set = await trainingSet(ctx, s.images, 32, false);
  const { width, channels } = set.images[0]!;
  const base = multigridPresets.digits;
  // Grids 1 → size/4 → size: the paper's factor 4 between the finer grids.
  if (width % 4 !== 0) throw new InputError(`multigrid needs images whose size is divisible by 4, got ${width}×${width}`);
  const sizes = [1, width / 4, width];
  const preset: MultigridPreset = { ...base, sizes, nets: multigridCpuNets(sizes, channels), sampler: { ...base.sampler, numSteps: s.steps } };
  const single: MultigridPreset = { ...preset, sizes: [width], nets: multigridCpuNets([width], channels), sampler: { ...preset.sampler, numSteps: s.steps * sizes.length } };
  console.error(`demo-image multigrid: ${set.source}, grids ${sizes.join(' → ')}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${set.source}, in [−1, 1]. One descriptor per grid (${sizes.map((g) => `${g}×${g}`).join(', ')}: a dense score at 1×1, the short-run net with n_f 8 above) learns the images shrunk to its grid by area averaging; every update, the 1×1 grid's chains start from the 1×1 versions of training images and each finer grid's from the coarser grid's samples upsampled by replication, ${s.steps} steps per grid of the short-run rule (x += ∂f/∂x + 0.01·N, clamped); Adam ${base.train.optimizer.learningRate}, batch ${base.train.batchSize}, ${s.iterations} updates. Baseline: the ${width}×${width} descriptor alone, chains from uniform noise with ${s.steps * sizes.length} steps, trained for the same time. (multigridPresets.digits' source says why this differs from the paper's noise-free sampler.)`;
  const report = newReport(ctx, 'multigrid', summary, { data: set.source, sizes, nets: preset.nets, sampler: preset.sampler, ...s });
  const model = multigridTraining(set.images, { preset, iterations: s.iterations, seed: ctx.seed, signal: ctx.signal });
  let baseline: ReturnType<typeof multigridTraining> | undefined;
  try {
    const seconds = await train(model.events, report, 'multigrid', s.iterations);
    const syn = await model.sample(s.samples, ctx.seed + 1);
    // The same training time for the single grid: an iteration cap it cannot reach, stopped by time.
    baseline = multigridTraining(set.images, { preset: single, iterations: 100 * s.iterations, seed: ctx.seed, signal: AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000))) });
    let singleIterations = 0;
    for await (const e of baseline.events) if (e.type === 'done') singleIterations = e.iteration;
    const synSingle = await baseline.sample(s.samples, ctx.seed + 1);
    const metrics: Record<string, number> = { trainSeconds: seconds, singleGridIterations: singleIterations };
    if (set.digits) {
      const scorer = await digitScorer(ctx.mode, (l) => console.error(l));
      const sc = await scoreSamples(scorer, syn);
      const scSingle = await scoreSamples(scorer, synSingle);
      Object.assign(metrics, { confidentFraction: sc.confidentFraction, classesPresent: sc.classesPresent, fid: sc.fid, fidSingleGrid: scSingle.fid, confidentFractionSingleGrid: scSingle.confidentFraction, classifierTestAccuracy: scorer.testAccuracy });
      scorer.dispose();
    }
    const scale = Math.max(1, Math.floor(56 / width));
    await writeGrid(ctx, 'samples.png', syn.slice(0, 64), { scale, cols: 8 });
    await writeGrid(ctx, 'single-grid.png', synSingle.slice(0, 64), { scale, cols: 8 });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'samples.png', caption: `64 multigrid samples (${sizes.join(' → ')}; ${s.iterations} updates in ${duration(seconds)}).` },
        { file: 'single-grid.png', caption: `Baseline: 64 samples of the ${width}×${width} descriptor alone, chains from noise (${singleIterations} updates in the same time).` },
        { file: 'curves.png', caption: `Training curves (the finest grid).` },
      ],
      all,
      INFO.multigrid,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
    baseline?.dispose();
  }
}
