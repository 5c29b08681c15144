/**
 * Raster files, shared by the modality packages that read or write pictures (images, video
 * frames): PNG (pngjs), JPEG (jpeg-js) and GIF (omggif), and BMP, Netpbm and TIFF (bitmaps.ts),
 * the format sniffed from the bytes. Every
 * codec failure becomes a FormatError naming the file, so nothing from deep inside a codec reaches
 * a user. Pixels cross this module as 8-bit RGBA (decoding) or values in [0, 1] (encoding).
 */
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import pngjs from 'pngjs';
import { decodeBmp, decodePnm, decodeTiff } from './bitmaps';
import { FormatError, InvalidOptionError } from './errors';
import { log } from './log';

/** The largest picture decoded (pixels per frame); a 100-megapixel photo is not training data. */
export const MAX_PIXELS = 50_000_000;

export type PixelFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'pnm' | 'tiff';

/** A picture: height × width × channels values in [0, 1], row-major, channels last. */
export interface Pixels {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  data: Float32Array;
}

/** The format of a raster file from its first bytes, or undefined. */
export function sniffPixels(bytes: Uint8Array): PixelFormat | undefined {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) return 'gif';
  if (bytes.length >= 14 && bytes[0] === 0x42 && bytes[1] === 0x4d) return 'bmp';
  if (bytes.length >= 8 && ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42 && bytes[3] === 0) || (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[2] === 0 && bytes[3] === 42))) return 'tiff';
  if (bytes.length >= 3 && bytes[0] === 0x50 && bytes[1]! >= 0x31 && bytes[1]! <= 0x36 && /\s/.test(String.fromCharCode(bytes[2]!))) return 'pnm';
  return undefined;
}

/** Decoded frames: one for PNG and JPEG, every frame (composed as a viewer shows it) for GIF. */
export interface RgbaFrames {
  format: PixelFormat;
  width: number;
  height: number;
  /** 8-bit RGBA, width · height · 4 bytes each. */
  frames: Uint8Array[];
  /** A GIF's first frame delay in milliseconds (0 or absent when it states none). */
  delayMs?: number;
}

export interface DecodeRgbaOptions {
  /** GIF: decode at most this many frames; default all. */
  maxFrames?: number;
  /** GIF: stop (with a warning) before the frames hold more pixels than this in all; default unlimited. */
  maxTotalPixels?: number;
}

const latin1 = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

/**
 * Decodes a PNG (any bit depth, palette, interlace), a baseline or progressive JPEG, the frames
 * of a GIF, or a BMP, PBM/PGM/PPM or TIFF picture.
 * @throws FormatError naming `path` for empty, truncated, corrupt or unsupported files.
 */
export function decodeRgba(bytes: Uint8Array, path: string, options: DecodeRgbaOptions = {}): RgbaFrames {
  const format = sniffPixels(bytes);
  if (format === 'png') {
    let png;
    try {
      png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      // pngjs reports a file that ends early as "read requests waiting on finished stream".
      const m = (e as Error).message;
      throw new FormatError(path, `is not a readable PNG (${/finished stream/.test(m) ? 'it ends early: truncated' : m})`);
    }
    checkSize(png.width, png.height, path);
    return { format, width: png.width, height: png.height, frames: [new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength)] };
  }
  if (format === 'jpeg') {
    let j;
    try {
      j = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 1024 });
    } catch (e) {
      throw new FormatError(path, `is not a readable JPEG (${(e as Error).message})`);
    }
    checkSize(j.width, j.height, path);
    // Phone photos are stored as the sensor saw them, with the turn to show them upright in EXIF.
    const upright = orient({ width: j.width, height: j.height, rgba: j.data }, exifOrientation(bytes));
    return { format, width: upright.width, height: upright.height, frames: [upright.rgba] };
  }
  if (format === 'gif') return decodeGifRgba(bytes, path, options);
  if (format === 'bmp' || format === 'pnm' || format === 'tiff') {
    const decode = { bmp: decodeBmp, pnm: decodePnm, tiff: decodeTiff }[format];
    const { width, height, rgba } = decode(bytes, path, (w, h) => checkSize(w, h, path));
    return { format, width, height, frames: [rgba] };
  }
  if (bytes.length >= 12 && latin1(bytes.subarray(0, 4)) === 'RIFF' && latin1(bytes.subarray(8, 12)) === 'WEBP') throw new FormatError(path, 'is a WebP image, which is not read (convert it to PNG, e.g. with dwebp)');
  throw new FormatError(path, bytes.length === 0 ? 'is empty' : 'is not a PNG, JPEG, GIF, BMP, TIFF or PNM image (unrecognised first bytes)');
}

