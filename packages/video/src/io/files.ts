/** Clips on disk: animated GIFs, folders of PNG/JPEG frames, and video files through ffmpeg. */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { unitRangeOf, viewNpy, type NpyView } from '@ebm/core';
import { clipChannels, clipFrames, clipFromFrames, isGrayClip, type Clip, type Frame } from '../clip';
import { VideoFormatError } from '../errors';
import { decodeFrame, decodeGif, MAX_CLIP_PIXELS, sniffFrame } from './decode';
import { encodeGif, encodePng, frameStrip, type GifOptions, type StripOptions } from './encode';
import { decodeVideo } from './ffmpeg';

/** Frame files a folder clip is made of (the format itself is read from the bytes). */
export const FRAME_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.pgm', '.ppm'] as const;
/** Video files read through ffmpeg. */
export const VIDEO_EXTENSIONS = ['.mp4', '.m4v', '.mov', '.avi', '.webm', '.mkv', '.mpg', '.mpeg', '.ogv', '.flv', '.wmv'] as const;

export interface LoadClipOptions {
  /** Read at most this many frames from the start; default 300. */
  maxFrames?: number;
  /** 1 or 3 channels, or 'auto' (default): gray when every pixel of every frame has R = G = B. */
  channels?: 1 | 3 | 'auto';
  /** Video files only: scale frames down at decode time so neither side exceeds this. */
  maxSide?: number;
}

