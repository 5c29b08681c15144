import { join } from 'node:path';
import { chainClips, clipShape, cropFrames, dynamicTexture, fitVideo, nearestFrameDistance, noiseLike, ownNearestFrameDistance, presets, saveFrameStrip, spatialDistance, staticLike, stNetCpu, synthesize as drawClips, temporalDistance } from '@ebm/video';
import { duration, newReport, train, writeGif, type TaskContext, type TaskResult } from '../common';
import { frameSide, loadVideo } from '../data';
import { INFO } from '../metric-info';
import { SYNTHESIZE } from '../settings';

/**
 * Dynamic-texture synthesis (STGConvNet, Xie, Zhu and Wu, CVPR 2017): the ST descriptor is
 * learned from one video; its 3 persistent chains are the synthesized clips, and fresh chains of
 * a longer clip show that the descriptor is a model of the motion, not of one clip. Scored by
 * spatial texture (Gram distance per frame) against noise, motion (temporal spectra of frame
 * differences) against a still clip and against noise, and distance to the nearest observed frame
 * against the video's own frame-to-frame distance.
 */
export async function synthesize(ctx: TaskContext): Promise<TaskResult> {
  const mode = SYNTHESIZE[ctx.mode];
  const { video, source } = await loadVideo(ctx.data, mode);
  const s = { ...mode, size: frameSide(video, mode.size) };
  const channels = video.channels;
  const preset = { ...presets.stCpu, net: stNetCpu(s.frames, s.size, channels) };
  const observed = fitVideo(video, preset);
  console.error(`demo-video synthesize: ${source} at ${s.size}×${s.size}, clips of ${Math.min(s.frames, observed.frames)} frames, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const model = dynamicTexture(video, { preset, iterations: s.iterations, seed: ctx.seed, train: { signal: ctx.signal } });
  const crops = model.clips.length;
  // A video shorter than the mode's clips gets a net of its own length.
  const netFrames = model.preset.net.input[0]!;
  const summary = `Data: ${source}, each frame's centre square resized to ${s.size}×${s.size}${observed.frames > netFrames ? `, as ${crops} evenly spaced clips of ${netFrames} frames` : ''}. The ST descriptor (${preset.net.name}: three 3-D conv layers over time × height × width, the top responses summed) learns it by maximum likelihood: ${preset.init.count} persistent Langevin chains from the mean colour, ${preset.sampler.numSteps} steps of δ = ${preset.sampler.stepSize} with σ = ${preset.sampler.refSigma} in the paper's [0, 255] units, Adam ${preset.train.optimizer.learningRate} (β1 ${preset.train.optimizer.beta1}), ${s.iterations} updates on the onnx runtime. The chains are the synthesized clips; a fresh chain of ${s.longFrames} frames (${s.longSteps} steps from the mean colour on the learned descriptor) shows clips longer than the training ones.`;
  const report = newReport(ctx, 'synthesize', summary, { data: source, net: preset.net, sampler: preset.sampler, ...s });
  try {
    const trainSeconds = await train(model.events, report, 'synthesize', s.iterations);
    const syn = await chainClips(model);
    const t0 = performance.now();
    let shown = 0;
    const long = await drawClips(model, { frames: s.longFrames, steps: s.longSteps, seed: ctx.seed + 1, onProgress: (d) => d - shown >= 200 && console.error(`demo-video synthesize: long clip, ${(shown = d)}/${s.longSteps} steps`) });
    const longSeconds = (performance.now() - t0) / 1000;
    const noise = syn.map((_, i) => noiseLike(observed, ctx.seed + 11 + i, netFrames));
    const still = [staticLike(observed, 0, netFrames)];
    const metrics = {
      spatialDistance: await spatialDistance(syn, [observed]),
      spatialDistanceNoise: await spatialDistance(noise, [observed]),
      temporalDistance: temporalDistance(syn, [observed]),
      temporalDistanceStatic: temporalDistance(still, [observed]),
      temporalDistanceNoise: temporalDistance(noise, [observed]),
      nearestCopyL2: nearestFrameDistance(syn, [observed]),
      trainToTrainL2: ownNearestFrameDistance(observed),
      spatialDistanceLong: await spatialDistance(long, [observed]),
      temporalDistanceLong: temporalDistance(long, [observed]),
      size: s.size,
      frames: netFrames,
      videoFrames: observed.frames,
      longFrames: s.longFrames,
      chains: syn.length,
      trainSeconds,
      longSeconds,
    };
    console.error(`demo-video synthesize: trained in ${duration(trainSeconds)}, long clip in ${duration(longSeconds)}`);
    const scale = Math.max(1, Math.floor(128 / s.size));
    const shownObserved = observed.frames > s.longFrames ? cropFrames(observed, 0, s.longFrames) : observed;
    await writeGif(ctx, 'observed.gif', [shownObserved], scale);
    await writeGif(ctx, 'synthesized.gif', syn, scale);
    await writeGif(ctx, 'long.gif', long, scale);
    const every = Math.max(1, Math.ceil(s.longFrames / 12));
    await saveFrameStrip(join(ctx.out, 'frames.png'), [shownObserved, ...syn, ...long], { every, scale: Math.max(1, Math.floor(64 / s.size)) });
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'frames.png', caption: `Rows: the observed video (${clipShape(shownObserved)}), the ${syn.length} synthesized clips (the persistent chains after training), and a fresh ${s.longFrames}-frame clip; frames 0, ${every}, ${2 * every}, … from the left.` },
        { file: 'observed.gif', caption: 'The observed video.' },
        { file: 'synthesized.gif', caption: 'The synthesized clips: they should move like the observed video without copying it.' },
        { file: 'long.gif', caption: `A fresh chain of ${s.longFrames} frames on the learned descriptor (longer than the ${netFrames}-frame training clips).` },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO.synthesize,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
  }
}

