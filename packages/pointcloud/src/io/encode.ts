import type { PointCloud } from '../cloud';

/** A text header followed by the points: `x y z` lines (ascii) or little-endian float32 triples (PLY's and PCD's binary bodies). */
export function headerAndPoints(header: string, c: PointCloud, ascii: boolean): Uint8Array {
  const head = new TextEncoder().encode(header);
  const n = c.points.length / 3;
  if (ascii) {
    const lines: string[] = [];
    for (let i = 0; i < c.points.length; i += 3) lines.push(`${c.points[i]} ${c.points[i + 1]} ${c.points[i + 2]}`);
    const body = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const out = new Uint8Array(head.length + body.length);
    out.set(head);
    out.set(body, head.length);
    return out;
  }
  const out = new Uint8Array(head.length + 12 * n);
  out.set(head);
  const v = new DataView(out.buffer, head.length);
  for (let i = 0; i < 3 * n; i++) v.setFloat32(4 * i, c.points[i]!, true);
  return out;
}
