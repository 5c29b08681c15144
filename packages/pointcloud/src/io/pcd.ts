/**
 * PCD, the Point Cloud Library's format (PCL's "The PCD (Point Cloud Data) file format", v0.7;
 * Open3D reads and writes it too): a text header (FIELDS, SIZE, TYPE, COUNT, WIDTH, HEIGHT,
 * POINTS, DATA) and the points as ASCII rows, packed little-endian records (`binary`), or LZF-
 * compressed field columns (`binary_compressed`: all x, then all y, …). Only x, y, z are kept.
 * Organised clouds from depth cameras mark missing pixels with NaN: those points are dropped and
 * counted in a log line, as XYZ files' are.
 */
import { FormatError, log } from '@ebm/core';
import type { PointCloud } from '../cloud';
import { headerAndPoints } from './encode';

interface Field {
  name: string;
  size: number;
  type: 'F' | 'I' | 'U';
  count: number;
}

/** The points of PCD bytes (x, y, z; other fields ignored). @throws FormatError naming `name`. */
export function parsePcd(bytes: Uint8Array, name = 'pcd data'): PointCloud {
  const { fields, points, data, bodyAt } = readHeader(bytes, name);
  const xyz = ['x', 'y', 'z'].map((axis) => {
    const k = fields.findIndex((f) => f.name === axis);
    if (k < 0) throw new FormatError(name, `has no ${axis} field (FIELDS ${fields.map((f) => f.name).join(' ')})`);
    return k;
  });
  const raw = new Float64Array(3 * points);
  if (data === 'ascii') readAscii(bytes.subarray(bodyAt), fields, xyz, points, raw, name);
  else if (data === 'binary') readBinary(bytes.subarray(bodyAt), fields, xyz, points, raw, name);
  else readCompressed(bytes.subarray(bodyAt), fields, xyz, points, raw, name);
  return finite(raw, name);
}

const TYPES = new Set(['F4', 'F8', 'I1', 'I2', 'I4', 'I8', 'U1', 'U2', 'U4', 'U8']);
/** Points a header may declare: a larger count is a damaged header, not a cloud (2^28 ≈ 268 M). */
const MAX_POINTS = 2 ** 28;

