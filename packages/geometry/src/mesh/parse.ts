/**
 * Triangle meshes from OBJ, STL (ASCII and binary), OFF and PLY (ASCII, binary little and big
 * endian), shared by the voxel and point-cloud packages. Polygons are triangulated as fans. Pure
 * functions on bytes; `name` names the source in errors. With `{ faces: 'optional' }` a file of
 * vertices only (a scanned point set as PLY or OFF) is accepted and has no triangles.
 * Malformed files throw FormatError. Bounds: every count in a header is checked against what the
 * file can hold before anything is allocated or looped over, so time and memory stay linear in the
 * file's size (a few tens of bytes per byte read), and a mesh holds at most 2^28 numbers (1 GiB).
 */
import { FormatError, log, withoutBom } from '@ebm/core';

export interface TriangleMesh {
  /** x, y, z per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  triangles: Uint32Array;
}

export interface ParseMeshOptions {
  /** 'required' (default): a file without faces is an error; 'optional': vertices alone are a point set. */
  faces?: 'required' | 'optional';
  /**
   * OBJ: false (default) skips what is not a surface — `l` line elements and faces of fewer than
   * three vertices, common in exported furniture models — and says how many through the logger;
   * true refuses them.
   */
  strict?: boolean;
}

export const text = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes);

/** A bound on the numbers a parsed mesh may hold (2^28 ≈ 268 M: 1 GiB as float32). */
const MAX_VALUES = 2 ** 28;

export function finish(name: string, pos: number[], tri: number[], o: ParseMeshOptions): TriangleMesh {
  // A point set (no faces) from a depth camera marks invalid pixels with NaN points: those are
  // dropped, as point-cloud libraries do, where a mesh's faces would make a NaN vertex an error.
  if (tri.length === 0 && (o.faces ?? 'required') === 'optional' && pos.some((v) => !Number.isFinite(v))) pos = dropNonFinite(name, pos);
  const nv = pos.length / 3;
  if (nv === 0) throw new FormatError(name, 'has no vertices');
  if (tri.length === 0 && (o.faces ?? 'required') === 'required') throw new FormatError(name, 'has no triangles');
  for (const i of tri) if (!(i >= 0 && i < nv)) throw new FormatError(name, `face refers to vertex ${i + 1}, but there are ${nv}`);
  for (const v of pos) {
    if (!Number.isFinite(v)) throw new FormatError(name, 'has a vertex coordinate that is not a finite number');
    // Coordinates are stored as float32: 1e39 would become Infinity and spread NaN downstream.
    if (!Number.isFinite(Math.fround(v))) throw new FormatError(name, `has a vertex coordinate (${v}) too large for float32`);
  }
  // A file whose vertices all sit at one point (an export of an empty or collapsed object) has no
  // shape: voxelized it is one voxel, and sampling its surface divides by zero area.
  if (pos.every((v, i) => v === pos[i % 3])) throw new FormatError(name, `has all ${nv} vertices at one point (${pos.slice(0, 3).join(', ')}): nothing to read a shape from`);
  return { positions: Float32Array.from(pos), triangles: Uint32Array.from(tri) };
}

function dropNonFinite(name: string, pos: number[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < pos.length; i += 3) if (Number.isFinite(pos[i]) && Number.isFinite(pos[i + 1]) && Number.isFinite(pos[i + 2])) kept.push(pos[i]!, pos[i + 1]!, pos[i + 2]!);
  if (kept.length === 0) throw new FormatError(name, `has no points with finite coordinates (all ${pos.length / 3} are NaN or infinite)`);
  log('info', `${name}: dropped ${(pos.length - kept.length) / 3} of ${pos.length / 3} points with NaN or infinite coordinates`);
  return kept;
}

export function fan(tri: number[], face: number[]): void {
  for (let k = 1; k + 1 < face.length; k++) tri.push(face[0]!, face[k]!, face[k + 1]!);
}

