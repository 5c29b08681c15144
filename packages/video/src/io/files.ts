/** Clips on disk: animated GIFs, folders of PNG/JPEG frames, and video files through ffmpeg. */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { clipChannels, clipFrames, clipFromFrames, isGrayClip, type Clip, type Frame } from '../clip';
import { VideoFormatError } from '../errors';
import { decodeFrame, decodeGif, MAX_CLIP_PIXELS, sniffFrame } from './decode';
import { encodeGif, encodePng, frameStrip, type GifOptions, type StripOptions } from './encode';
import { decodeVideo } from './ffmpeg';

/** Frame files a folder clip is made of (the format itself is read from the bytes). */
export const FRAME_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;
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
 * before frame10), or a video file (AVI, MP4, WebM, MOV, … through the system's ffmpeg).
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
