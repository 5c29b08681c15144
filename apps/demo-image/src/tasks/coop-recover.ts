import { tf } from '@ebm/core';
import { centerSquareMask, coopDescriptorNet, coopPresets, coopRecover, coopRecoveryTraining, fromNetRange, harmonicFill, imagesToTensor, meanFill, psnr, recoveryGeneratorNet, SIGNED_RANGE, type Image } from '@ebm/image';
import { duration, newReport, train, writeGrid, type TaskContext, type TaskResult } from '../common';
import { INFO } from '../metric-info';
import { COOP_RECOVER } from '../settings';
import { recoverySplit } from '../sets';

const HIDDEN = 0.25;

/**
 * Cooperative recovery (Conditional CoopNets, image to image): a ResNet-style initializer maps a
 * digit with its centre square hidden (and the mask) to a completion, the descriptor revises the
 * completion with the observed pixels held fixed, the descriptor learns from complete vs revised
 * digits and the initializer learns to reproduce the revisions. Unseen digits are recovered the
 * same way and scored by PSNR on the hidden pixels, against the observed-mean fill and against
 * the initializer's completion before the revision.
 */
export async function coopRecoverTask(ctx: TaskContext): Promise<TaskResult> {
  const s = COOP_RECOVER[ctx.mode];
  const { train: train0, test, source } = await recoverySplit(ctx, s.images, s.tests);
  const { width, channels } = train0[0]!;
  const base = coopPresets.digitsRecovery;
  const preset = { ...base, descriptor: coopDescriptorNet(width, channels, 0.25), generator: recoveryGeneratorNet(width, channels, 16, 2) };
  console.error(`demo-image coop-recover: ${source}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${source}, in [−1, 1]. Hidden: a centred square of ${Math.round(100 * HIDDEN)}% of each image. Conditional CoopNets for recovery: an initializer (a 2-block ResNet taking the damaged image and its mask) proposes a completion, the descriptor (16/32/64 filters of 4×4, stride 2, fc 100) revises the hidden pixels with ${base.sampler.numSteps} steps of x += ∂f/∂x + 0.01·N (clamped to [−1, 1]) while the observed ones stay fixed, the descriptor learns from complete vs revised images and the initializer regresses onto the revisions, with an L1 pull toward the complete image (weight ${base.train.targetL1} per example: the weighting of CCoopNets' generator loss); Adam ${base.train.descriptorOptimizer.learningRate} for both nets, batch ${base.train.batchSize}, ${s.iterations} updates on the onnx runtime.`;
  const report = newReport(ctx, 'coop-recover', summary, { data: source, descriptor: preset.descriptor, generator: preset.generator, sampler: preset.sampler, hidden: HIDDEN, ...s });
  const trainMask = centerSquareMask(1, width, width, HIDDEN);
  const model = coopRecoveryTraining(train0, { preset, mask: trainMask, iterations: s.iterations, seed: ctx.seed, train: { batchSize: Math.min(base.train.batchSize, train0.length), signal: ctx.signal } });
  try {
    const seconds = await train(model.events, report, 'coop-recover', s.iterations);
    const truth = imagesToTensor(test, SIGNED_RANGE);
    const mask = centerSquareMask(test.length, width, width, HIDDEN);
    const damaged = tf.tidy(() => tf.mul(truth, tf.broadcastTo(mask, truth.shape)));
    const t0 = performance.now();
    const { proposed, revised } = await coopRecover(model, damaged, mask, { seed: ctx.seed });
    const recoverSeconds = (performance.now() - t0) / 1000;
    const baseline = meanFill(truth, mask);
    const smooth = harmonicFill(truth, mask);
    const hidden = tf.tidy(() => tf.sub(1, tf.broadcastTo(mask, truth.shape)));
    const score = (x: tf.Tensor) => psnr(x, truth, { peak: 2, mask: hidden });
    const metrics = { psnr: await score(revised), psnrGeneratorOnly: await score(proposed), psnrBaseline: await score(baseline), psnrHarmonic: await score(smooth), hiddenFraction: HIDDEN, recovered: test.length, trainSeconds: seconds, imagesPerSecond: test.length / recoverSeconds };
    const show = Math.min(16, test.length);
    const shown = tf.tidy(() => tf.add(damaged, tf.mul(hidden, -1)));
    const rows: Image[] = [];
    for (const t of [shown, proposed, revised]) {
      const part = tf.slice(t, 0, show);
      rows.push(...(await fromNetRange(part, SIGNED_RANGE)));
      part.dispose();
    }
    rows.push(...test.slice(0, show));
    tf.dispose([truth, mask, damaged, proposed, revised, baseline, smooth, hidden, shown]);
    await writeGrid(ctx, 'recovery.png', rows, { scale: Math.max(1, Math.floor(56 / width)), cols: show });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'recovery.png', caption: `Rows: unseen images with the centre square hidden (black); the initializer's completion; the descriptor's revision of it; the truth (${s.iterations} updates in ${duration(seconds)}).` },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO['coop-recover'],
    );
    return { html, metrics: all };
  } finally {
    trainMask.dispose();
    model.dispose();
  }
}