/** Wavefront OBJ: `v x y z` and `f a b c ...` (a may be `a/t/n`, negative = relative). */
export function parseObj(bytes: Uint8Array, name = 'obj data', options: ParseMeshOptions = {}): TriangleMesh {
  const pos: number[] = [];
  const tri: number[] = [];
  const skipped = { lines: 0, faces: 0 };
  objLines(text(withoutBom(bytes))).forEach(([line, i]) => {
    const t = line.trim().split(/\s+/);
    if (t[0] === 'l') {
      if (options.strict) throw new FormatError(name, `line ${i + 1}: a line element "l" (strict: only surfaces)`);
      skipped.lines++;
    } else if (t[0] === 'v') {
      if (t.length < 4) throw new FormatError(name, `line ${i + 1}: a vertex needs x y z`);
      pos.push(Number(t[1]), Number(t[2]), Number(t[3]));
    } else if (t[0] === 'f') {
      const nv = pos.length / 3;
      const face = t.slice(1).map((s) => {
        const k = parseInt(s.split('/')[0]!, 10);
        return k < 0 ? nv + k : k - 1;
      });
      if (face.some((k) => Number.isNaN(k))) throw new FormatError(name, `line ${i + 1}: bad face "${line.trim().slice(0, 40)}"`);
      if (face.length < 3) {
        if (options.strict) throw new FormatError(name, `line ${i + 1}: a face of ${face.length} vertices (strict: at least 3)`);
        skipped.faces++;
        return;
      }
      fan(tri, face);
    }
  });
  const what = [skipped.lines && `${skipped.lines} line element${skipped.lines === 1 ? '' : 's'}`, skipped.faces && `${skipped.faces} face${skipped.faces === 1 ? '' : 's'} of fewer than 3 vertices`].filter(Boolean);
  if (what.length > 0) log('info', `${name}: skipped ${what.join(' and ')} (not surfaces)`);
  return finish(name, pos, tri, options);
}

/** OBJ's logical lines with their 0-based first line numbers: a line ending in a backslash continues on the next (the OBJ spec). */
function objLines(s: string): [string, number][] {
  const out: [string, number][] = [];
  let acc: string | undefined;
  let at = 0;
  s.split(/\r?\n/).forEach((line, i) => {
    if (acc === undefined) at = i;
    const body = line.replace(/\\\s*$/, '');
    acc = (acc === undefined ? '' : acc + ' ') + body;
    if (body === line) {
      out.push([acc, at]);
      acc = undefined;
    }
  });
  if (acc !== undefined) out.push([acc, at]);
  return out;
}

/** STL, binary (80-byte header, count, 50 bytes per triangle) or ASCII (`facet ... vertex x y z`). */
export function parseStl(bytes: Uint8Array, name = 'stl data', options: ParseMeshOptions = {}): TriangleMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const binaryCount = bytes.length >= 84 ? view.getUint32(80, true) : -1;
  if (binaryCount >= 0 && 84 + 50 * binaryCount === bytes.length) {
    const pos: number[] = [];
    const tri: number[] = [];
    for (let t = 0; t < binaryCount; t++) {
      const o = 84 + 50 * t + 12;
      for (let k = 0; k < 9; k++) pos.push(view.getFloat32(o + 4 * k, true));
      tri.push(3 * t, 3 * t + 1, 3 * t + 2);
    }
    return finish(name, pos, tri, options);
  }
  // ASCII STL keywords are matched in any case: some CAD exporters write them upper case.
  const s = text(withoutBom(bytes));
  if (!/^\s*solid/i.test(s)) {
    throw new FormatError(name, binaryCount >= 0 ? `binary STL says ${binaryCount} triangles (${84 + 50 * binaryCount} bytes) but has ${bytes.length} bytes (truncated or damaged)` : 'not an STL file');
  }
  const pos: number[] = [];
  const re = /vertex\s+(\S+)\s+(\S+)\s+(\S+)/gi;
  for (let m = re.exec(s); m; m = re.exec(s)) pos.push(Number(m[1]), Number(m[2]), Number(m[3]));
  if (pos.length % 9 !== 0) throw new FormatError(name, `has ${pos.length / 3} vertices, not a multiple of 3 (damaged)`);
  return finish(name, pos, Array.from({ length: pos.length / 3 }, (_, i) => i), options);
}

/**
 * OFF and its variants COFF, NOFF, CNOFF, STOFF…: a header line, `nv nf ne`, nv vertex lines
 * `x y z [normal] [colour]` and nf face lines `k i1 … ik [colour]`. Read a line per element, as
 * Geomview's reader does, so the optional per-vertex and per-face values are ignored whatever
 * their count (CGAL's sample meshes are COFF with RGBA on every vertex).
 */
