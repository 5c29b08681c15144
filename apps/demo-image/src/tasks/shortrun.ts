import { sampleNoise } from '@ebm/core';
import { fromNetRange, presets, shortRunNet, shortRunSample, shortRunTraining, SIGNED_RANGE } from '@ebm/image';
import { duration, newReport, train, writeChainGif, writeGrid, type TaskContext, type TaskResult } from '../common';
import { digitScorer, fidBetween, scoreSamples } from '../digits';
import { INFO } from '../metric-info';
import { SHORTRUN } from '../settings';
import { trainingSet } from '../sets';

/**
 * Short-run MCMC (Nijkamp et al., NeurIPS 2019): every update's chains start from uniform noise
 * and run K Langevin steps; the learned model is a generator (noise → K steps → digit), scored by
 * the digit classifier and a Fréchet distance on its features against held-out test digits.
 */
export async function shortrun(ctx: TaskContext): Promise<TaskResult> {
  const s = SHORTRUN[ctx.mode];
  const set = await trainingSet(ctx, s.images, 32, false);
  const { width, channels } = set.images[0]!;
  const base = presets.shortRunDigits;
  const preset = { ...base, net: shortRunNet(width, channels, s.nf), sampler: { ...base.sampler, numSteps: s.steps } };
  console.error(`demo-image shortrun: ${set.source}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${set.source}, in [−1, 1]. The short-run net (n_f = ${s.nf}) learns them by maximum likelihood with chains that start from uniform noise at every update and run K = ${s.steps} steps of x += ∂f/∂x + 0.01·N (δ = √2, noise scale 0.01/√2 in the canonical form), clamped to [−1, 1]; data noise ${base.train.dataNoise}; Adam ${base.train.optimizer.learningRate}; batch ${base.train.batchSize}; ${s.iterations} updates on the onnx runtime. Samples are drawn the same way: noise, then K steps.`;
  const report = newReport(ctx, 'shortrun', summary, { data: set.source, net: preset.net, sampler: preset.sampler, ...s });
  // A small --data set trains in batches of all its images.
  const batch = Math.min(base.train.batchSize, set.images.length);
  // The watch says so, rolls back and halves the learning rate if the samples collapse. The full
  // run at 6000 updates collapsed after 4500 and kept collapsing after each rollback, down to 1/16
  // of the rate (2026-12-01, docs/image.md); its setting now stops at 4500.
  const model = shortRunTraining(set.images, { preset, iterations: s.iterations, seed: ctx.seed, train: { batchSize: batch, numSynthesized: batch, watch: { action: 'adapt' }, signal: ctx.signal } });
  try {
    const seconds = await train(model.events, report, 'shortrun', s.iterations);
    const t0 = performance.now();
    const syn = await shortRunSample(model.energy, preset, s.samples, ctx.seed + 1);
    const samplesPerSecond = s.samples / ((performance.now() - t0) / 1000);
    const metrics: Record<string, number> = { trainSeconds: seconds, samplesPerSecond };
    if (set.digits) {
      const scorer = await digitScorer(ctx.mode, (l) => console.error(l));
      const sc = await scoreSamples(scorer, syn);
      const noiseT = sampleNoise(s.samples, [width, width, channels], { dist: 'uniform', low: -1, high: 1 }, ctx.seed + 2);
      const noise = await fromNetRange(noiseT, SIGNED_RANGE);
      noiseT.dispose();
      const fidNoise = (await scoreSamples(scorer, noise)).fid;
      const fidTrain = (await scoreSamples(scorer, set.images.slice(0, s.samples))).fid;
      Object.assign(metrics, { confidentFraction: sc.confidentFraction, classesPresent: sc.classesPresent, fid: sc.fid, fidNoise, fidTrain, fidHeldOutVsTrain: await fidBetween(scorer, scorer.heldOut.images.slice(0, s.samples), set.images.slice(0, s.samples)), classifierTestAccuracy: scorer.testAccuracy });
      report.notes.push(`Samples per predicted class (0–9): ${sc.classCounts.join(', ')}.`);
      scorer.dispose();
    }
    const scale = Math.max(1, Math.floor(56 / width));
    await writeGrid(ctx, 'samples.png', syn.slice(0, 64), { scale, cols: 8 });
    const x0 = sampleNoise(16, [width, width, channels], { dist: 'uniform', low: -1, high: 1 }, ctx.seed + 3);
    const every = Math.max(1, Math.round(s.steps / 20));
    await writeChainGif(ctx, 'chain.gif', model.energy, x0, preset.sampler, { frames: Math.floor(s.steps / every) + 1, every, range: SIGNED_RANGE, grid: { scale, cols: 8 }, seed: ctx.seed });
    x0.dispose();
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'samples.png', caption: `64 of ${s.samples} samples: uniform noise, then K = ${s.steps} Langevin steps on the learned net (training took ${duration(seconds)}).` },
        { file: 'chain.gif', caption: `Short-run chains from noise: every frame is ${every} step${every > 1 ? 's' : ''}.` },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO.shortrun,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
  }
}
