/**
 * NumPy .npy (format versions 1–3): magic "\x93NUMPY", version, a little-endian header length, a
 * Python-dict header ({'descr': '<f4', 'fortran_order': False, 'shape': (32, 32, 32), }) padded
 * to 64 bytes, then the raw array. Reads booleans, integers of 1 to 8 bytes and floats of 2, 4 or
 * 8 bytes, either byte order, in C or Fortran order (returned in C order). Voxel grids, point
 * clouds (PointFlow's ShapeNet clouds are (15000, 3) float32 .npy files) and images use it.
 */
import { FormatError as FormatError } from './errors';

export interface NpyArray {
  shape: number[];
  /** Values as float32 (integers and booleans are converted). */
  data: Float32Array;
  /** The dtype found in the file. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * An .npy file's values without copying them all: its shape and dtype, and `get(i)`, the value at
 * C-order index i. For arrays too large to hold as float32 (Moving MNIST's 819 M bytes would be
 * 3.3 GB), of which a caller needs a part.
 */
export interface NpyView {
  shape: number[];
  dtype: string;
  get(i: number): number;
}

/** Decodes .npy bytes. `name` names the source in errors. */
export function decodeNpy(bytes: Uint8Array, name = 'npy data'): NpyArray {
  const v = viewNpy(bytes, name);
  const count = v.shape.reduce((a, b) => a * b, 1);
  return { shape: v.shape, data: Float32Array.from({ length: count }, (_, i) => v.get(i)), dtype: v.dtype };
}

/** An .npy header: the dtype, memory order and shape, and where the data starts. */
export function npyHeader(bytes: Uint8Array, name = 'npy data'): { descr: string; fortran: boolean; shape: number[]; body: number } {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new FormatError(name, 'not a .npy file (bad magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw new FormatError(name, `.npy version ${major} is not supported`);
  if (major > 1 && bytes.length < 12) throw new FormatError(name, 'header runs past the end of the file (truncated)');
  const [hlen, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  if (start + hlen > bytes.length) throw new FormatError(name, 'header runs past the end of the file (truncated)');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new FormatError(name, `unreadable header ${JSON.stringify(header.trim().slice(0, 80))}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  // Dimensions are checked one by one (a 0 would hide (1e300, 1e300, 0)), then their product against the file.
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0 || d > 2 ** 31 - 1)) throw new FormatError(name, `bad shape (${shapeText})`);
  return { descr, fortran: fortran === 'True', shape, body: start + hlen };
}

/** Reads an .npy header and checks the file holds its data; the values are read on demand. */
export function viewNpy(bytes: Uint8Array, name = 'npy data'): NpyView {
  const { descr, fortran, shape, body } = npyHeader(bytes, name);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = shape.reduce((a, b) => a * b, 1);
  const kind = dtypeReader(descr, view);
  if (!kind) throw new FormatError(name, descr === '|O' ? 'holds Python objects (np.save of a list of arrays of different sizes): read it with decodeNpyObjects' : `dtype ${descr} is not supported (bool, integers, float16/32/64 are)`);
  const [size, read] = kind;
  if (body + count * size > bytes.length) throw new FormatError(name, `holds ${bytes.length - body} data bytes, shape (${shape.join(', ')}) of ${descr} needs ${count * size} (truncated)`);
  if (!fortran) return { shape, dtype: descr, get: (i) => read(body + i * size) };
  const at = columnMajorOffset(shape);
  return { shape, dtype: descr, get: (i) => read(body + at(i) * size) };
}

/**
 * Where the value at C-order index i sits in an array stored column-major (Fortran, MATLAB: the
 * first index runs fastest).
 */
export function columnMajorOffset(shape: readonly number[]): (i: number) => number {
  const fStride = shape.map((_, k) => shape.slice(0, k).reduce((a, d) => a * d, 1));
  return (i) => {
    let f = 0;
    for (let k = shape.length - 1; k >= 0; k--) {
      f += (i % shape[k]!) * fStride[k]!;
      i = Math.floor(i / shape[k]!);
    }
    return f;
  };
}

/**
 * The map of an array's values onto [0, 1] for images and video frames, from the range they are
 * in: [0, 1] as is, 0–255 (any dtype) divided by 255, [−1, 1] (a tanh generator's output) shifted.
 * @throws FormatError naming `name` for NaN, infinities or another range.
 */
export function unitRangeOf(data: Float32Array, name: string): (v: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (!Number.isFinite(v)) throw new FormatError(name, 'holds NaN or infinite values');
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo >= 0 && hi <= 1) return (v) => v;
  if (lo >= 0 && hi <= 255) return (v) => v / 255;
  if (lo >= -1 && hi <= 1) return (v) => (v + 1) / 2;
  throw new FormatError(name, `holds values from ${lo} to ${hi}: pixels must lie in [0, 1], 0–255 or [−1, 1]`);
}

/** Byte size and reader of a dtype ('<f4', '>i2', '|b1', …), or undefined when unsupported. */
function dtypeReader(descr: string, view: DataView): [number, (o: number) => number] | undefined {
  const m = /^([<>|=])([buif])(\d)$/.exec(descr);
  if (!m) return undefined;
  const little = m[1] !== '>';
  const kind = m[2]!;
  const size = Number(m[3]);
  const readers: Record<string, (o: number) => number> = {
    b1: (o) => view.getUint8(o),
    u1: (o) => view.getUint8(o),
    i1: (o) => view.getInt8(o),
    u2: (o) => view.getUint16(o, little),
    i2: (o) => view.getInt16(o, little),
    u4: (o) => view.getUint32(o, little),
    i4: (o) => view.getInt32(o, little),
    u8: (o) => Number(view.getBigUint64(o, little)),
    i8: (o) => Number(view.getBigInt64(o, little)),
    f2: (o) => float16(view.getUint16(o, little)),
    f4: (o) => view.getFloat32(o, little),
    f8: (o) => view.getFloat64(o, little),
  };
  const read = readers[`${kind}${size}`];
  return read && [size, read];
}

/** IEEE half precision bits → number. */
function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Encodes a C-order array as .npy (version 1.0) with dtype uint8 ('|u1') or float32 ('<f4'). */
export function encodeNpy(data: Uint8Array | Float32Array, shape: number[]): Uint8Array {
  const descr = data instanceof Uint8Array ? '|u1' : '<f4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = new TextEncoder().encode(header);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(10 + head.length + bytes.length);
  out.set(MAGIC);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  out.set(bytes, 10 + head.length);
  return out;
}