async function bytesOf(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new VideoFormatError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Reads a clip: an animated GIF, a folder of PNG/JPEG frames (in natural name order: frame2
 * before frame10), an .npy array (`arrayClip`), or a video file (AVI, MP4, WebM, MOV, … through the system's ffmpeg).
 * @throws VideoFormatError naming the file (or the frame) that cannot be used;
 *   FfmpegMissingError for a video file without ffmpeg.
 */
export async function loadClip(path: string, options: LoadClipOptions = {}): Promise<Clip> {
  const maxFrames = options.maxFrames ?? 300;
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new VideoFormatError(path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let clip: Clip;
  if (info.isDirectory()) clip = await loadFrameFolder(path, maxFrames);
  else if (extname(path).toLowerCase() === '.npy') clip = arrayClip(viewNpy(await bytesOf(path), path), path, maxFrames);
  else if ((VIDEO_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase())) clip = await decodeVideo(path, { maxFrames, maxSide: options.maxSide });
  else {
    const bytes = await bytesOf(path);
    const kind = sniffFrame(bytes);
    if (kind === 'gif') clip = decodeGif(bytes, path, { maxFrames });
    else if (kind) throw new VideoFormatError(path, `is a single ${kind.toUpperCase()} image; a clip is an animated GIF, a folder of frames or a video file (${VIDEO_EXTENSIONS.join(' ')})`);
    else throw new VideoFormatError(path, bytes.length === 0 ? 'is empty' : `is not a GIF and has no video extension (${VIDEO_EXTENSIONS.join(' ')}); cannot tell what it is`);
  }
  const c = options.channels ?? 'auto';
  return clipChannels(clip, c === 'auto' ? (isGrayClip(clip) ? 1 : 3) : c);
}

/**
 * A clip from an .npy array: T×H×W or T×H×W×C (C = 1, 3 or 4; alpha dropped), or a set of clips
 * of which the first is read: T×N×H×W as Moving MNIST stores its sequences (mnist_test_seq.npy is
 * 20 × 10000 × 64 × 64), or N×T×H×W×C. Values in [0, 1], 0–255 or [−1, 1]. Only the clip's
 * own values are read (`viewNpy`), so a data set larger than memory as float32 still loads.
 */
export function arrayClip(a: NpyView, path: string, maxFrames = 300): Clip {
  const s = a.shape;
  const isC = (c: number | undefined) => c === 1 || c === 3 || c === 4;
  // [frames, height, width, channels] and the flat index of (t, y, x, k) in the file.
  let dims: [number, number, number, number];
  let at: (t: number, y: number, x: number, k: number) => number;
  if (s.length === 3) {
    dims = [s[0]!, s[1]!, s[2]!, 1];
    at = (t, y, x) => (t * s[1]! + y) * s[2]! + x;
  } else if (s.length === 4 && isC(s[3])) {
    dims = [s[0]!, s[1]!, s[2]!, s[3]!];
    at = (t, y, x, k) => ((t * s[1]! + y) * s[2]! + x) * s[3]! + k;
  } else if (s.length === 4) {
    dims = [s[0]!, s[2]!, s[3]!, 1];
    at = (t, y, x) => ((t * s[1]! + 0) * s[2]! + y) * s[3]! + x;
  } else if (s.length === 5 && isC(s[4])) {
    dims = [s[1]!, s[2]!, s[3]!, s[4]!];
    at = (t, y, x, k) => ((t * s[2]! + y) * s[3]! + x) * s[4]! + k;
  } else throw new VideoFormatError(path, `holds an array of shape ${s.join('×')}, not a clip (T×H×W, T×H×W×C, T×N×H×W or N×T×H×W×C)`);
  const [t0, height, width, c] = dims;
  const frames = Math.min(t0, maxFrames);
  if (frames * height * width === 0) throw new VideoFormatError(path, `holds no pixels (shape ${s.join('×')})`);
  if (frames * height * width > MAX_CLIP_PIXELS) throw new VideoFormatError(path, `would take the clip over ${MAX_CLIP_PIXELS / 1e6} megapixels; pass fewer frames (maxFrames) or smaller ones`);
  const channels: 1 | 3 = c === 1 ? 1 : 3;
  const raw = new Float32Array(frames * height * width * channels);
  for (let t = 0, o = 0; t < frames; t++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let k = 0; k < channels; k++) raw[o++] = a.get(at(t, y, x, k));
  const map = unitRangeOf(raw, path);
  const plane = height * width * channels;
  const out: Frame[] = Array.from({ length: frames }, (_, t) => ({ width, height, channels, data: raw.subarray(t * plane, (t + 1) * plane).map(map) }));
  return clipFromFrames(out);
}

async function loadFrameFolder(dir: string, maxFrames: number): Promise<Clip> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => !n.startsWith('.') && (FRAME_EXTENSIONS as readonly string[]).includes(extname(n).toLowerCase()));
  } catch (e) {
    throw new VideoFormatError(dir, `cannot be listed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (names.length === 0) throw new VideoFormatError(dir, `holds no frames (${FRAME_EXTENSIONS.join(', ')} files)`);
  names.sort(new Intl.Collator('en', { numeric: true }).compare);
  const frames: Frame[] = [];
  for (const n of names.slice(0, maxFrames)) {
    const p = join(dir, n);
    const f = decodeFrame(await bytesOf(p), p);
    const first = frames[0];
    if (first && (f.width !== first.width || f.height !== first.height)) throw new VideoFormatError(p, `is ${f.width}×${f.height}; the folder's first frame (${names[0]}) is ${first.width}×${first.height}, and every frame of a clip must match`);
    if ((frames.length + 1) * f.width * f.height > MAX_CLIP_PIXELS) throw new VideoFormatError(p, `would take the clip over ${MAX_CLIP_PIXELS / 1e6} megapixels; pass fewer frames (maxFrames) or smaller ones`);
    frames.push(f);
  }
  return clipFromFrames(frames);
}

/** Writes a clip as an animated GIF. */
export async function saveGif(path: string, clip: Clip, options: GifOptions = {}): Promise<void> {
  await writeFile(path, encodeGif(clip, options));
}

/** Writes a clip as a folder of PNG frames, frame-00000.png, … (the folder is created). */
export async function saveFrames(dir: string, clip: Clip): Promise<void> {
  await mkdir(dir, { recursive: true });
  const frames = clipFrames(clip);
  for (let t = 0; t < frames.length; t++) await writeFile(join(dir, `frame-${String(t).padStart(5, '0')}.png`), encodePng(frames[t]!));
}

/** Writes clips as a frame strip PNG (a row per clip; `frameStrip`). */
export async function saveFrameStrip(path: string, clips: readonly Clip[], options: StripOptions = {}): Promise<void> {
  await writeFile(path, encodePng(frameStrip(clips, options)));
}