function checkSize(width: number, height: number, path: string): void {
  if (!(width > 0 && height > 0)) throw new FormatError(path, `has no pixels (${width}×${height})`);
  if (width * height > MAX_PIXELS) throw new FormatError(path, `is ${width}×${height} pixels, over the ${MAX_PIXELS / 1e6}-megapixel limit (downscale it first)`);
}

function decodeGifRgba(bytes: Uint8Array, path: string, options: DecodeRgbaOptions): RgbaFrames {
  let reader: omggif.GifReader;
  try {
    reader = new omggif.GifReader(bytes);
  } catch (e) {
    // A download cut short loses its last frames, not the ones before them: read those.
    const whole = completeFrames(bytes);
    const refused = new FormatError(path, `is not a readable GIF (${(e as Error).message})`);
    if (!whole) throw refused;
    try {
      reader = new omggif.GifReader(whole.bytes);
    } catch {
      throw refused;
    }
    log('warn', `${path}: ends early (truncated); read its first ${whole.frames} complete frame${whole.frames > 1 ? 's' : ''}`);
  }
  const { width, height } = reader;
  checkSize(width, height, path);
  const wanted = Math.min(options.maxFrames ?? Infinity, reader.numFrames());
  const n = Math.min(wanted, Math.max(1, Math.floor((options.maxTotalPixels ?? Infinity) / (width * height))));
  if (n === 0) throw new FormatError(path, 'has no frames (an empty or truncated GIF)');
  if (n < wanted) log('warn', `${path}: only the first ${n} of ${reader.numFrames()} frames are read (at most ${options.maxTotalPixels! >= 1e6 ? `${options.maxTotalPixels! / 1e6} megapixels` : `${options.maxTotalPixels} pixels`} in all)`);
  const canvas = new Uint8Array(width * height * 4);
  const frames: Uint8Array[] = [];
  let delayMs = 0;
  // omggif reports an LZW stream of the wrong length with console.log and decodes what it has,
  // as browsers do; the report becomes one warning naming the file.
  const quiet = console.log;
  let damaged = false;
  console.log = () => void (damaged = true);
  try {
    for (let i = 0; i < n; i++) {
      try {
        const info = reader.frameInfo(i);
        if (i === 0) delayMs = 10 * info.delay;
        const before = info.disposal === 3 ? canvas.slice() : undefined;
        reader.decodeAndBlitFrameRGBA(i, canvas);
        frames.push(canvas.slice());
        // Disposal 2 clears the frame's rectangle, 3 restores what was under it.
        if (info.disposal === 2) for (let y = info.y; y < Math.min(height, info.y + info.height); y++) canvas.fill(0, (y * width + info.x) * 4, (y * width + Math.min(width, info.x + info.width)) * 4);
        if (before) canvas.set(before);
      } catch (e) {
        throw new FormatError(path, `frame ${i} of the GIF cannot be decoded (${(e as Error).message})`);
      }
    }
  } finally {
    console.log = quiet;
  }
  if (damaged) log('warn', `${path}: a GIF frame's data is shorter or longer than its size; decoded what is there`);
  return { format: 'gif', width, height, frames, delayMs };
}

/**
 * The EXIF Orientation (tag 0x0112) of a JPEG's APP1 segment: 1 (as stored) to 8; 1 when absent
 * or unreadable (EXIF 2.3, §4.6.4; TIFF-structured, either byte order).
 */
