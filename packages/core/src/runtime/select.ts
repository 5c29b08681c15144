import { currentBackend } from '../backend';
import { InvalidOptionError } from '../errors';
import { onnxRuntime } from '../onnx/runtime';
import { tfjsRuntime } from './tfjs';
import type { NetRuntime } from './types';

export type RuntimeName = 'tfjs' | 'onnx' | 'auto';

/**
 * A runtime by name. 'auto' picks tfjs when the active tfjs backend runs on a GPU
 * (tfjs-node-gpu), and the onnx runtime otherwise: on CPUs it runs convolution nets ~100× faster
 * than tfjs-backend-cpu (docs/performance.md).
 */
export function runtimeByName(name: RuntimeName): NetRuntime {
  switch (name) {
    case 'tfjs':
      return tfjsRuntime;
    case 'onnx':
      return onnxRuntime();
    case 'auto':
      return currentBackend()?.provider === '@tensorflow/tfjs-node-gpu' ? tfjsRuntime : onnxRuntime();
    default:
      throw new InvalidOptionError('createNet', 'runtime', name, "'tfjs', 'onnx', 'auto' or a NetRuntime");
  }
}