export function parseOff(bytes: Uint8Array, name = 'off data', options: ParseMeshOptions = {}): TriangleMesh {
  const lines = text(withoutBom(bytes)).split(/\r?\n/).map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '').map((l) => l.split(/\s+/));
  let k = 0;
  // Some of ModelNet's files glue the first count to the keyword ("OFF490 518 0"): split it off.
  const glued = /^((?:ST)?C?N?OFF)(\d+)$/.exec(lines[0]?.[0] ?? '');
  if (glued) lines[0]!.splice(0, 1, glued[1]!, glued[2]!);
  const head = lines[k]?.[0] ?? '';
  if (!/^(ST)?C?N?OFF$/.test(head)) throw new FormatError(name, `not an OFF file (starts with "${head.slice(0, 12)}")`);
  // The counts may follow the keyword on its line or stand on the next.
  const counts = lines[k]!.length > 1 ? lines[k++]!.slice(1) : (k++, lines[k++] ?? []);
  const nv = Number(counts[0]);
  const nf = Number(counts[1]);
  if (!Number.isInteger(nv) || !Number.isInteger(nf) || nv < 0 || nf < 0) throw new FormatError(name, `bad vertex/face counts "${counts.slice(0, 2).join(' ')}"`);
  // Counts are checked against what the file can hold before anything is allocated or looped over.
  if (nv + nf > lines.length - k) throw new FormatError(name, `declares ${nv} vertices and ${nf} faces but holds only ${lines.length - k} lines (truncated or damaged)`);
  const pos: number[] = [];
  for (let i = 0; i < nv; i++, k++) {
    const l = lines[k]!;
    if (l.length < 3) throw new FormatError(name, `vertex ${i + 1} has ${l.length} numbers, needs x y z`);
    pos.push(Number(l[0]), Number(l[1]), Number(l[2]));
  }
  const tri: number[] = [];
  for (let f = 0; f < nf; f++, k++) {
    const l = lines[k]!;
    const n = Number(l[0]);
    if (!Number.isInteger(n) || n < 3 || n > l.length - 1) throw new FormatError(name, `face ${f + 1} has a bad vertex count "${l[0]}"`);
    const face = l.slice(1, n + 1).map(Number);
    if (face.some((v) => !Number.isInteger(v))) throw new FormatError(name, `face ${f + 1} has an index that is not an integer`);
    fan(tri, face);
  }
  return finish(name, pos, tri, options);
}

type PlyType = 'char' | 'uchar' | 'short' | 'ushort' | 'int' | 'uint' | 'float' | 'double' | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';
const PLY_SIZE: Record<PlyType, number> = { char: 1, uchar: 1, int8: 1, uint8: 1, short: 2, ushort: 2, int16: 2, uint16: 2, int: 4, uint: 4, int32: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8 };

function readPly(view: DataView, o: number, t: PlyType, le: boolean): number {
  switch (t) {
    case 'char': case 'int8': return view.getInt8(o);
    case 'uchar': case 'uint8': return view.getUint8(o);
    case 'short': case 'int16': return view.getInt16(o, le);
    case 'ushort': case 'uint16': return view.getUint16(o, le);
    case 'int': case 'int32': return view.getInt32(o, le);
    case 'uint': case 'uint32': return view.getUint32(o, le);
    case 'float': case 'float32': return view.getFloat32(o, le);
    case 'double': case 'float64': return view.getFloat64(o, le);
  }
}

interface PlyElement {
  name: string;
  count: number;
  props: { name: string; type: PlyType; list?: PlyType }[];
}

