/**
 * Texture synthesis from one image (Xie et al., ICML 2016, §5.1): a stationary descriptor (its top
 * responses summed over positions) is learned from the image by maximum likelihood; persistent
 * Langevin chains started at the image's mean colour are the synthesized textures. Pixels are in
 * the paper's units, [0, 255] minus the mean colour.
 */
import { resizeImage, centerSquare, toChannels, type Image } from './image';
import { imageModel, type ImageModel, type ImageModelOptions } from './model';
import { presets } from './presets';

export const TEXTURE_RANGE = [0, 255] as const;

export interface TextureOptions extends Omit<ImageModelOptions, 'preset'> {
  /** Default `presets.textureCpu` (64×64 RGB). The image is cropped to its centre square and resized to the net's input. */
  preset?: ImageModelOptions['preset'];
}

/** The texture model of one image; consume `events` to train, then `chainImages` are the textures. */
export function textureSynthesis(image: Image, options: TextureOptions = {}): ImageModel {
  const preset = options.preset ?? presets.textureCpu;
  const [h, w, c] = preset.net.input as [number, number, 1 | 3];
  const img = toChannels(resizeImage(centerSquare(image), w, h), c);
  return imageModel('textureSynthesis', [img], TEXTURE_RANGE, meanColour(img, TEXTURE_RANGE[1]), { ...options, preset });
}

/** The mean of each channel, times `scale`. */
export function meanColour(img: Image, scale = 1): Float32Array {
  const c = img.channels;
  const m = new Float32Array(c);
  for (let i = 0; i < img.data.length; i++) m[i % c]! += img.data[i]!;
  return m.map((v) => (scale * v) / (img.width * img.height));
}