function readHeader(bytes: Uint8Array, name: string): { fields: Field[]; points: number; data: 'ascii' | 'binary' | 'binary_compressed'; bodyAt: number } {
  const keys = new Map<string, string[]>();
  let at = 0;
  // The header is text up to and including the DATA line; binary points follow it directly.
  for (;;) {
    if (at >= bytes.length || at > 65536) throw new FormatError(name, at >= bytes.length ? 'ends before its DATA line (truncated, or not a PCD file)' : 'has no DATA line in its first 64 KB (not a PCD file)');
    let end = bytes.indexOf(10, at);
    if (end < 0) end = bytes.length;
    const line = new TextDecoder('latin1').decode(bytes.subarray(at, end)).replace(/#.*/, '').trim();
    at = end + 1;
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    const k = key!.toUpperCase();
    if (keys.size === 0 && !['VERSION', 'FIELDS', 'COLUMNS'].includes(k)) throw new FormatError(name, `is not a PCD file (it starts with "${line.slice(0, 30)}")`);
    keys.set(k === 'COLUMNS' ? 'FIELDS' : k, rest);
    if (k === 'DATA') break;
  }
  const names = keys.get('FIELDS');
  if (!names?.length) throw new FormatError(name, 'has no FIELDS line');
  const list = (key: string, fallback: string) => keys.get(key) ?? names.map(() => fallback);
  const sizes = list('SIZE', '4');
  const types = list('TYPE', 'F');
  const counts = list('COUNT', '1');
  if ([sizes, types, counts].some((l) => l.length !== names.length)) throw new FormatError(name, `its SIZE, TYPE and COUNT lines must list ${names.length} values, one per field`);
  const fields = names.map((n, i) => ({ name: n.toLowerCase(), size: Number(sizes[i]), type: types[i]!.toUpperCase() as Field['type'], count: Number(counts[i]) }));
  for (const f of fields) {
    if (!TYPES.has(`${f.type}${f.size}`)) throw new FormatError(name, `field ${f.name} has TYPE ${f.type} SIZE ${f.size}, which PCD does not define`);
    if (!Number.isInteger(f.count) || f.count < 1) throw new FormatError(name, `field ${f.name} has COUNT ${f.count}`);
  }
  const int = (key: string) => (keys.has(key) ? Number(keys.get(key)![0]) : undefined);
  const width = int('WIDTH');
  const height = int('HEIGHT') ?? 1;
  const points = int('POINTS') ?? (width === undefined ? undefined : width * height);
  if (points === undefined || !Number.isInteger(points) || points < 0 || points > MAX_POINTS) throw new FormatError(name, `declares ${points ?? 'no'} points (POINTS or WIDTH × HEIGHT)`);
  if (points === 0) throw new FormatError(name, 'has no points');
  const data = keys.get('DATA')![0]?.toLowerCase();
  if (data !== 'ascii' && data !== 'binary' && data !== 'binary_compressed') throw new FormatError(name, `has DATA ${data ?? '(none)'}; expected ascii, binary or binary_compressed`);
  return { fields, points, data, bodyAt: at };
}

/** Column of each field's first value in a row of values (fields with COUNT > 1 span several). */
const columns = (fields: Field[]) => fields.map((_, i) => fields.slice(0, i).reduce((a, f) => a + f.count, 0));

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function readAscii(body: Uint8Array, fields: Field[], xyz: number[], points: number, out: Float64Array, name: string): void {
  const col = xyz.map((k) => columns(fields)[k]!);
  const lines = new TextDecoder('latin1').decode(body).split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < points) throw new FormatError(name, `declares ${points} points but holds ${lines.length} (truncated)`);
  for (let i = 0; i < points; i++) {
    const t = lines[i]!.trim().split(/\s+/);
    for (let a = 0; a < 3; a++) {
      const w = t[col[a]!] ?? '';
      const v = NON_FINITE.test(w) ? NaN : w === '' ? NaN : Number(w);
      if (Number.isNaN(v) && !NON_FINITE.test(w)) throw new FormatError(name, `point ${i + 1}: expected numbers for x y z, got "${lines[i]!.trim().slice(0, 40)}"`);
      out[3 * i + a] = v;
    }
  }
}

/** A reader of one value of a field's type at a byte offset (little endian, as PCL writes). */
function valueReader(view: DataView, f: Field): (at: number) => number {
  const key = `${f.type}${f.size}`;
  if (key === 'F4') return (at) => view.getFloat32(at, true);
  if (key === 'F8') return (at) => view.getFloat64(at, true);
  if (key === 'I1') return (at) => view.getInt8(at);
  if (key === 'U1') return (at) => view.getUint8(at);
  if (key === 'I2') return (at) => view.getInt16(at, true);
  if (key === 'U2') return (at) => view.getUint16(at, true);
  if (key === 'I4') return (at) => view.getInt32(at, true);
  if (key === 'U4') return (at) => view.getUint32(at, true);
  if (key === 'I8') return (at) => Number(view.getBigInt64(at, true));
  return (at) => Number(view.getBigUint64(at, true));
}

