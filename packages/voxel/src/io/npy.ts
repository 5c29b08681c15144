/**
 * NumPy .npy (format versions 1–3): magic "\x93NUMPY", version, a little-endian header length, a
 * Python-dict header ({'descr': '<f4', 'fortran_order': False, 'shape': (32, 32, 32), }) padded
 * to 64 bytes, then the raw array. Reads uint8/bool/int8/float32/float64 in C order.
 */
import { VoxelFormatError } from '../errors';

export interface NpyArray {
  shape: number[];
  /** Values as float32 (integers and booleans are converted). */
  data: Float32Array;
  /** The dtype found in the file. */
  dtype: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** Decodes .npy bytes. `name` names the source in errors. */
export function decodeNpy(bytes: Uint8Array, name = 'npy data'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new VoxelFormatError(name, 'not a .npy file (bad magic)');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw new VoxelFormatError(name, `.npy version ${major} is not supported`);
  if (major > 1 && bytes.length < 12) throw new VoxelFormatError(name, 'header runs past the end of the file (truncated)');
  const [hlen, start] = major === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
  if (start + hlen > bytes.length) throw new VoxelFormatError(name, 'header runs past the end of the file (truncated)');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new VoxelFormatError(name, `unreadable header ${JSON.stringify(header.trim().slice(0, 80))}`);
  if (fortran === 'True') throw new VoxelFormatError(name, 'Fortran-ordered arrays are not supported (save with np.ascontiguousarray)');
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  // Dimensions are checked one by one (a 0 would hide (1e300, 1e300, 0)), then their product against the file.
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0 || d > 2 ** 31 - 1)) throw new VoxelFormatError(name, `bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = start + hlen;
  const kinds: Record<string, [number, (o: number) => number]> = {
    '|u1': [1, (o) => view.getUint8(o)],
    '<u1': [1, (o) => view.getUint8(o)],
    '|b1': [1, (o) => view.getUint8(o)],
    '|i1': [1, (o) => view.getInt8(o)],
    '<f4': [4, (o) => view.getFloat32(o, true)],
    '<f8': [8, (o) => view.getFloat64(o, true)],
  };
  const kind = kinds[descr];
  if (!kind) throw new VoxelFormatError(name, `dtype ${descr} is not supported (uint8, bool, int8, float32, float64 are)`);
  const [size, read] = kind;
  if (body + count * size > bytes.length) throw new VoxelFormatError(name, `holds ${bytes.length - body} data bytes, shape (${shape.join(', ')}) of ${descr} needs ${count * size} (truncated)`);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = read(body + i * size);
  return { shape, data, dtype: descr };
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