/** PLY: ASCII or binary (little/big endian) `vertex` x y z and `face` vertex_indices lists. */
export function parsePly(bytes: Uint8Array, name = 'ply data', options: ParseMeshOptions = {}): TriangleMesh {
  bytes = withoutBom(bytes);
  const headEnd = text(bytes.subarray(0, Math.min(bytes.length, 65536))).indexOf('end_header');
  if (!text(bytes.subarray(0, 3)).startsWith('ply') || headEnd < 0) throw new FormatError(name, 'not a PLY file');
  let bodyStart = headEnd + 'end_header'.length;
  if (bytes[bodyStart] === 0x0d) bodyStart++;
  bodyStart++;
  const lines = text(bytes.subarray(0, headEnd)).split(/\r?\n/).map((l) => l.trim().split(/\s+/));
  const format = lines.find((l) => l[0] === 'format')?.[1];
  if (format !== 'ascii' && format !== 'binary_little_endian' && format !== 'binary_big_endian') throw new FormatError(name, `unsupported PLY format "${format}"`);
  const elements: PlyElement[] = [];
  for (const l of lines) {
    if (l[0] === 'element') {
      const count = Number(l[2]);
      if (!Number.isSafeInteger(count) || count < 0) throw new FormatError(name, `element ${l[1]} has a bad count "${l[2]}"`);
      elements.push({ name: l[1]!, count, props: [] });
    }
    else if (l[0] === 'property') {
      const el = elements[elements.length - 1];
      if (!el) throw new FormatError(name, 'property before any element');
      if (l[1] === 'list') el.props.push({ name: l[4]!, type: l[3] as PlyType, list: l[2] as PlyType });
      else el.props.push({ name: l[2]!, type: l[1] as PlyType });
    }
  }
  for (const el of elements) for (const p of el.props) if (!(p.type in PLY_SIZE) || (p.list && !(p.list in PLY_SIZE))) throw new FormatError(name, `unknown property type in element ${el.name}`);
  const vertex = elements.find((e) => e.name === 'vertex');
  if (vertex && !['x', 'y', 'z'].every((c) => vertex.props.some((p) => p.name === c && !p.list))) throw new FormatError(name, 'vertex element lacks x, y or z');
  const face = elements.find((e) => e.name === 'face');
  if (face && face.count > 0 && !face.props.some((p) => p.list && (p.name === 'vertex_indices' || p.name === 'vertex_index'))) throw new FormatError(name, 'face element has no vertex_indices list');
  // Each element needs at least one value (ASCII) or byte per scalar and list count: check the
  // declared counts against the file before looping over them.
  const minimum = elements.reduce((n, el) => n + el.count * el.props.reduce((m, p) => m + (format === 'ascii' ? 1 : PLY_SIZE[p.list ?? p.type]), 0), 0);
  const pos: number[] = [];
  const tri: number[] = [];
  const take = (el: PlyElement, values: (p: PlyElement['props'][number]) => number | number[]) => {
    const rec: Record<string, number | number[]> = {};
    for (const p of el.props) rec[p.name] = values(p);
    if (el.name === 'vertex') pos.push(rec.x as number, rec.y as number, rec.z as number);
    if (el.name === 'face') fan(tri, (rec.vertex_indices ?? rec.vertex_index) as number[]);
    if (pos.length + tri.length > MAX_VALUES) throw new FormatError(name, `has more than ${MAX_VALUES} vertex coordinates and triangle indices`);
  };
  const body = bytes.length - bodyStart;
  if (format === 'ascii') {
    // nan and inf (as C's printf writes them) are numbers here: a point set drops such points, a mesh refuses them (finish).
    const words = text(bytes.subarray(bodyStart)).trim().split(/\s+/).filter(Boolean);
    const tokens = words.map((w) => (/^[+-]?inf(inity)?$/i.test(w) ? (w[0] === '-' ? -Infinity : Infinity) : /^[+-]?nan$/i.test(w) ? NaN : Number(w)));
    if (minimum > tokens.length) throw new FormatError(name, `ends early (truncated): declares ${elements.map((e) => `${e.count} ${e.name}`).join(', ')} but holds only ${tokens.length} values`);
    let k = 0;
    const next = (): number => {
      if (k >= tokens.length) throw new FormatError(name, 'ends early (truncated)');
      const v = tokens[k++]!;
      if (Number.isNaN(v) && !/^[+-]?nan$/i.test(words[k - 1]!)) throw new FormatError(name, `value ${k} of the body is not a number`);
      return v;
    };
    for (const el of elements.filter((e) => e.props.length > 0))
      for (let i = 0; i < el.count; i++)
        take(el, (p) => {
          if (!p.list) return next();
          const n = next();
          if (!Number.isInteger(n) || n < 0 || n > tokens.length - k) throw new FormatError(name, `element ${el.name} ${i}: bad list length ${n}`);
          const out = tokens.slice(k, k + n);
          k += n;
          return out;
        });
  } else {
    if (minimum > body) throw new FormatError(name, `ends early (truncated): declares ${elements.map((e) => `${e.count} ${e.name}`).join(', ')} but its body has only ${body} bytes`);
    const le = format === 'binary_little_endian';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let o = bodyStart;
    try {
      for (const el of elements.filter((e) => e.props.length > 0))
        for (let i = 0; i < el.count; i++)
          take(el, (p) => {
            if (!p.list) {
              const v = readPly(view, o, p.type, le);
              o += PLY_SIZE[p.type];
              return v;
            }
            const n = readPly(view, o, p.list, le);
            o += PLY_SIZE[p.list];
            const out: number[] = [];
            for (let j = 0; j < n; j++, o += PLY_SIZE[p.type]) out.push(readPly(view, o, p.type, le));
            return out;
          });
    } catch (e) {
      // DataView reads past the end throw RangeError (checked by name: it may come from another realm).
      if ((e as Error).name === 'RangeError') throw new FormatError(name, 'ends early (truncated)');
      throw e;
    }
  }
  return finish(name, pos, tri, options);
}
