import { FormatError } from '@ebm/core';
import type { PointCloud } from '../cloud';

/**
 * XYZ text: one point per line as `x y z` (separated by spaces, tabs or commas); further columns
 * (normals, colours) are ignored; blank lines and `#` comments are skipped.
 */
export function parseXyz(bytes: Uint8Array, name = 'xyz data'): PointCloud {
  const pts: number[] = [];
  new TextDecoder('latin1').decode(bytes).split(/\r?\n/).forEach((line, i) => {
    const s = line.replace(/#.*/, '').trim();
    if (!s) return;
    const t = s.split(/[\s,]+/);
    const v = t.slice(0, 3).map(Number);
    if (t.length < 3 || v.some((x) => !Number.isFinite(x))) throw new FormatError(name, `line ${i + 1}: expected "x y z", got "${s.slice(0, 40)}"`);
    // Stored as float32: 1e39 would become Infinity and normalisation would spread NaN.
    if (v.some((x) => !Number.isFinite(Math.fround(x)))) throw new FormatError(name, `line ${i + 1}: "${s.slice(0, 40)}" is too large for float32`);
    pts.push(v[0]!, v[1]!, v[2]!);
  });
  if (pts.length === 0) throw new FormatError(name, 'has no points');
  return { points: Float32Array.from(pts) };
}

/** XYZ text of a cloud. */
export function encodeXyz(c: PointCloud): string {
  const lines: string[] = [];
  for (let i = 0; i < c.points.length; i += 3) lines.push(`${c.points[i]} ${c.points[i + 1]} ${c.points[i + 2]}`);
  return `${lines.join('\n')}\n`;
}
