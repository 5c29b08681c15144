import { gramDistance, tf } from '@ebm/core';
import { centerSquare, chainImages, imagesToTensor, presets, resizeImage, textureNet, textureNetCpu, textureSynthesis, toChannels, type Image } from '@ebm/image';
import { newReport, train, writeChainGif, writeGrid, type TaskContext, type TaskResult } from '../common';
import { loadTexture } from '../data';
import { INFO } from '../metric-info';
import { TEXTURE } from '../settings';

/**
 * Texture synthesis (generative ConvNet, Xie et al. ICML 2016 §5.1): a stationary descriptor is
 * learned from one image; its 3 persistent chains are the synthesized textures, scored by the
 * Gram-matrix texture distance against Gaussian noise of the image's mean and variance.
 */
export async function texture(ctx: TaskContext): Promise<TaskResult> {
  const s = TEXTURE[ctx.mode];
  const { image, source } = await loadTexture(ctx.data, s.size, ctx.seed, ctx.strict);
  const channels = image.channels;
  const base = s.paperNet ? presets.texture : presets.textureCpu;
  const preset = { ...base, net: s.paperNet ? textureNet(s.size, channels) : textureNetCpu(s.size, channels) };
  console.error(`demo-image texture: ${source} at ${s.size}×${s.size}, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const summary = `Data: ${source}, cropped to its centre square and resized to ${s.size}×${s.size}. A stationary descriptor (${preset.net.name}: three conv layers, the top responses summed over positions) learns it by maximum likelihood: ${base.init.count} persistent Langevin chains started at the mean colour, ${base.sampler.numSteps} steps of δ = ${base.sampler.stepSize} with σ = ${base.sampler.refSigma} in the paper's [0, 255] units, Adam ${base.train.optimizer.learningRate} (β1 ${base.train.optimizer.beta1}), ${s.iterations} updates on the onnx runtime. The chains are the synthesized textures.`;
  const report = newReport(ctx, 'texture', summary, { data: source, net: preset.net, sampler: base.sampler, ...s });
  const model = textureSynthesis(image, { preset, iterations: s.iterations, seed: ctx.seed, train: { signal: ctx.signal } });
  try {
    await train(model.events, report, 'texture', s.iterations);
    const syn = await chainImages(model);
    const src = toChannels(resizeImage(centerSquare(image), s.size, s.size), channels);
    const [gram, gramNoise] = await scores(syn, src, ctx.seed);
    const metrics = { gramDistance: gram, gramDistanceNoise: gramNoise, size: s.size, chains: syn.length };
    const scale = Math.max(1, Math.floor(192 / s.size));
    await writeGrid(ctx, 'textures.png', [src, ...syn], { scale, cols: syn.length + 1 });
    const x0 = tf.zeros([1, s.size, s.size, channels]);
    await writeChainGif(ctx, 'chain.gif', model.energy, x0, base.sampler, { frames: ctx.mode === 'smoke' ? 3 : 40, every: ctx.mode === 'smoke' ? 2 : 10, range: model.range, offset: model.offset, grid: { scale, pad: 0 }, seed: ctx.seed });
    x0.dispose();
    await report.writeCurves();
    const all = await report.writeMetrics(metrics);
    const html = await report.writeHtml(
      [
        { file: 'textures.png', caption: `Left: the training image (${s.size}×${s.size}). Right: the ${syn.length} synthesized textures (the persistent chains after training).` },
        { file: 'chain.gif', caption: 'A fresh Langevin chain on the learned descriptor, from the mean colour: every frame is 10 more steps.' },
        { file: 'curves.png', caption: 'Training curves.' },
      ],
      all,
      INFO.texture,
    );
    return { html, metrics: all };
  } finally {
    model.dispose();
  }
}

/** Gram distance of the textures to the source, and of Gaussian noise with the source's mean and variance per channel. */
async function scores(syn: Image[], src: Image, seed: number): Promise<[number, number]> {
  const x = imagesToTensor(syn, [0, 1]);
  const ref = imagesToTensor([src], [0, 1]);
  const noise = tf.tidy(() => {
    const { mean, variance } = tf.moments(ref, [0, 1, 2]);
    return tf.add(tf.mul(tf.randomNormal(x.shape, 0, 1, 'float32', seed + 1), tf.sqrt(variance)), mean);
  });
  try {
    return [await gramDistance(x, ref), await gramDistance(noise, ref)];
  } finally {
    tf.dispose([x, ref, noise]);
  }
}
