/**
 * AVI, MP4, WebM, MOV … through the system's ffmpeg, when it is installed (nothing is bundled:
 * ffmpeg is GPL and large, and GIFs or frame folders need none of it). ffmpeg writes the frames
 * as a stream of binary PPMs, whose headers carry the size, so no ffprobe is needed.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { clipFromFrames, type Clip, type Frame } from '../clip';
import { FfmpegMissingError, VideoFormatError } from '../errors';
import { MAX_CLIP_PIXELS } from './decode';

/** The ffmpeg executable: $EBM_FFMPEG, else the first `ffmpeg` on PATH; undefined when there is none. */
export function findFfmpeg(): string | undefined {
  const candidates = process.env.EBM_FFMPEG ? [process.env.EBM_FFMPEG] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface VideoDecodeOptions {
  /** Read at most this many frames from the start; default 300. */
  maxFrames?: number;
  /** Scale frames down (aspect kept) so that neither side exceeds this; default: as stored. */
  maxSide?: number;
}

/**
 * Decodes a video file's frames with ffmpeg (RGB in [0, 1]; `fps` from ffmpeg's stream info).
 * @throws FfmpegMissingError when ffmpeg is not installed; VideoFormatError naming the file when
 *   ffmpeg cannot read it.
 */
export async function decodeVideo(path: string, options: VideoDecodeOptions = {}): Promise<Clip> {
  const ffmpeg = findFfmpeg();
  if (!ffmpeg) throw new FfmpegMissingError(path);
  const maxFrames = options.maxFrames ?? 300;
  const args = ['-hide_banner', '-nostdin', '-i', path, '-an', '-frames:v', String(maxFrames)];
  if (options.maxSide) args.push('-vf', `scale=w='min(iw,${options.maxSide})':h='min(ih,${options.maxSide})':force_original_aspect_ratio=decrease`);
  args.push('-f', 'image2pipe', '-vcodec', 'ppm', '-');
  const { stdout, stderr, code } = await run(ffmpeg, args);
  if (code !== 0) {
    const why = stderr.split('\n').map((l) => l.trim()).filter(Boolean).at(-1) ?? `exit code ${code}`;
    throw new VideoFormatError(path, `could not be read by ffmpeg (${why})`);
  }
  const frames = parsePpmStream(stdout, path);
  if (frames.length === 0) throw new VideoFormatError(path, 'has no video frames that ffmpeg could decode');
  const fps = /(\d+(?:\.\d+)?) fps/.exec(stderr)?.[1];
  return clipFromFrames(frames, fps ? Number(fps) : undefined);
}

function run(cmd: string, args: string[]): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    let bytes = 0;
    p.stdout.on('data', (b: Buffer) => {
      bytes += b.length;
      // 3 bytes a pixel: stop a runaway decode before it exhausts memory.
      if (bytes > MAX_CLIP_PIXELS * 3) p.kill();
      else out.push(b);
    });
    p.stderr.on('data', (b: Buffer) => void (err = (err + b.toString()).slice(-20000)));
    p.on('error', reject);
    p.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: err, code: bytes > MAX_CLIP_PIXELS * 3 ? 0 : code }));
  });
}

/** Consecutive binary PPMs (P6, maxval 255) → RGB frames. */
export function parsePpmStream(buf: Uint8Array, path: string): Frame[] {
  const frames: Frame[] = [];
  let i = 0;
  const token = (): string => {
    // Whitespace and comments between header fields.
    for (;;) {
      while (i < buf.length && /\s/.test(String.fromCharCode(buf[i]!))) i++;
      if (buf[i] === 0x23) while (i < buf.length && buf[i] !== 0x0a) i++;
      else break;
    }
    const s = i;
    while (i < buf.length && !/\s/.test(String.fromCharCode(buf[i]!))) i++;
    return String.fromCharCode(...buf.subarray(s, i));
  };
  while (i < buf.length) {
    if (token() !== 'P6') throw new VideoFormatError(path, `ffmpeg's frame ${frames.length} is not a binary PPM`);
    const [w, h, max] = [Number(token()), Number(token()), Number(token())];
    i++;
    if (!(w > 0 && h > 0 && max === 255)) throw new VideoFormatError(path, `ffmpeg's frame ${frames.length} has an unusable PPM header (${w}×${h}, maxval ${max})`);
    const n = w * h * 3;
    // A run stopped at the memory limit ends in a partial frame: drop it.
    if (i + n > buf.length) break;
    const data = new Float32Array(n);
    for (let k = 0; k < n; k++) data[k] = buf[i + k]! / 255;
    frames.push({ width: w, height: h, channels: 3, data });
    i += n;
  }
  return frames;
}
