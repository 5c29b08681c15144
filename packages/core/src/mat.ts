/**
 * MATLAB Level 5 MAT-files (MATLAB 5 to 7; "MAT-File Format", The MathWorks): a 128-byte header,
 * then data elements, each an 8-byte tag (type, byte count; or a 4-byte "small" tag with up to 4
 * bytes of data) padded to 8 bytes. A variable is a miMATRIX element (array flags, dimensions,
 * name, real part) or such an element zlib-compressed (miCOMPRESSED, MATLAB 7's default). The
 * voxel volumes of 3D ShapeNets (`volumetric_data/<class>/30/train/*.mat`, variable `instance`),
 * on which 3D DescriptorNet and 3D-GAN train, are stored this way. Numeric arrays are read,
 * whatever type MATLAB chose to store them in, and returned in C order; cells, structs, sparse
 * and complex arrays are skipped. MATLAB 7.3 files are HDF5: `decodeH5` reads them (refused here).
 */
import { inflateSync } from 'node:zlib';
import { FormatError } from './errors';
import { columnMajorOffset, type NpyArray } from './npy';

const MI: Record<number, [number, string]> = {
  1: [1, 'int8'],
  2: [1, 'uint8'],
  3: [2, 'int16'],
  4: [2, 'uint16'],
  5: [4, 'int32'],
  6: [4, 'uint32'],
  7: [4, 'single'],
  9: [8, 'double'],
  12: [8, 'int64'],
  13: [8, 'uint64'],
};
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;
/** mxCLASS values of numeric arrays (double … uint64); cell, struct, object, char and sparse are 1–5. */
const NUMERIC_CLASS = new Set([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/** The numeric variables of a MAT-file by name, as arrays in C order (`dtype`: the stored type). */
export function decodeMat(bytes: Uint8Array, name = 'mat data'): Map<string, NpyArray> {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 116));
  if (bytes.length < 128 || !head.startsWith('MATLAB')) throw new FormatError(name, 'is not a MATLAB 5/7 MAT-file (no "MATLAB" header)');
  if (/MATLAB 7\.3/.test(head)) throw new FormatError(name, 'is a MATLAB 7.3 (HDF5) MAT-file: read it with decodeH5 (MATLAB stores each array with its axes reversed)');
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian !== 'IM' && endian !== 'MI') throw new FormatError(name, 'has no byte-order mark (damaged header)');
  const out = new Map<string, NpyArray>();
  readElements(bytes.subarray(128), endian === 'IM', name, out);
  if (out.size === 0) throw new FormatError(name, 'holds no numeric array');
  return out;
}

function readElements(b: Uint8Array, le: boolean, name: string, out: Map<string, NpyArray>): void {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let o = 0;
  while (o + 8 <= b.length) {
    const type = view.getUint32(o, le);
    const size = view.getUint32(o + 4, le);
    if (o + 8 + size > b.length) throw new FormatError(name, `a data element of ${size} bytes runs past the end of the file (truncated)`);
    const body = b.subarray(o + 8, o + 8 + size);
    if (type === MI_COMPRESSED) {
      let inner: Uint8Array;
      try {
        // Capped, so a damaged or hostile stream cannot inflate without bound.
        inner = new Uint8Array(inflateSync(body, { maxOutputLength: 1 << 30 }));
      } catch (e) {
        throw new FormatError(name, `a compressed variable cannot be inflated (${(e as Error).message})`);
      }
      readElements(inner, le, name, out);
      o += 8 + size;
    } else {
      if (type === MI_MATRIX) {
        const v = readMatrix(body, le, name);
        if (v) out.set(v.name, v.array);
      }
      o += 8 + size + ((8 - (size % 8)) % 8);
    }
  }
}

/** One tagged sub-element of a matrix: its type, its data, and where the next one starts. */
function subElement(b: Uint8Array, view: DataView, o: number, le: boolean, name: string): { type: number; data: Uint8Array; next: number } {
  if (o + 8 > b.length) throw new FormatError(name, 'a variable ends early (damaged)');
  const first = view.getUint32(o, le);
  // Small data element: byte count in the upper 16 bits, data in the tag's last 4 bytes.
  if (first >>> 16 !== 0) return { type: first & 0xffff, data: b.subarray(o + 4, o + 4 + (first >>> 16)), next: o + 8 };
  const size = view.getUint32(o + 4, le);
  if (o + 8 + size > b.length) throw new FormatError(name, 'a variable ends early (damaged)');
  return { type: first, data: b.subarray(o + 8, o + 8 + size), next: o + 8 + size + ((8 - (size % 8)) % 8) };
}

function readMatrix(b: Uint8Array, le: boolean, name: string): { name: string; array: NpyArray } | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length === 0) return undefined;
  const flags = subElement(b, view, 0, le, name);
  const fv = new DataView(flags.data.buffer, flags.data.byteOffset, flags.data.byteLength);
  const cls = fv.getUint32(0, le) & 0xff;
  const complex = (fv.getUint32(0, le) & 0x0800) !== 0;
  if (!NUMERIC_CLASS.has(cls) || complex) return undefined;
  const dimsEl = subElement(b, view, flags.next, le, name);
  const dv = new DataView(dimsEl.data.buffer, dimsEl.data.byteOffset, dimsEl.data.byteLength);
  const dims = Array.from({ length: dimsEl.data.length / 4 }, (_, i) => dv.getInt32(4 * i, le));
  if (dims.some((d) => d < 0)) throw new FormatError(name, `a variable has negative dimensions (${dims.join('×')})`);
  const nameEl = subElement(b, view, dimsEl.next, le, name);
  const varName = new TextDecoder().decode(nameEl.data);
  const real = subElement(b, view, nameEl.next, le, name);
  const kind = MI[real.type];
  if (!kind) throw new FormatError(name, `variable ${varName} stores its values as type ${real.type}, which is not read`);
  const [width, dtype] = kind;
  const count = dims.reduce((a, d) => a * d, 1);
  if (real.data.length < count * width) throw new FormatError(name, `variable ${varName} (${dims.join('×')}) holds ${real.data.length} bytes of ${dtype}, needs ${count * width} (damaged)`);
  const rv = new DataView(real.data.buffer, real.data.byteOffset, real.data.byteLength);
  const read = reader(dtype, rv, le);
  // MATLAB stores column-major (the first index fastest).
  const at = columnMajorOffset(dims);
  const data = Float32Array.from({ length: count }, (_, i) => read(at(i) * width));
  return { name: varName, array: { shape: dims, data, dtype } };
}

function reader(dtype: string, v: DataView, le: boolean): (o: number) => number {
  switch (dtype) {
    case 'int8': return (o) => v.getInt8(o);
    case 'uint8': return (o) => v.getUint8(o);
    case 'int16': return (o) => v.getInt16(o, le);
    case 'uint16': return (o) => v.getUint16(o, le);
    case 'int32': return (o) => v.getInt32(o, le);
    case 'uint32': return (o) => v.getUint32(o, le);
    case 'single': return (o) => v.getFloat32(o, le);
    case 'double': return (o) => v.getFloat64(o, le);
    case 'int64': return (o) => Number(v.getBigInt64(o, le));
    default: return (o) => Number(v.getBigUint64(o, le));
  }
}
