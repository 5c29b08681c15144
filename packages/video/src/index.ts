/** @ebm/video: spatial-temporal generative ConvNets (STGConvNet) for dynamic textures, on @ebm/core. */
export { VideoFormatError, FfmpegMissingError } from './errors';
export { type Clip, type Frame, type PixelRange, createClip, clipFrame, clipFrames, clipFromFrames, clipChannels, isGrayClip, cropFrames, centerSquareClip, resizeClip, clipsToTensor, tensorToClips, clipShape } from './clip';
export { decodeFrame, decodeGif, sniffFrame, MAX_FRAME_PIXELS, MAX_CLIP_PIXELS, type FrameKind } from './io/decode';
export { encodeGif, encodePng, frameStrip, type GifOptions, type StripOptions } from './io/encode';
export { decodeVideo, findFfmpeg, parsePpmStream, type VideoDecodeOptions } from './io/ffmpeg';
export { loadClip, arrayClip, saveGif, saveFrames, saveFrameStrip, FRAME_EXTENSIONS, VIDEO_EXTENSIONS, type LoadClipOptions } from './io/files';
export { stNet, stNetCpu, fcsNet, fcsNetCpu, fcsLargeNet, withFrames } from './nets';
export { presets } from './presets';
export { dynamicTexture, chainClips, synthesize, fitVideo, evenCrops, toNetUnits, fromNetUnits, meanColour, pixelClamp, VIDEO_RANGE, type DynamicTextureOptions, type VideoModel, type SynthesizeOptions } from './model';
export { spatialDistance, temporalSpectrum, temporalDistance, nearestFrameDistance, ownNearestFrameDistance, noiseLike, staticLike, type TemporalOptions } from './metrics';
export { occlusionMask, applyMask, temporalFill, clipPsnr, learnFromIncomplete, type Occlusion, type RecoveryOptions, type RecoveryModel } from './recover';
export { proceduralVideo, type ProceduralVideoOptions } from './procedural';
