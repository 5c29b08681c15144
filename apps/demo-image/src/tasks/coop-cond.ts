import { argmax, coopDescriptorNet, coopGeneratorNet, coopPresets, coopSample, coopTraining, type Image } from '@ebm/image';
import { duration, newReport, train, writeGrid, type TaskContext, type TaskResult } from '../common';
import { digitScorer } from '../digits';
import { INFO } from '../metric-info';
import { COOP_COND } from '../settings';
import { labelledSet, nearestLabel } from '../sets';

/**
 * Class-conditional CoopNets (label → image): the one-hot label enters the generator beside z and
 * the descriptor after its second conv. After training, every class is asked for the same number
 * of samples; the digit classifier says whether each sample is the digit that was asked for.
 */
export async function coopCond(ctx: TaskContext): Promise<TaskResult> {
  const s = COOP_COND[ctx.mode];
  const set = await labelledSet(ctx, s.images, 32);
  const { width, channels } = set.images[0]!;
  const k = set.classes.length;
  const base = coopPresets.digitsConditional;
  const preset = { ...base, descriptor: coopDescriptorNet(width, channels, 0.25, k), generator: coopGeneratorNet(width, channels, 32, 16, k) };
  console.error(`demo-image coop-cond: ${set.source}, ${k} classes, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${set.source}, in [−1, 1], ${k} classes (${set.classes.join(', ')}). Conditional CoopNets: the generator maps [z ∈ R^32; one-hot label] to an image, the descriptor sees the label tiled and concatenated after its second conv; every update the generator proposes an image for each training image's label, the descriptor revises it with ${base.sampler.numSteps} steps of x += ∂f/∂x + 0.01·N (clamped), learns from real vs revised pairs of the same labels, and the generator regresses onto the revisions; Adam ${base.train.descriptorOptimizer.learningRate} for both nets, batch ${base.train.batchSize}, ${s.iterations} updates on the onnx runtime.`;
  const report = newReport(ctx, 'coop-cond', summary, { data: set.source, classes: set.classes, descriptor: preset.descriptor, generator: preset.generator, sampler: preset.sampler, ...s });
  const model = coopTraining(set.images, { preset, labels: set.labels, iterations: s.iterations, seed: ctx.seed, train: { batchSize: Math.min(base.train.batchSize, set.images.length), signal: ctx.signal } });
  try {
    const seconds = await train(model.events, report, 'coop-cond', s.iterations);
    const asked = Array.from({ length: k * s.perClass }, (_, i) => Math.floor(i / s.perClass));
    const { proposed, revised } = await coopSample(model, asked.length, { labels: asked, seed: ctx.seed + 1 });
    const metrics: Record<string, number> = { trainSeconds: seconds, samplesPerClass: s.perClass, classes: k };
    // A measure for any labelled set: the class of each sample's nearest training image (chance 1/k).
    const share = (xs: readonly Image[], labels: readonly number[]) => xs.filter((x, i) => labels[i] === asked[i]).length / xs.length;
    metrics.nearestTrainClassAccuracy = share(revised, revised.map((x) => nearestLabel(x, set.images, set.labels)));
    metrics.nearestTrainClassChance = 1 / k;
    if (set.digits) {
      const scorer = await digitScorer(ctx.mode, (l) => console.error(l));
      const predicted = async (xs: readonly Image[]) => (await scorer.classifier.probabilities(xs)).map(argmax);
      metrics.conditionalAccuracy = share(revised, await predicted(revised));
      metrics.conditionalAccuracyGenerator = share(proposed, await predicted(proposed));
      metrics.classifierTestAccuracy = scorer.testAccuracy;
      const perClass = asked.filter((_, i) => i % s.perClass === 0).map((c) => revised.filter((_, i) => asked[i] === c));
      report.notes.push(`Classifier accuracy per asked class (0–${k - 1}): ${(await Promise.all(perClass.map(async (xs, c) => ((await predicted(xs)).filter((p) => p === c).length / xs.length).toFixed(2)))).join(', ')}.`);
      scorer.dispose();
    }
    const scale = Math.max(1, Math.floor(56 / width));
    const cols = Math.min(s.perClass, 10);
    const rows = (xs: readonly Image[]) => Array.from({ length: k }, (_, c) => xs.slice(c * s.perClass, c * s.perClass + cols)).flat();
    await writeGrid(ctx, 'by-class.png', rows(revised), { scale, cols });
    await writeGrid(ctx, 'by-class-generator.png', rows(proposed), { scale, cols });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'by-class.png', caption: `One row per asked class (${set.classes.join(', ')}): revised samples (${s.iterations} updates in ${duration(seconds)}).` },
        { file: 'by-class-generator.png', caption: "The same rows before the descriptor's revision: one generator pass." },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO['coop-cond'],
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
  }
}