export function exifOrientation(bytes: Uint8Array): number {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    const size = v.getUint16(at + 2);
    if (marker === 0xda) break; // start of scan: no EXIF before the image data
    if (marker === 0xe1 && at + 10 <= bytes.length && latin1(bytes.subarray(at + 4, at + 10)) === 'Exif\0\0') {
      const tiff = at + 10;
      if (tiff + 8 > bytes.length) return 1;
      const le = bytes[tiff] === 0x49;
      const ifd = tiff + v.getUint32(tiff + 4, le);
      if (ifd + 2 > bytes.length) return 1;
      const n = v.getUint16(ifd, le);
      for (let k = 0; k < n && ifd + 2 + 12 * k + 12 <= bytes.length; k++) {
        const e = ifd + 2 + 12 * k;
        if (v.getUint16(e, le) === 0x0112) {
          const o = v.getUint16(e + 8, le);
          return o >= 1 && o <= 8 ? o : 1;
        }
      }
      return 1;
    }
    at += 2 + size;
  }
  return 1;
}

/** RGBA turned and mirrored as EXIF orientation `o` says, so that it shows upright (2–8; 1 as is). */
function orient(img: { width: number; height: number; rgba: Uint8Array }, o: number): { width: number; height: number; rgba: Uint8Array } {
  if (o === 1) return img;
  const { width: w, height: h, rgba } = img;
  const swap = o >= 5;
  const [W, H] = swap ? [h, w] : [w, h];
  const out = new Uint8Array(rgba.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      // The stored pixel (sx, sy) shown at (x, y), per EXIF's eight orientations.
      const [sx, sy] = [
        [x, y],
        [w - 1 - x, y],
        [w - 1 - x, h - 1 - y],
        [x, h - 1 - y],
        [y, x],
        [y, h - 1 - x],
        [w - 1 - y, h - 1 - x],
        [w - 1 - y, x],
      ][o - 1]!;
      out.set(rgba.subarray(4 * (sy! * w + sx!), 4 * (sy! * w + sx!) + 4), 4 * (y * W + x));
    }
  return { width: W, height: H, rgba: out };
}

/**
 * A truncated GIF cut after its last complete frame, with the trailer put back (GIF89a: header,
 * logical screen, colour table, then extension and image blocks of length-prefixed sub-blocks), or
 * undefined when not one frame is complete or the blocks are not GIF's.
 */
function completeFrames(bytes: Uint8Array): { bytes: Uint8Array; frames: number } | undefined {
  if (bytes.length < 13) return undefined;
  let at = 13 + (bytes[10]! & 0x80 ? 3 << ((bytes[10]! & 7) + 1) : 0);
  let end = 0;
  let frames = 0;
  // Skips a run of sub-blocks; the offset after its terminator, or −1 when it runs past the end.
  const subBlocks = (o: number) => {
    while (o < bytes.length && bytes[o] !== 0) o += bytes[o]! + 1;
    return o < bytes.length ? o + 1 : -1;
  };
  while (at < bytes.length) {
    const block = bytes[at]!;
    if (block === 0x21) at = at + 2 <= bytes.length ? subBlocks(at + 2) : -1;
    else if (block === 0x2c) {
      if (at + 11 > bytes.length) break;
      const flags = bytes[at + 9]!;
      at = subBlocks(at + 10 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0) + 1);
      if (at >= 0) (end = at), frames++;
    } else break;
    if (at < 0) break;
  }
  if (frames === 0) return undefined;
  const out = new Uint8Array(end + 1);
  out.set(bytes.subarray(0, end));
  out[end] = 0x3b;
  return { bytes: out, frames };
}

/** 8-bit RGBA → RGB values in [0, 1], alpha composited over white. */
export function rgbaToPixels(rgba: Uint8Array, width: number, height: number): Pixels {
  const n = width * height;
  const data = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    for (let k = 0; k < 3; k++) data[3 * i + k] = (a * rgba[4 * i + k]!) / 255 + (1 - a);
  }
  return { width, height, channels: 3, data };
}

/** True when every pixel has R = G = B. */
export function isGrayPixels(p: Pixels): boolean {
  if (p.channels === 1) return true;
  const d = p.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return false;
  return true;
}

