/**
 * The raster formats of classic image and texture sets beside PNG, JPEG and GIF: BMP (Windows
 * bitmaps: CUReT, Outex), Netpbm PBM/PGM/PPM (VisTex, many Brodatz copies) and TIFF (the USC-SIPI
 * Brodatz textures). Each decoder returns 8-bit RGBA, as the others in pixels.ts do, and refuses
 * damage with a FormatError naming the file. TIFF goes through utif2 (LZW, PackBits, Deflate,
 * JPEG, 1–16 bits), loaded on first use: it costs ~100 ms to load, which an `import` of ebm
 * should not pay.
 */
import { FormatError } from './errors';

export interface Rgba {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Checks a decoder's claimed size before it allocates: no pixels, or more than `maxPixels`. */
type SizeCheck = (width: number, height: number) => void;

/**
 * A Windows bitmap: BITMAPCOREHEADER or BITMAPINFOHEADER and its V4/V5 extensions; 1, 4 and 8 bits
 * through a palette, 16 and 32 bits with default or BI_BITFIELDS masks, 24 bits BGR; bottom-up or
 * top-down rows. RLE-compressed bitmaps are refused with a message.
 */
export function decodeBmp(bytes: Uint8Array, path: string, check: SizeCheck): Rgba {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const truncated = () => new FormatError(path, 'is not a readable BMP (it ends early: truncated)');
  if (bytes.length < 26) throw truncated();
  const offset = v.getUint32(10, true);
  const header = v.getUint32(14, true);
  if (header !== 12 && header < 40) throw new FormatError(path, `is not a readable BMP (header of ${header} bytes)`);
  if (14 + header > bytes.length) throw truncated();
  const core = header === 12;
  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const rawHeight = core ? v.getInt16(20, true) : v.getInt32(22, true);
  const bpp = v.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : v.getUint32(30, true);
  const height = Math.abs(rawHeight);
  if (compression === 1 || compression === 2) throw new FormatError(path, 'is an RLE-compressed BMP, which is not read (save it uncompressed or as PNG)');
  if (compression !== 0 && compression !== 3 && compression !== 6) throw new FormatError(path, `is a BMP with compression ${compression} (JPEG or PNG inside), which is not read`);
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new FormatError(path, `is a BMP of ${bpp} bits per pixel, which is not read`);
  check(width, height);
  // Channel masks: BI_BITFIELDS after a 40-byte header, or inside a V4/V5 header; else the defaults.
  let masks = bpp === 16 ? [0x7c00, 0x3e0, 0x1f, 0] : [0xff0000, 0xff00, 0xff, 0];
  if (compression === 3 || compression === 6) {
    const at = 14 + 40;
    if (at + (compression === 6 ? 16 : 12) > bytes.length) throw truncated();
    masks = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true), header >= 56 || compression === 6 ? v.getUint32(at + 12, true) : 0];
  }
  const paletteAt = 14 + header + (header === 40 && compression === 3 ? 12 : header === 40 && compression === 6 ? 16 : 0);
  const entry = core ? 3 : 4;
  const colours = bpp <= 8 ? (core ? 0 : v.getUint32(46, true)) || 1 << bpp : 0;
  if (paletteAt + colours * entry > bytes.length) throw truncated();
  const stride = Math.floor((bpp * width + 31) / 32) * 4;
  if (offset + stride * height > bytes.length) throw truncated();
  const rgba = new Uint8Array(width * height * 4);
  const channel = (word: number, mask: number) => {
    if (!mask) return 255;
    const shift = Math.clz32(mask & -mask) ^ 31;
    const max = mask >>> shift;
    return Math.round((((word & mask) >>> shift) * 255) / max);
  };
  for (let y = 0; y < height; y++) {
    const row = offset + stride * (rawHeight > 0 ? height - 1 - y : y);
    for (let x = 0; x < width; x++) {
      const o = 4 * (y * width + x);
      if (bpp <= 8) {
        const bit = x * bpp;
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        if (index >= colours) throw new FormatError(path, `is not a readable BMP (pixel ${x}, ${y} names colour ${index} of a ${colours}-colour palette)`);
        const p = paletteAt + index * entry;
        rgba.set([bytes[p + 2]!, bytes[p + 1]!, bytes[p]!, 255], o);
      } else if (bpp === 24) {
        const p = row + 3 * x;
        rgba.set([bytes[p + 2]!, bytes[p + 1]!, bytes[p]!, 255], o);
      } else {
        const word = bpp === 16 ? v.getUint16(row + 2 * x, true) : v.getUint32(row + 4 * x, true);
        rgba.set([channel(word, masks[0]!), channel(word, masks[1]!), channel(word, masks[2]!), channel(word, masks[3]!)], o);
      }
    }
  }
  return { width, height, rgba };
}

