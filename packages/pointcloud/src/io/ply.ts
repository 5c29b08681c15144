import type { PointCloud } from '../cloud';

/**
 * PLY bytes of a cloud (vertices only, float x y z): binary little endian by default, or ASCII.
 * Opens in MeshLab, CloudCompare, Blender and Open3D.
 */
export function encodePly(c: PointCloud, options: { format?: 'binary' | 'ascii'; comment?: string } = {}): Uint8Array {
  const n = c.points.length / 3;
  const ascii = options.format === 'ascii';
  const header = [
    'ply',
    `format ${ascii ? 'ascii' : 'binary_little_endian'} 1.0`,
    `comment ${(options.comment ?? 'ebm point cloud').replace(/\n/g, ' ')}`,
    `element vertex ${n}`,
    'property float x',
    'property float y',
    'property float z',
    'end_header',
    '',
  ].join('\n');
  const head = new TextEncoder().encode(header);
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
