import { frechetDistance, gramFeatures, sampleNoise, tf } from '@ebm/core';
import { coopDescriptorNet, coopGeneratorNet, coopPresets, coopSample, coopTraining, fromNetRange, imagesToTensor, presets, shortRunNet, shortRunSample, shortRunTraining, SIGNED_RANGE, type Image } from '@ebm/image';
import { duration, newReport, train, writeGrid, type TaskContext, type TaskResult } from '../common';
import { digitScorer, scoreSamples } from '../digits';
import { INFO } from '../metric-info';
import { COOP } from '../settings';
import { meanNearestL2, trainingSet } from '../sets';

/** Gram features of a small fixed random filter bank (8 filters, 2 scales: 128 values per image). */
async function randomFeatures(images: readonly Image[]): Promise<Float32Array[]> {
  const x = imagesToTensor(images, SIGNED_RANGE);
  const f = gramFeatures(x, { filters: 8, scales: 2 });
  const v = (await f.data()) as Float32Array;
  const d = f.shape[1]!;
  tf.dispose([x, f]);
  return images.map((_, i) => v.subarray(i * d, (i + 1) * d));
}

/**
 * Cooperative learning (CoopNets): a generator proposes digits, the descriptor revises them with a
 * few Langevin steps, the descriptor learns from real vs revised digits and the generator learns
 * to reproduce the revisions. Scored against the image package's short-run model trained for the
 * same wall time: both are "noise in, digit out" samplers.
 */