/**
 * Netpbm: PBM (P1, P4), PGM (P2, P5) and PPM (P3, P6), ASCII or binary, any maxval up to 65535
 * (16-bit samples big-endian), `#` comments in the header. The first image of a file is read.
 */
export function decodePnm(bytes: Uint8Array, path: string, check: SizeCheck): Rgba {
  const kind = bytes[1]! - 0x30;
  let at = 2;
  const token = (): number => {
    for (;;) {
      while (at < bytes.length && /\s/.test(String.fromCharCode(bytes[at]!))) at++;
      if (bytes[at] !== 0x23) break;
      while (at < bytes.length && bytes[at] !== 10 && bytes[at] !== 13) at++;
    }
    const start = at;
    while (at < bytes.length && bytes[at]! >= 0x30 && bytes[at]! <= 0x39) at++;
    if (start === at) throw new FormatError(path, at >= bytes.length ? 'is not a readable PNM image (it ends early: truncated)' : `is not a readable PNM image (a header value is "${String.fromCharCode(bytes[at]!)}…", not a number)`);
    return Number(new TextDecoder('latin1').decode(bytes.subarray(start, at)));
  };
  const width = token();
  const height = token();
  const bits = kind === 1 || kind === 4;
  const maxval = bits ? 1 : token();
  if (maxval < 1 || maxval > 65535) throw new FormatError(path, `is not a readable PNM image (maxval ${maxval})`);
  check(width, height);
  const channels = kind === 3 || kind === 6 ? 3 : 1;
  const n = width * height;
  const rgba = new Uint8Array(n * 4);
  const put = (i: number, c: number, value: number) => {
    // PBM: 1 is black.
    const g = bits ? (value ? 0 : 255) : Math.round((value * 255) / maxval);
    if (channels === 3) rgba[4 * i + c] = g;
    else rgba.fill(g, 4 * i, 4 * i + 3);
    rgba[4 * i + 3] = 255;
  };
  if (kind <= 3) {
    for (let i = 0; i < n; i++)
      for (let c = 0; c < channels; c++) {
        if (kind === 1) {
          // PBM ASCII digits may be written without separators.
          while (at < bytes.length && (bytes[at]! < 0x30 || bytes[at]! > 0x31)) at++;
          if (at >= bytes.length) throw new FormatError(path, 'is not a readable PNM image (it ends early: truncated)');
          put(i, c, bytes[at++]! - 0x30);
        } else put(i, c, Math.min(token(), maxval));
      }
    return { width, height, rgba };
  }
  at++; // the one whitespace byte after the header
  if (kind === 4) {
    const stride = Math.ceil(width / 8);
    if (at + stride * height > bytes.length) throw new FormatError(path, 'is not a readable PNM image (it ends early: truncated)');
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) put(y * width + x, 0, (bytes[at + y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1);
    return { width, height, rgba };
  }
  const size = maxval > 255 ? 2 : 1;
  if (at + n * channels * size > bytes.length) throw new FormatError(path, 'is not a readable PNM image (it ends early: truncated)');
  for (let i = 0; i < n; i++)
    for (let c = 0; c < channels; c++) {
      const p = at + (i * channels + c) * size;
      put(i, c, Math.min(size === 2 ? (bytes[p]! << 8) | bytes[p + 1]! : bytes[p]!, maxval));
    }
  return { width, height, rgba };
}

interface Utif {
  decode(buffer: ArrayBuffer | Uint8Array): { width?: number; height?: number; t256?: number[]; t257?: number[] }[];
  decodeImage(buffer: ArrayBuffer | Uint8Array, ifd: object): void;
  toRGBA8(ifd: object): Uint8Array;
}
let utif: Utif | undefined;

/** The first image of a TIFF file (utif2: every compression and bit depth TIFF viewers read). */
export function decodeTiff(bytes: Uint8Array, path: string, check: SizeCheck): Rgba {
  // Loaded here, not with the module (see the file's comment); `require` is Node's in both builds.
  checkTiff(bytes, path);
  utif ??= require('utif2') as Utif;
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let ifds;
  try {
    ifds = utif.decode(buffer);
  } catch (e) {
    throw new FormatError(path, `is not a readable TIFF (${(e as Error).message})`);
  }
  const ifd = ifds.find((d) => d.t256 && d.t257);
  if (!ifd) throw new FormatError(path, 'is not a readable TIFF (no image in it: truncated?)');
  const width = ifd.t256![0]!;
  const height = ifd.t257![0]!;
  check(width, height);
  // A damaged size field can claim far more pixels than the strips could hold, even compressed.
  if (width * height * 4 > 1100 * bytes.length) throw new FormatError(path, `is not a readable TIFF (it claims ${width}×${height} pixels, more than its ${bytes.length} bytes can hold)`);
  let rgba: Uint8Array;
  try {
    utif.decodeImage(buffer, ifd);
    rgba = utif.toRGBA8(ifd);
  } catch (e) {
    throw new FormatError(path, `is not a readable TIFF (${(e as Error).message})`);
  }
  if (rgba.length !== width * height * 4) throw new FormatError(path, 'is not a readable TIFF (its image data is damaged or truncated)');
  return { width, height, rgba };
}

/** Bytes per value of each TIFF field type (TIFF 6.0 §2; 16–18 from BigTIFF). */
const TIFF_TYPE_BYTES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/**
 * Walks a TIFF's directories before utif2 sees them: every field's values must lie inside the
 * file and the chain of directories must end. utif2 trusts these counts, and a damaged one made
 * it grow an array until V8 aborted the process, which no try/catch can stop.
 */
function checkTiff(bytes: Uint8Array, path: string): void {
  const damaged = (why: string) => new FormatError(path, `is not a readable TIFF (${why})`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  if (v.getUint16(2, le) === 43) throw new FormatError(path, 'is a BigTIFF, which is not read (save it as a classic TIFF or PNG)');
  const seen = new Set<number>();
  let ifd = v.getUint32(4, le);
  while (ifd !== 0) {
    if (seen.has(ifd) || seen.size >= 256) throw damaged('its directories form a loop');
    seen.add(ifd);
    if (ifd + 2 > bytes.length) throw damaged('a directory lies past the end of the file: truncated');
    const n = v.getUint16(ifd, le);
    if (ifd + 2 + 12 * n + 4 > bytes.length) throw damaged('a directory runs past the end of the file: truncated');
    const fields = new Map<number, number[]>();
    for (let k = 0; k < n; k++) {
      const e = ifd + 2 + 12 * k;
      const type = v.getUint16(e + 2, le);
      const count = v.getUint32(e + 4, le);
      const size = (TIFF_TYPE_BYTES[type] ?? 1) * count;
      const at = size > 4 ? v.getUint32(e + 8, le) : e + 8;
      if (size > 4 && at + size > bytes.length) throw damaged(`field ${v.getUint16(e, le)} holds ${size} bytes past the end of the file (damaged or truncated)`);
      // Strip and tile offsets and byte counts (SHORT or LONG), checked against the file below.
      const tag = v.getUint16(e, le);
      if ([273, 279, 324, 325].includes(tag) && (type === 3 || type === 4)) fields.set(tag, Array.from({ length: count }, (_, i) => (type === 3 ? v.getUint16(at + 2 * i, le) : v.getUint32(at + 4 * i, le))));
    }
    for (const [offsets, counts] of [[273, 279], [324, 325]] as const) {
      const o = fields.get(offsets) ?? [];
      const c = fields.get(counts) ?? [];
      if (o.some((x, i) => x + (c[i] ?? 0) > bytes.length)) throw damaged('its image data lies past the end of the file (damaged or truncated)');
    }
    ifd = v.getUint32(ifd + 2 + 12 * n, le);
  }
  if (seen.size === 0) throw damaged('it has no directory');
}