/** 8-bit RGBA of a picture (gray repeated, values clamped, alpha 255). */
export function pixelsToRgba(p: Pixels): Uint8Array {
  const n = p.width * p.height;
  const out = new Uint8Array(n * 4);
  const c = p.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[4 * i + k] = Math.round(255 * Math.min(1, Math.max(0, p.data[c * i + (c === 1 ? 0 : k)]!)));
    out[4 * i + 3] = 255;
  }
  return out;
}

/** An 8-bit PNG: gray pictures as gray (colour type 0), others as RGB. */
export function encodePng(p: Pixels): Uint8Array {
  const colorType = p.channels === 1 ? 0 : 2;
  const png = new pngjs.PNG({ width: p.width, height: p.height, colorType, inputColorType: 6, inputHasAlpha: true });
  png.data = Buffer.from(pixelsToRgba(p).buffer);
  return new Uint8Array(pngjs.PNG.sync.write(png, { colorType, inputColorType: 6, inputHasAlpha: true }));
}

/** A baseline JPEG at `quality` (1–100, default 90). */
export function encodeJpeg(p: Pixels, quality = 90): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: p.width, height: p.height, data: pixelsToRgba(p) }, quality).data);
}

export interface GifOptions {
  /** Time each frame is shown, in milliseconds (GIF stores hundredths); default 100. */
  delayMs?: number;
  /** Repeat forever (default true) or play once. */
  loop?: boolean;
}

const GRAY = Array.from({ length: 256 }, (_, i) => (i << 16) | (i << 8) | i);
const LEVELS = [6, 7, 6] as const;
const CUBE = Array.from({ length: 256 }, (_, i) => {
  if (i >= 252) return 0;
  const r = Math.floor(i / 42);
  const g = Math.floor((i % 42) / 6);
  const b = i % 6;
  return (Math.round((255 * r) / 5) << 16) | (Math.round((255 * g) / 6) << 8) | Math.round((255 * b) / 5);
});
const BAYER = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5].map((v) => (v + 0.5) / 16 - 0.5);

/**
 * Frames of one size as an animated GIF. Gray frames use a 256-level gray palette (exact at 8
 * bits); colour frames one fixed 6×7×6 colour cube with ordered dithering, the same palette and
 * dither for every frame, so that a still region stays still in the movie.
 * @throws InvalidOptionError when frames are missing or differ in size.
 */
export function encodeGif(frames: readonly Pixels[], options: GifOptions = {}): Uint8Array {
  if (frames.length === 0) throw new InvalidOptionError('encodeGif', 'frames', '[]', 'at least one frame');
  const { width, height } = frames[0]!;
  frames.forEach((f, i) => {
    if (f.width !== width || f.height !== height) throw new InvalidOptionError('encodeGif', `frames[${i}]`, `${f.width}×${f.height}`, `the size of frame 0 (${width}×${height})`);
  });
  const gray = frames.every(isGrayPixels);
  const buf = new Uint8Array(4096 + frames.length * (2 * width * height + 1024));
  const writer = new omggif.GifWriter(buf, width, height, { palette: gray ? GRAY : CUBE, ...(options.loop === false ? {} : { loop: 0 }) });
  const delay = Math.max(1, Math.round((options.delayMs ?? 100) / 10));
  for (const f of frames) writer.addFrame(0, 0, width, height, (gray ? grayIndices(f) : cubeIndices(f)) as unknown as number[], { delay });
  return buf.slice(0, writer.end());
}

function grayIndices(f: Pixels): Uint8Array {
  const c = f.channels;
  return Uint8Array.from({ length: f.width * f.height }, (_, p) => Math.round(255 * Math.min(1, Math.max(0, f.data[p * c]!))));
}

function cubeIndices(f: Pixels): Uint8Array {
  const out = new Uint8Array(f.width * f.height);
  const c = f.channels;
  for (let y = 0; y < f.height; y++) {
    for (let x = 0; x < f.width; x++) {
      const p = y * f.width + x;
      const d = BAYER[(y & 3) * 4 + (x & 3)]!;
      const q = LEVELS.map((l, k) => Math.min(l - 1, Math.max(0, Math.round(f.data[p * c + (c === 3 ? k : 0)]! * (l - 1) + d))));
      out[p] = q[0]! * 42 + q[1]! * 6 + q[2]!;
    }
  }
  return out;
}