export async function coop(ctx: TaskContext): Promise<TaskResult> {
  const s = COOP[ctx.mode];
  const set = await trainingSet(ctx, s.images, 32, false);
  const { width, channels } = set.images[0]!;
  const base = coopPresets.digits;
  const preset = { ...base, descriptor: coopDescriptorNet(width, channels, 0.25), generator: coopGeneratorNet(width, channels, 32, 16) };
  console.error(`demo-image coop: ${set.source}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const k = base.sampler.numSteps;
  const summary = `Data: ${set.source}, in [−1, 1]. CoopNets (MCMC teaching): every update the generator (z ∈ R^32 → dense → 7×7 → two 5×5 transposed convs with batch norm → tanh) proposes ${base.train.batchSize} images, the descriptor (16/32/64 filters of 4×4, stride 2, fc 100) revises them with K = ${k} steps of x += ∂f/∂x + 0.01·N (clamped to [−1, 1]), the descriptor takes the maximum-likelihood step on real vs revised images and the generator regresses its proposals onto the revisions (σ = ${base.train.generatorSigma}); Adam ${base.train.descriptorOptimizer.learningRate} for both nets, ${s.iterations} updates on the onnx runtime. Baseline: the short-run model (noise → ${presets.shortRunDigits.sampler.numSteps} Langevin steps) trained for the same wall time. (coopPresets.digits' source says what is scaled down from the paper.)`;
  const report = newReport(ctx, 'coop', summary, { data: set.source, descriptor: preset.descriptor, generator: preset.generator, sampler: preset.sampler, ...s });
  const model = coopTraining(set.images, { preset, iterations: s.iterations, seed: ctx.seed, train: { batchSize: Math.min(base.train.batchSize, set.images.length), signal: ctx.signal } });
  let baseline: ReturnType<typeof shortRunTraining> | undefined;
  try {
    const seconds = await train(model.events, report, 'coop', s.iterations);
    // The short-run baseline gets the same training time: an iteration cap it cannot reach, stopped by time.
    const sr = { ...presets.shortRunDigits, net: shortRunNet(width, channels, 8) };
    const batch = Math.min(sr.train.batchSize, set.images.length);
    baseline = shortRunTraining(set.images, { preset: sr, iterations: 1000 * s.iterations, seed: ctx.seed, train: { batchSize: batch, numSynthesized: batch, signal: AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000))) } });
    let shortRunIterations = 0;
    for await (const e of baseline.events) if (e.type === 'done') shortRunIterations = e.iteration;
    console.error(`demo-image coop: short-run baseline made ${shortRunIterations} updates in the same ${duration(seconds)}`);

    let t0 = performance.now();
    const gen = await coopSample(model, s.samples, { seed: ctx.seed + 1, numSteps: 0 });
    const samplesPerSecondGenerator = s.samples / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    const { revised } = await coopSample(model, s.samples, { seed: ctx.seed + 1 });
    const samplesPerSecondRevised = s.samples / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    const short = await shortRunSample(baseline.energy, sr, s.samples, ctx.seed + 2);
    const samplesPerSecondShortRun = s.samples / ((performance.now() - t0) / 1000);

    const metrics: Record<string, number> = { trainSeconds: seconds, shortRunIterations, samplesPerSecondGenerator, samplesPerSecondRevised, samplesPerSecondShortRun };
    const some = set.images.slice(0, Math.min(set.images.length, 500));
    Object.assign(metrics, { meanNearestTrainL2: meanNearestL2(revised.slice(0, 100), some), meanTrainToTrainL2: meanNearestL2(some.slice(0, 100), some) });
    // For any images: a Fréchet distance on random-filter Gram features (no trained net needed).
    const real = await randomFeatures(set.images.slice(0, s.samples));
    Object.assign(metrics, {
      randomFrechetRevised: frechetDistance(await randomFeatures(revised), real),
      randomFrechetShortRun: frechetDistance(await randomFeatures(short), real),
      randomFrechetGenerator: frechetDistance(await randomFeatures(gen.proposed), real),
    });
    if (set.digits) {
      const scorer = await digitScorer(ctx.mode, (l) => console.error(l));
      const [g, r, b] = [await scoreSamples(scorer, gen.proposed), await scoreSamples(scorer, revised), await scoreSamples(scorer, short)];
      const noiseT = sampleNoise(s.samples, [width, width, channels], { dist: 'uniform', low: -1, high: 1 }, ctx.seed + 3);
      const noise: Image[] = await fromNetRange(noiseT, SIGNED_RANGE);
      noiseT.dispose();
      Object.assign(metrics, {
        fidRevised: r.fid,
        fidGenerator: g.fid,
        fidShortRun: b.fid,
        fidNoise: (await scoreSamples(scorer, noise)).fid,
        fidTrain: (await scoreSamples(scorer, set.images.slice(0, s.samples))).fid,
        confidentFractionRevised: r.confidentFraction,
        confidentFractionGenerator: g.confidentFraction,
        confidentFractionShortRun: b.confidentFraction,
        classesPresent: r.classesPresent,
        classifierTestAccuracy: scorer.testAccuracy,
      });
      report.notes.push(`Revised samples per predicted class (0–9): ${r.classCounts.join(', ')}.`);
      scorer.dispose();
    }
    const scale = Math.max(1, Math.floor(56 / width));
    await writeGrid(ctx, 'revised.png', revised.slice(0, 64), { scale, cols: 8 });
    await writeGrid(ctx, 'generator.png', gen.proposed.slice(0, 64), { scale, cols: 8 });
    await writeGrid(ctx, 'short-run.png', short.slice(0, 64), { scale, cols: 8 });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'revised.png', caption: `64 of ${s.samples} samples: the generator's proposals revised by ${k} Langevin steps of the descriptor (${s.iterations} updates in ${duration(seconds)}).` },
        { file: 'generator.png', caption: 'The same proposals before the revision: one generator pass.' },
        { file: 'short-run.png', caption: `Baseline: the short-run model trained for the same time (${shortRunIterations} updates), noise → ${sr.sampler.numSteps} Langevin steps.` },
        { file: 'curves.png', caption: "Training curves: the descriptor's MLE loss and energy gap, and the generator's loss and the revision size." },
      ],
      all,
      INFO.coop,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
    baseline?.dispose();
  }
}
