/**
 * IDX files (the MNIST format, LeCun & Cortes): a 4-byte magic (0, 0, type, rank), `rank`
 * big-endian uint32 sizes, then the values big-endian. Plain or gzipped, as they are distributed.
 */
import { gunzipSync } from 'node:zlib';
import { ImageFormatError } from '../errors';
import type { Image } from '../image';

export interface IdxArray {
  shape: number[];
  /** The values as numbers (uint8 images stay Uint8Array). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { bytes: number; name: string }> = {
  0x08: { bytes: 1, name: 'uint8' },
  0x09: { bytes: 1, name: 'int8' },
  0x0b: { bytes: 2, name: 'int16' },
  0x0c: { bytes: 4, name: 'int32' },
  0x0d: { bytes: 4, name: 'float32' },
  0x0e: { bytes: 8, name: 'float64' },
};

/** The largest IDX payload read (values); MNIST's training images are 47 M. */
const MAX_VALUES = 1 << 30;

/**
 * Decodes an IDX file, gunzipping it first when it starts with the gzip signature.
 * @throws ImageFormatError naming `path` for a bad magic, type, size or truncated payload.
 */
export function decodeIdx(bytes: Uint8Array, path: string): IdxArray {
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = new Uint8Array(gunzipSync(b));
    } catch (e) {
      throw new ImageFormatError(path, `is a damaged gzip file (${(e as Error).message})`);
    }
  }
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) throw new ImageFormatError(path, 'is not an IDX file (the magic number must start with two zero bytes)');
  const type = TYPES[b[2]!];
  if (!type) throw new ImageFormatError(path, `has an unknown IDX value type 0x${b[2]!.toString(16)}`);
  const rank = b[3]!;
  if (rank < 1 || rank > 8) throw new ImageFormatError(path, `has ${rank} dimensions (IDX files used here have 1 to 8)`);
  const header = 4 + 4 * rank;
  if (b.length < header) throw new ImageFormatError(path, `is truncated inside its header (${b.length} bytes)`);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = shape.reduce((a, s) => a * s, 1);
  if (count > MAX_VALUES) throw new ImageFormatError(path, `declares ${count} values (shape ${shape.join('×')}), more than this reader accepts`);
  const need = header + count * type.bytes;
  if (b.length < need) throw new ImageFormatError(path, `is truncated: shape ${shape.join('×')} of ${type.name} needs ${need} bytes, the file has ${b.length}`);
  const at = (i: number) => header + i * type.bytes;
  let data: IdxArray['data'];
  switch (type.name) {
    case 'uint8':
      data = b.slice(header, need);
      break;
    case 'int8':
      data = new Int8Array(b.slice(header, need).buffer);
      break;
    case 'int16':
      data = Int16Array.from({ length: count }, (_, i) => view.getInt16(at(i)));
      break;
    case 'int32':
      data = Int32Array.from({ length: count }, (_, i) => view.getInt32(at(i)));
      break;
    case 'float32':
      data = Float32Array.from({ length: count }, (_, i) => view.getFloat32(at(i)));
      break;
    default:
      data = Float64Array.from({ length: count }, (_, i) => view.getFloat64(at(i)));
  }
  return { shape, data };
}

/**
 * The images of an IDX array: [N, H, W] (gray) or [N, H, W, 1 | 3], uint8 values mapped to
 * [0, 1] (other types must already lie in [0, 1]).
 * @throws ImageFormatError naming `path` for other shapes or values.
 */
export function idxImages(idx: IdxArray, path: string): Image[] {
  const s = idx.shape;
  const channels = s.length === 3 ? 1 : s[3];
  if ((s.length !== 3 && s.length !== 4) || (channels !== 1 && channels !== 3)) throw new ImageFormatError(path, `holds an array of shape ${s.join('×')}, not images (N×H×W or N×H×W×C with C = 1 or 3)`);
  const [n, height, width] = s as [number, number, number];
  const size = height * width * channels;
  if (n === 0 || size === 0) throw new ImageFormatError(path, `holds no pixels (shape ${s.join('×')})`);
  const scale = idx.data instanceof Uint8Array ? 1 / 255 : 1;
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(size);
    for (let j = 0; j < size; j++) {
      const v = idx.data[i * size + j]! * scale;
      if (!(v >= 0 && v <= 1)) throw new ImageFormatError(path, `image ${i} holds the value ${idx.data[i * size + j]} (images must be uint8 or lie in [0, 1])`);
      data[j] = v;
    }
    return { width, height, channels: channels as 1 | 3, data };
  });
}

/**
 * The labels of an IDX array: one integer per entry of a 1-D array.
 * @throws ImageFormatError naming `path` otherwise.
 */
export function idxLabels(idx: IdxArray, path: string): Int32Array {
  if (idx.shape.length !== 1) throw new ImageFormatError(path, `holds an array of shape ${idx.shape.join('×')}, not labels (one value per image)`);
  const out = Int32Array.from(idx.data as ArrayLike<number>);
  out.forEach((v, i) => {
    if (!(v >= 0 && v === idx.data[i])) throw new ImageFormatError(path, `label ${i} is ${idx.data[i]} (labels are non-negative integers)`);
  });
  return out;
}
