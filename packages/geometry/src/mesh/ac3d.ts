/**
 * AC3D (.ac) text models, the format of many hobby aircraft and game catalogues: a tree of
 * `OBJECT`s, each with an optional `loc` translation and `rot` 3×3 matrix relative to its parent,
 * `numvert` vertices and `numsurf` surfaces (`SURF` flags, `mat`, `refs n`, then n `index u v`
 * lines). Polygon surfaces are triangulated as fans and TORCS' triangle strips (.acc, flag type 4)
 * as strips; line surfaces (flag types 1 and 2) are not surfaces and are skipped. Every count is
 * checked against the lines left before it is looped over.
 */
import { FormatError, log, withoutBom } from '@ebm/core';
import { fan, finish, text, type ParseMeshOptions, type TriangleMesh } from './parse';

/** Row-major 3×3 rotation and a translation: world = R·v + t. */
interface Transform {
  r: number[];
  t: number[];
}

const IDENTITY: Transform = { r: [1, 0, 0, 0, 1, 0, 0, 0, 1], t: [0, 0, 0] };

function apply(f: Transform, v: number[]): number[] {
  const [x, y, z] = v as [number, number, number];
  return [0, 1, 2].map((i) => f.r[3 * i]! * x + f.r[3 * i + 1]! * y + f.r[3 * i + 2]! * z + f.t[i]!);
}

/** parent ∘ local: the local frame's R and t expressed in the parent's frame. */
function compose(parent: Transform, local: Transform): Transform {
  const r = Array.from({ length: 9 }, (_, k) => {
    const i = Math.floor(k / 3);
    const j = k % 3;
    return parent.r[3 * i]! * local.r[j]! + parent.r[3 * i + 1]! * local.r[3 + j]! + parent.r[3 * i + 2]! * local.r[6 + j]!;
  });
  return { r, t: apply(parent, local.t) };
}

/**
 * A triangle strip: each vertex after the first two closes a triangle with the two before it, the
 * winding flipped every other triangle so that all face the same way; triangles that repeat a
 * vertex (strips are joined by repeating one) carry no area and are left out.
 */
function strip(tri: number[], v: number[]): void {
  for (let i = 2; i < v.length; i++) {
    const [a, b, c] = i % 2 === 0 ? [v[i - 2]!, v[i - 1]!, v[i]!] : [v[i - 1]!, v[i - 2]!, v[i]!];
    if (a !== b && b !== c && a !== c) tri.push(a, b, c);
  }
}

