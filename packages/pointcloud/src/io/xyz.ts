import { FormatError, log, withoutBom } from '@ebm/core';
import type { PointCloud } from '../cloud';

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/**
 * XYZ text: one point per line as `x y z` (separated by spaces, tabs or commas); further columns
 * (normals, colours) are ignored; blank lines and `#` comments are skipped; points written as
 * nan or inf (invalid depth pixels) are dropped and counted in a log line. Two first lines that
 * exporters write are read too: a header of column names (`x,y,z,nx,ny,nz`, as CSV exports
 * write it) and a point count (scanner `.pts` files), which must then match the points.
 */
export function parseXyz(bytes: Uint8Array, name = 'xyz data'): PointCloud {
  if (looksBinary(bytes)) throw new FormatError(name, 'is binary data, not a text point file (x y z per line)');
  const pts: number[] = [];
  let first = true;
  let dropped = 0;
  let count: number | undefined;
  new TextDecoder('latin1').decode(withoutBom(bytes)).split(/\r?\n/).forEach((line, i) => {
    const s = line.replace(/#.*/, '').trim();
    if (!s) return;
    const t = s.split(/[\s,;]+/);
    if (first) {
      first = false;
      if (t.every((w) => /^[A-Za-z_][\w.]*$/.test(w)) && !t.every((w) => NON_FINITE.test(w))) return;
      if (t.length === 1 && /^\d+$/.test(t[0]!)) return void (count = Number(t[0]));
    }
    // Depth-camera exports write invalid points as nan (or inf): such a point is dropped.
    if (t.length >= 3 && t.slice(0, 3).some((w) => NON_FINITE.test(w)) && t.slice(0, 3).every((w) => NON_FINITE.test(w) || Number.isFinite(Number(w)))) return void dropped++;
    const v = t.slice(0, 3).map(Number);
    if (t.length < 3 || v.some((x) => !Number.isFinite(x))) throw new FormatError(name, `line ${i + 1}: expected "x y z", got "${s.slice(0, 40)}"`);
    // Stored as float32: 1e39 would become Infinity and normalisation would spread NaN.
    if (v.some((x) => !Number.isFinite(Math.fround(x)))) throw new FormatError(name, `line ${i + 1}: "${s.slice(0, 40)}" is too large for float32`);
    pts.push(v[0]!, v[1]!, v[2]!);
  });
  if (pts.length === 0) throw new FormatError(name, dropped ? `has no points with finite coordinates (all ${dropped} are NaN or infinite)` : 'has no points');
  if (dropped) log('info', `${name}: dropped ${dropped} of ${dropped + pts.length / 3} points with NaN or infinite coordinates`);
  if (count !== undefined && count !== pts.length / 3 + dropped) throw new FormatError(name, `its first line says ${count} points but it holds ${pts.length / 3 + dropped} (truncated or damaged)`);
  return { points: Float32Array.from(pts) };
}

/** NUL bytes, or many control bytes, in the first 4 KB: not a text file. */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13) control++;
  }
  return control > head.length / 20;
}

/** XYZ text of a cloud. */
export function encodeXyz(c: PointCloud): string {
  const lines: string[] = [];
  for (let i = 0; i < c.points.length; i += 3) lines.push(`${c.points[i]} ${c.points[i + 1]} ${c.points[i + 2]}`);
  return `${lines.join('\n')}\n`;
}
