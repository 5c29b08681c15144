import { createNet, fixedStarts, fromShortRun, netEnergy, tf, trainMle } from '@ebm/core';
import { centerSquareMask, fromNetRange, harmonicFill, imagesToTensor, inpaint, meanFill, objectNetCpu, SIGNED_RANGE, psnr } from '@ebm/image';
import { newReport, train, writeGrid, type TaskContext, type TaskResult } from '../common';
import { INFO } from '../metric-info';
import { RECOVER } from '../settings';
import { recoverySplit } from '../sets';

const HIDDEN = 0.25;
/** Where a chain's hidden square starts: uniform noise over the images' range, fresh every time. */
const NOISE = { dist: 'uniform', low: -1, high: 1 } as const;

/**
 * Inpainting: a descriptor learns to fill in a hidden centre square (a quarter of the image). Each
 * update its chains start from training images whose square is fresh uniform noise, and take
 * short-run steps (Nijkamp et al. 2019) with the observed pixels held fixed; maximum likelihood
 * moves these completions toward the complete images. Unseen images are then completed by the
 * mean of `average` such chains, each from its own noise — an estimate of the model's conditional
 * mean, the completion PSNR rewards — and scored by PSNR on the hidden pixels, against filling
 * them with the observed mean and with the harmonic (smooth) interpolation of the border.
 */
export async function recover(ctx: TaskContext): Promise<TaskResult> {
  const s = RECOVER[ctx.mode];
  const { train: train0, test, source } = await recoverySplit(ctx, s.images, s.tests);
  const { width, channels } = train0[0]!;
  const spec = objectNetCpu(width, channels);
  const sampler = { numSteps: s.steps, ...fromShortRun(0.01), clamp: [-1, 1] as [number, number] };
  const batch = Math.min(s.batch, train0.length);
  const optimizer = { learningRate: s.learningRate, beta1: 0.9, beta2: 0.999 };
  console.error(`demo-image recover: ${source}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${source}, in [−1, 1]. Hidden: a centred square of ${Math.round(100 * HIDDEN)}% of each image. A descriptor (objectNetCpu) learns to fill it in: every update its chains start from training images whose square is fresh uniform noise in [−1, 1] and take ${s.steps} short-run steps (x += ∂f/∂x + 0.01·N, clamped to [−1, 1]) with the observed pixels held fixed, and maximum likelihood moves the completions toward the complete images; Adam ${s.learningRate} (β 0.9, 0.999), ${s.iterations} updates of ${batch} images on the onnx runtime. An unseen image's recovery is the mean of ${s.average} such chains, each from its own noise.`;
  const report = newReport(ctx, 'recover', summary, { data: source, net: spec, sampler, hidden: HIDDEN, start: NOISE, optimizer, ...s });
  const net = createNet(spec, { seed: ctx.seed, runtime: 'onnx' });
  const energy = netEnergy(net);
  const data = imagesToTensor(train0, SIGNED_RANGE);
  const trainMask = centerSquareMask(train0.length, width, width, HIDDEN);
  try {
    // The starts' rows carry their mask rows; the square of each start is drawn afresh per update.
    const init = fixedStarts(data, { mask: trainMask, fill: NOISE });
    const events = trainMle(energy, data, { sampler, init, batchSize: batch, numSynthesized: batch, iterations: s.iterations, optimizer, watch: false, seed: ctx.seed, signal: ctx.signal });
    await train(events, report, 'recover', s.iterations);
    const truth = imagesToTensor(test, SIGNED_RANGE);
    const mask = centerSquareMask(test.length, width, width, HIDDEN);
    // Chains from noise differ from their first step, so their mean estimates the conditional
    // mean; from one fixed start they stayed alike and their mean gained little (settings.ts).
    const recovered = await inpaint(energy, truth, mask, { sampler, seed: ctx.seed, average: s.average, start: 'noise' });
    const one = await inpaint(energy, truth, mask, { sampler, seed: ctx.seed + 1, start: 'noise' });
    const baseline = meanFill(truth, mask);
    const smooth = harmonicFill(truth, mask);
    const hidden = tf.tidy(() => tf.sub(1, tf.broadcastTo(mask, truth.shape)));
    // PSNR on the hidden pixels (peak 2 in [−1, 1]): the observed ones are exact in both.
    const metrics = { psnr: await psnr(recovered, truth, { peak: 2, mask: hidden }), psnrBaseline: await psnr(baseline, truth, { peak: 2, mask: hidden }), psnrHarmonic: await psnr(smooth, truth, { peak: 2, mask: hidden }), psnrOneChain: await psnr(one, truth, { peak: 2, mask: hidden }), chainsAveraged: s.average, hiddenFraction: HIDDEN, recovered: test.length };
    const show = 16;
    const damaged = tf.tidy(() => tf.add(tf.mul(truth, tf.broadcastTo(mask, truth.shape)), tf.mul(hidden, -1)));
    const k = Math.min(show, test.length);
    const rows = [];
    for (const t of [damaged, one, recovered]) {
      const part = tf.slice(t, 0, k);
      rows.push(...(await fromNetRange(part, SIGNED_RANGE)));
      part.dispose();
    }
    rows.push(...test.slice(0, show));
    tf.dispose([truth, mask, recovered, one, baseline, smooth, hidden, damaged]);
    const px = Math.max(1, Math.floor(56 / width));
    await writeGrid(ctx, 'recovery.png', rows, { scale: px, cols: Math.min(show, test.length) });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'recovery.png', caption: `Rows: unseen images with the centre square hidden (black); one chain's completion, a sample of the model's conditional; the recovery, the mean of ${s.average} chains; the truth.` },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO.recover,
    );
    return { html, metrics: all };
  } finally {
    [data, trainMask].forEach((t) => t.dispose());
    net.dispose();
  }
}