/** AC3D: every polygon surface of every object, placed by the objects' `loc`/`rot` chain. */
export function parseAc3d(bytes: Uint8Array, name = 'ac3d data', options: ParseMeshOptions = {}): TriangleMesh {
  const lines = text(withoutBom(bytes)).split(/\r?\n/);
  if (!/^AC3D/.test(lines[0] ?? '')) throw new FormatError(name, `not an AC3D file (starts with "${(lines[0] ?? '').slice(0, 12)}")`);
  const pos: number[] = [];
  const tri: number[] = [];
  let k = 1;
  const fail = (why: string): never => {
    throw new FormatError(name, `line ${k + 1}: ${why}`);
  };
  const count = (word: string | undefined, what: string): number => {
    const n = Number(word);
    if (!Number.isInteger(n) || n < 0) fail(`bad ${what} "${word}"`);
    // Each counted item takes at least one line: a larger count cannot be satisfied by this file.
    if (n > lines.length - k) fail(`declares ${n} ${what} but only ${lines.length - k} lines follow (truncated or damaged)`);
    return n;
  };
  /** The next non-blank line's words (FlightGear's M18B_Dromader.ac has a blank line inside a surface). */
  const next = (): string[] => {
    do if (++k >= lines.length) fail('ends early (truncated)');
    while (lines[k]!.trim() === '');
    return lines[k]!.trim().split(/\s+/);
  };
  const numbers = (t: string[], n: number, what: string): number[] => {
    const v = t.slice(0, n).map(Number);
    if (v.length < n || v.some((x) => !Number.isFinite(x))) fail(`bad ${what}`);
    return v;
  };

  // Objects are nested through `kids`; an explicit stack keeps deep files from overflowing the call stack.
  const stack: { parent: Transform; left: number }[] = [{ parent: IDENTITY, left: Infinity }];
  let skippedLines = 0;
  let objects = 0;
  while (k < lines.length) {
    const t = lines[k]!.trim().split(/\s+/);
    if (t[0] === '' || t[0] === 'MATERIAL') {
      k++;
      continue;
    }
    if (t[0] !== 'OBJECT') fail(`expected OBJECT, found "${t[0]!.slice(0, 20)}"`);
    objects++;
    const top = stack[stack.length - 1]!;
    if (top.left === 0) fail('more objects than the parent\'s "kids" count');
    top.left--;
    k++;
    const local: Transform = { r: [...IDENTITY.r], t: [0, 0, 0] };
    const base = pos.length / 3;
    let kids = -1;
    let frame: Transform | undefined;
    while (kids < 0) {
      if (k >= lines.length) fail('ends inside an object (truncated)');
      const w = lines[k]!.trim().split(/\s+/);
      const key = w[0]!;
      if (key === '') {
        k++;
        continue;
      }
      if (key === 'loc') local.t = numbers(w.slice(1), 3, 'loc');
      else if (key === 'rot') local.r = numbers(w.slice(1), 9, 'rot');
      else if (key === 'data') {
        // `data n` is followed by n characters of free text, possibly over several lines.
        let n = count(w[1], 'data characters');
        while (n > 0 && k + 1 < lines.length) n -= lines[++k]!.length + 1;
      } else if (key === 'numvert') {
        frame ??= compose(top.parent, local);
        const n = count(w[1], 'vertices');
        for (let i = 0; i < n; i++) pos.push(...apply(frame, numbers(next(), 3, 'vertex')));
      } else if (key === 'numsurf') {
        const n = count(w[1], 'surfaces');
        const nv = pos.length / 3 - base;
        for (let s = 0; s < n; s++) {
          let flags = 0;
          let refs = -1;
          while (refs < 0) {
            const sw = next();
            if (sw[0] === 'SURF') flags = Number(sw[1]);
            else if (sw[0] === 'refs') refs = count(sw[1], 'surface refs');
            else if (sw[0] !== 'mat') fail(`unexpected "${sw[0]!.slice(0, 20)}" in a surface`);
          }
          const face: number[] = [];
          for (let i = 0; i < refs; i++) {
            const v = Number(next()[0]);
            if (!Number.isInteger(v) || v < 0 || v >= nv) fail(`surface refers to vertex ${v}, but the object has ${nv}`);
            face.push(base + v);
          }
          // Low 4 bits: 0 polygon, 1 closed line, 2 line, and 4 a triangle strip (TORCS' .acc
          // extension of AC3D). Lines and degenerate polygons carry no area.
          const type = flags & 0xf;
          if (type === 0 && face.length >= 3) fan(tri, face);
          else if (type === 4 && face.length >= 3) strip(tri, face);
          else skippedLines++;
        }
      } else if (key === 'kids') kids = count(w[1], 'kids');
      else if (!['name', 'texture', 'texrep', 'texoff', 'crease', 'url', 'subdiv', 'hidden', 'locked', 'folded'].includes(key)) fail(`unknown object field "${key.slice(0, 20)}"`);
      k++;
    }
    frame ??= compose(top.parent, local);
    if (kids > 0) stack.push({ parent: frame, left: kids });
    while (stack.length > 1 && stack[stack.length - 1]!.left === 0) stack.pop();
  }
  // The file ends between objects while a parent still expects kids. Exporters write such files:
  // 11 of FlightGear's 113 AI aircraft declare more kids than they hold, and FlightGear (OSG's AC3D
  // reader) draws what is there. Every object read was complete, so keep them and say so; strict
  // refuses. A file cut inside an object fails above ('ends early' / 'ends inside an object').
  if (stack.length > 1) {
    const missing = stack.slice(1).reduce((sum, s) => sum + s.left, 0);
    if (options.strict) throw new FormatError(name, `ends before all "kids" objects (${missing} missing; truncated?)`);
    log('warn', `${name}: ends ${missing} object${missing === 1 ? '' : 's'} short of its "kids" counts; kept the ${objects} it holds`);
  }
  if (skippedLines > 0 && options.strict) throw new FormatError(name, `has ${skippedLines} line or degenerate surfaces (strict: only polygons)`);
  return finish(name, pos, tri, options);
}
