/**
 * The four reference nets of the benchmark (leaky-relu 0.2 everywhere, a dense layer to one energy
 * at the end), as NetSpecs; bench/torch_worker.py builds the same nets in PyTorch.
 */
import { netSpec, type NetSpec } from '@ebm/core';

export interface BenchNet {
  name: 'image' | 'voxel' | 'video' | 'pointnet';
  batch: number;
  spec: NetSpec;
}

const lrelu = { type: 'leakyRelu', alpha: 0.2 } as const;

export const NETS: BenchNet[] = [
  {
    name: 'image',
    batch: 16,
    spec: netSpec([64, 64, 3], [
      { type: 'conv2d', filters: 64, kernel: 5, stride: 2 }, lrelu,
      { type: 'conv2d', filters: 128, kernel: 3, stride: 2 }, lrelu,
      { type: 'conv2d', filters: 256, kernel: 3, stride: 2 }, lrelu,
      { type: 'flatten' }, { type: 'dense', units: 1 },
    ], 'bench-image'),
  },
  {
    name: 'voxel',
    batch: 16,
    spec: netSpec([32, 32, 32, 1], [
      { type: 'conv3d', filters: 64, kernel: 4, stride: 2 }, lrelu,
      { type: 'conv3d', filters: 128, kernel: 3, stride: 2 }, lrelu,
      { type: 'conv3d', filters: 256, kernel: 3, stride: 2 }, lrelu,
      { type: 'flatten' }, { type: 'dense', units: 1 },
    ], 'bench-voxel'),
  },
  {
    name: 'video',
    batch: 4,
    spec: netSpec([16, 64, 64, 3], [
      { type: 'conv3d', filters: 64, kernel: [3, 5, 5], stride: 2 }, lrelu,
      { type: 'conv3d', filters: 128, kernel: 3, stride: 2 }, lrelu,
      { type: 'conv3d', filters: 256, kernel: 3, stride: 2 }, lrelu,
      { type: 'flatten' }, { type: 'dense', units: 1 },
    ], 'bench-video'),
  },
  {
    name: 'pointnet',
    batch: 16,
    spec: netSpec([2048, 3], [
      { type: 'dense', units: 64 }, lrelu,
      { type: 'dense', units: 128 }, lrelu,
      { type: 'dense', units: 256 }, lrelu,
      { type: 'pool', op: 'max', axis: 0 },
      { type: 'dense', units: 128 }, lrelu,
      { type: 'dense', units: 1 },
    ], 'bench-pointnet'),
  },
];
