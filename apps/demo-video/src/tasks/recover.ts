import { join } from 'node:path';
import { applyMask, clipPsnr, fitVideo, learnFromIncomplete, occlusionMask, presets, saveFrameStrip, stNetCpu, temporalFill, type Clip, type Occlusion } from '@ebm/video';
import { duration, newReport, train, writeGif, type TaskContext, type TaskResult } from '../common';
import { frameSide, loadVideo } from '../data';
import { INFO } from '../metric-info';
import { RECOVER } from '../settings';

const KINDS = [
  { name: 'Pixels', occlusion: { kind: 'pixels', fraction: 0.5 } },
  { name: 'Frames', occlusion: { kind: 'frames', fraction: 0.25 } },
] as const satisfies readonly { name: string; occlusion: Occlusion }[];

/**
 * Recovery from incomplete data (STGConvNet, CVPR 2017): for each kind of damage (half the
 * pixels hidden at random; a quarter of the frames hidden), a descriptor is learned from the
 * damaged video alone, its conditional Langevin chains filling the hidden pixels as it learns.
 * PSNR over the hidden pixels against filling them from the nearest observed frames.
 */
export async function recover(ctx: TaskContext): Promise<TaskResult> {
  const mode = RECOVER[ctx.mode];
  const { video, source } = await loadVideo(ctx.data, mode);
  const s = { ...mode, size: frameSide(video, mode.size) };
  const preset = { ...presets.stCpu, net: stNetCpu(s.frames, s.size, video.channels) };
  const truth = fitVideo(video, preset);
  console.error(`demo-video recover: ${source} at ${s.size}×${s.size}, ${truth.frames} frames, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${source}, each frame's centre square resized to ${s.size}×${s.size}. Two kinds of damage: ${KINDS[0].occlusion.fraction * 100}% of the pixels hidden independently in every frame, and ${KINDS[1].occlusion.fraction * 100}% of the frames hidden (runs of 2). For each, the ST descriptor (${preset.net.name}) learns from the damaged video alone (the hidden pixels are never seen): every update first runs ${preset.sampler.numSteps} Langevin steps of δ = ${preset.sampler.stepSize} on the hidden pixels with the observed ones held fixed, then takes a maximum-likelihood step with the recovered video as the observed example (${s.iterations} updates, Adam ${preset.train.optimizer.learningRate}); the video is rolled in time by a random shift in every update, so that the nets' temporal strides cannot tie the recovery's artefacts to fixed frames. The hidden pixels start from the baseline (the mean of the same pixel in the nearest observed frames before and after); the recovery is the average of the chain's states over the second half of training, an estimate of the model's conditional mean.`;
  const report = newReport(ctx, 'recover', summary, { data: source, net: preset.net, sampler: preset.sampler, ...s });
  const metrics: Record<string, number> = {};
  const rows: Clip[] = [];
  let trainSeconds = 0;
  for (const [i, k] of KINDS.entries()) {
    const mask = occlusionMask(truth.frames, truth.height, truth.width, k.occlusion, ctx.seed + i);
    const damaged = applyMask(truth, mask);
    const model = learnFromIncomplete(damaged, mask, { preset, iterations: s.iterations, seed: ctx.seed + i, signal: ctx.signal });
    try {
      trainSeconds += await train(model.events, report, `recover ${k.name.toLowerCase()}`, s.iterations);
      const rec = await model.recovered();
      const base = temporalFill(damaged, mask);
      metrics[`psnr${k.name}`] = clipPsnr(rec, truth, mask);
      metrics[`psnr${k.name}Baseline`] = clipPsnr(base, truth, mask);
      metrics[`hidden${k.name}Fraction`] = 1 - mask.reduce((a, v) => a + v, 0) / mask.length;
      rows.push(damaged, base, rec);
      console.error(`demo-video recover: ${k.name.toLowerCase()}: psnr ${metrics[`psnr${k.name}`]!.toFixed(2)} dB against ${metrics[`psnr${k.name}Baseline`]!.toFixed(2)} for the baseline`);
    } finally {
      model.dispose();
    }
  }
  Object.assign(metrics, { size: s.size, frames: truth.frames, iterations: s.iterations, trainSeconds });
  console.error(`demo-video recover: trained both in ${duration(trainSeconds)}`);
  const scale = Math.max(1, Math.floor(96 / s.size));
  await writeGif(ctx, 'recovery.gif', [truth, ...rows], scale);
  await saveFrameStrip(join(ctx.out, 'recovery.png'), [truth, ...rows], { every: 1, scale: Math.max(1, Math.floor(48 / s.size)) });
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'recovery.png', caption: 'Rows: the video; hidden pixels (grey), the baseline and the recovery; hidden frames (grey), the baseline and the recovery. Every frame from the left.' },
      { file: 'recovery.gif', caption: 'The same rows side by side as one movie: video | pixels hidden, baseline, recovered | frames hidden, baseline, recovered.' },
    ],
    all,
    INFO.recover,
  );
  return { html, metrics: all };
}
