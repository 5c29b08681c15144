/**
 * Object synthesis from a small set of aligned images (Xie et al., ICML 2016, §5.2): a
 * non-stationary descriptor (ending in a dense layer) learned from the set; persistent chains
 * started at the mean colour are the synthesized objects. Pixels in [0, 255] minus the mean
 * colour of the set, as in the paper.
 */
import { resizeImage, toChannels, type Image } from './image';
import { imageModel, type ImageModel, type ImageModelOptions } from './model';
import { presets } from './presets';
import { meanColour, TEXTURE_RANGE } from './texture';

export interface ObjectOptions extends Omit<ImageModelOptions, 'preset'> {
  /** Default `presets.objectCpu` (28×28 gray). Images are resized to the net's input. */
  preset?: ImageModelOptions['preset'];
}

/** The object model of a set of aligned images; consume `events` to train, then `chainImages` are the objects. */
export function objectSynthesis(images: readonly Image[], options: ObjectOptions = {}): ImageModel {
  const preset = options.preset ?? presets.objectCpu;
  const [h, w, c] = preset.net.input as [number, number, 1 | 3];
  const imgs = images.map((i) => toChannels(resizeImage(i, w, h), c));
  const mean = new Float32Array(c);
  for (const i of imgs) meanColour(i, TEXTURE_RANGE[1]).forEach((v, k) => (mean[k]! += v / imgs.length));
  return imageModel('objectSynthesis', imgs, TEXTURE_RANGE, mean, { ...options, preset });
}
