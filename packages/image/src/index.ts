/** @ebm/image: generative ConvNets for images on @ebm/core. */
export { ImageFormatError } from './errors';
export { type Image, type PixelRange, SIGNED_RANGE, createImage, toChannels, isGray, cropImage, centerSquare, resizeImage, imagesToTensor, tensorToImages } from './image';
export { decodeImage, sniffImage, MAX_PIXELS, type DecodeOptions, type ImageKind } from './io/decode';
export { encodePng, encodeJpeg } from '@ebm/core';
export { encodeGif, decodeGif, type GifOptions } from './io/gif';
export { decodeIdx, idxImages, idxLabels, type IdxArray } from './io/idx';
export { loadImage, saveImage, saveGif, loadIdxImages, loadIdxLabels, findLabelsFile, isIdxPath, IMAGE_EXTENSIONS } from './io/files';
export { imageGrid, type GridOptions } from './grid';
export { textureNet, textureNetCpu, objectNet, objectNetCpu, shortRunNet, multigridNet } from './nets';
export { presets } from './presets';
export { imageModel, toNetRange, fromNetRange, chainImages, type ImageModel, type ImageModelOptions } from './model';
export { textureSynthesis, meanColour, TEXTURE_RANGE, type TextureOptions } from './texture';
export { objectSynthesis, type ObjectOptions } from './objects';
export { shortRunTraining, shortRunSample, type ShortRunOptions } from './shortrun';
export { inpaint, meanFill, centerSquareMask, psnr, type InpaintOptions } from './inpaint';
export { classifierNet, trainClassifier, cachedClassifier, ImageClassifier, argmax, type TrainClassifierOptions, type CachedClassifierOptions } from './classifier';
export { proceduralTexture, TEXTURE_KINDS, type TextureKind } from './procedural';
export { multigridTraining, multigridPresets, multigridCpuNets, type MultigridPreset, type MultigridOptions, type MultigridModel } from './multigrid';