function readBinary(body: Uint8Array, fields: Field[], xyz: number[], points: number, out: Float64Array, name: string): void {
  const offsets = fields.map((_, i) => fields.slice(0, i).reduce((a, f) => a + f.size * f.count, 0));
  const record = fields.reduce((a, f) => a + f.size * f.count, 0);
  if (body.length < record * points) throw new FormatError(name, `declares ${points} points of ${record} bytes but holds ${body.length} bytes of data (truncated)`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  xyz.forEach((k, a) => {
    const read = valueReader(view, fields[k]!);
    for (let i = 0; i < points; i++) out[3 * i + a] = read(i * record + offsets[k]!);
  });
}

function readCompressed(body: Uint8Array, fields: Field[], xyz: number[], points: number, out: Float64Array, name: string): void {
  if (body.length < 8) throw new FormatError(name, 'ends before its compressed data (truncated)');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const packed = view.getUint32(0, true);
  const size = view.getUint32(4, true);
  const record = fields.reduce((a, f) => a + f.size * f.count, 0);
  if (size !== record * points) throw new FormatError(name, `its compressed data unpacks to ${size} bytes, not the ${record * points} its ${points} points need (damaged)`);
  if (8 + packed > body.length) throw new FormatError(name, `its compressed data of ${packed} bytes runs past the end of the file (truncated)`);
  const raw = lzfDecompress(body.subarray(8, 8 + packed), size, name);
  // Column-major: all points' values of the first field, then of the second, …
  const starts = fields.map((_, i) => fields.slice(0, i).reduce((a, f) => a + f.size * f.count * points, 0));
  const columnsView = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  xyz.forEach((k, a) => {
    const f = fields[k]!;
    const read = valueReader(columnsView, f);
    for (let i = 0; i < points; i++) out[3 * i + a] = read(starts[k]! + i * f.size * f.count);
  });
}

/**
 * LZF (liblzf, as PCL links it): a control byte below 32 starts a run of ctrl + 1 literal bytes;
 * otherwise the top 3 bits are a length − 2 (7: one more length byte follows) and the low 5 bits
 * with the next byte an offset − 1 back into what was already written.
 */
export function lzfDecompress(src: Uint8Array, size: number, name = 'lzf data'): Uint8Array {
  const out = new Uint8Array(size);
  let ip = 0;
  let op = 0;
  const damaged = () => new FormatError(name, 'its compressed data is damaged (LZF stream does not decode)');
  while (ip < src.length) {
    const ctrl = src[ip++]!;
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > size || ip + n > src.length) throw damaged();
      out.set(src.subarray(ip, ip + n), op);
      ip += n;
      op += n;
    } else {
      let len = ctrl >> 5;
      if (len === 7) {
        if (ip >= src.length) throw damaged();
        len += src[ip++]!;
      }
      if (ip >= src.length) throw damaged();
      const ref = op - ((ctrl & 0x1f) << 8) - src[ip++]! - 1;
      len += 2;
      if (ref < 0 || op + len > size) throw damaged();
      // Byte by byte: a back-reference may overlap what it writes (runs).
      for (let j = 0; j < len; j++) out[op++] = out[ref + j]!;
    }
  }
  if (op !== size) throw damaged();
  return out;
}

/** Points with a non-finite coordinate (missing depth pixels) dropped and counted; float32 out. */
function finite(raw: Float64Array, name: string): PointCloud {
  const keep: number[] = [];
  let dropped = 0;
  for (let i = 0; i < raw.length; i += 3) {
    if ([raw[i]!, raw[i + 1]!, raw[i + 2]!].every((v) => Number.isFinite(Math.fround(v)))) keep.push(raw[i]!, raw[i + 1]!, raw[i + 2]!);
    else dropped++;
  }
  if (keep.length === 0) throw new FormatError(name, `has no points with finite coordinates (all ${dropped} are NaN or infinite)`);
  if (dropped) log('info', `${name}: dropped ${dropped} of ${raw.length / 3} points with NaN or infinite coordinates`);
  return { points: Float32Array.from(keep) };
}

/** PCD bytes of a cloud (FIELDS x y z, float32): binary by default (PCL's and Open3D's default), or ASCII. */
export function encodePcd(c: PointCloud, options: { format?: 'binary' | 'ascii' } = {}): Uint8Array {
  const n = c.points.length / 3;
  const ascii = options.format === 'ascii';
  const header = ['# .PCD v0.7 - Point Cloud Data file format', 'VERSION 0.7', 'FIELDS x y z', 'SIZE 4 4 4', 'TYPE F F F', 'COUNT 1 1 1', `WIDTH ${n}`, 'HEIGHT 1', 'VIEWPOINT 0 0 0 1 0 0 0', `POINTS ${n}`, `DATA ${ascii ? 'ascii' : 'binary'}`, ''];
  return headerAndPoints(header.join('\n'), c, ascii);
}
