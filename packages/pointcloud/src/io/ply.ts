import type { PointCloud } from '../cloud';
import { headerAndPoints } from './encode';

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
  return headerAndPoints(header, c, ascii);
}
