/**
 * Short-run MCMC (Nijkamp et al., NeurIPS 2019): every iteration's chains start from uniform noise
 * on [−1, 1] and run K Langevin steps; the learned model is read as a generator, noise → K steps →
 * image, not as a density whose chains converge. Pixels in [−1, 1].
 */
import { langevin, sampleNoise, type Energy, type Preset } from '@ebm/core';
import { resizeImage, SIGNED_RANGE, toChannels, type Image } from './image';
import { fromNetRange, imageModel, type ImageModel, type ImageModelOptions } from './model';
import { presets } from './presets';

export interface ShortRunOptions extends Omit<ImageModelOptions, 'preset'> {
  /** Default `presets.shortRunDigits` (28×28 gray). Images are resized to the net's input. */
  preset?: Preset;
}

/** The short-run model of a set of images; consume `events` to train, then draw with `shortRunSample`. */
export function shortRunTraining(images: readonly Image[], options: ShortRunOptions = {}): ImageModel {
  const preset = options.preset ?? presets.shortRunDigits;
  const [h, w, c] = preset.net.input as [number, number, 1 | 3];
  return imageModel('shortRunTraining', images.map((i) => toChannels(resizeImage(i, w, h), c)), SIGNED_RANGE, new Float32Array(c), { ...options, preset });
}

/**
 * n images from the short-run generator: uniform noise, then the preset's K Langevin steps on
 * `energy` (chains of one batch are independent; the batch only sets memory use).
 */
export async function shortRunSample(energy: Energy, preset: Preset, n: number, seed = 0, batch = 100): Promise<Image[]> {
  const shape = preset.net.input;
  const out: Image[] = [];
  for (let i = 0; i < n; i += batch) {
    const x0 = sampleNoise(Math.min(batch, n - i), shape, { dist: 'uniform', low: -1, high: 1 }, seed + i);
    const r = await langevin(energy, x0, { ...preset.sampler, seed: seed + 7919 * (i + 1) });
    x0.dispose();
    out.push(...(await fromNetRange(r.x, SIGNED_RANGE)));
    r.x.dispose();
  }
  return out;
}
