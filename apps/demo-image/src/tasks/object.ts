import { tf } from '@ebm/core';
import { chainImages, objectNetCpu, objectSynthesis, presets } from '@ebm/image';
import { newReport, train, writeChainGif, writeGrid, type TaskContext, type TaskResult } from '../common';
import { digitScorer, scoreSamples } from '../digits';
import { INFO } from '../metric-info';
import { OBJECT } from '../settings';
import { meanNearestL2, trainingSet } from '../sets';

/**
 * Object synthesis (generative ConvNet §5.2): a descriptor learns a small set of aligned images of
 * one class (MNIST digits of --category by default); its persistent chains are the synthesized
 * objects, scored by the digit classifier and by their distance to the nearest training image
 * (they must not be copies).
 */
export async function object(ctx: TaskContext): Promise<TaskResult> {
  const s = OBJECT[ctx.mode];
  const set = await trainingSet(ctx, s.images, 28, true);
  const { width, channels } = set.images[0]!;
  const base = presets.objectCpu;
  const preset = { ...base, net: objectNetCpu(width, channels), init: { ...base.init, count: s.chains }, train: { ...base.train, batchSize: set.images.length, numSynthesized: s.chains } };
  console.error(`demo-image object: ${set.source}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${set.source}. An object descriptor (objectNetCpu: two strided conv layers and a dense score) learns them by maximum likelihood: ${s.chains} persistent Langevin chains started at the mean colour, ${base.sampler.numSteps} steps of δ = ${base.sampler.stepSize} with σ = ${base.sampler.refSigma} in the paper's [0, 255] units, Adam ${base.train.optimizer.learningRate} (β1 ${base.train.optimizer.beta1}), ${s.iterations} updates of the whole set on the onnx runtime. The chains are the synthesized objects.`;
  const report = newReport(ctx, 'object', summary, { data: set.source, net: preset.net, sampler: base.sampler, ...s });
  const model = objectSynthesis(set.images, { preset, iterations: s.iterations, seed: ctx.seed, train: { signal: ctx.signal } });
  try {
    await train(model.events, report, 'object', s.iterations);
    const syn = await chainImages(model);
    const metrics: Record<string, number> = { meanNearestTrainL2: meanNearestL2(syn, set.images), meanTrainToTrainL2: meanNearestL2(set.images, set.images), trainImages: set.images.length, samples: syn.length };
    if (set.digits) {
      const scorer = await digitScorer(ctx.mode, (l) => console.error(l));
      const wanted = Number(ctx.category);
      const sc = await scoreSamples(scorer, syn, wanted);
      Object.assign(metrics, { confidentFraction: sc.confidentFraction, classifierTestAccuracy: scorer.testAccuracy, trainedClass: wanted });
      scorer.dispose();
    }
    const scale = Math.max(1, Math.floor(84 / width));
    await writeGrid(ctx, 'samples.png', syn, { scale, cols: Math.min(8, syn.length) });
    await writeGrid(ctx, 'training.png', set.images.slice(0, 16), { scale, cols: 8 });
    const x0 = tf.zeros([Math.min(8, s.chains), width, width, channels]);
    await writeChainGif(ctx, 'chain.gif', model.energy, x0, base.sampler, { frames: ctx.mode === 'smoke' ? 3 : 40, every: ctx.mode === 'smoke' ? 2 : 20, range: model.range, offset: model.offset, grid: { scale, cols: 8 }, seed: ctx.seed });
    x0.dispose();
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'samples.png', caption: `${syn.length} synthesized objects (the persistent chains after training).` },
        { file: 'training.png', caption: 'Training images.' },
        { file: 'chain.gif', caption: 'Fresh Langevin chains on the learned descriptor, from the mean colour: every frame is 20 more steps.' },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO.object,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
  }
}
