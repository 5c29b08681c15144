/**
 * Runtimes by name (the onnxruntime-common backend-registry pattern): the package entry registers
 * 'tfjs' and 'onnx', so nets (netspec/) never import a runtime and runtimes never import nets.
 */
import { currentBackend } from '../backend';
import { EbmError, InvalidOptionError } from '../errors';
import type { NetRuntime } from './types';

export type RuntimeName = 'tfjs' | 'onnx' | 'auto' | (string & {});

const RUNTIMES = new Map<string, () => NetRuntime>();

/** Registers a runtime factory under a name; a name can be registered once. */
export function registerRuntime(name: string, factory: () => NetRuntime): void {
  if (name === 'auto') throw new EbmError("registerRuntime: 'auto' is reserved");
  if (RUNTIMES.has(name) && RUNTIMES.get(name) !== factory) throw new EbmError(`registerRuntime: runtime "${name}" is already registered`);
  RUNTIMES.set(name, factory);
}

/**
 * A runtime by name. 'auto' picks tfjs when the active tfjs backend runs on a GPU
 * (tfjs-node-gpu), and the onnx runtime otherwise: on CPUs it runs convolution nets ~100× faster
 * than tfjs-backend-cpu (docs/performance.md).
 */
export function runtimeByName(name: RuntimeName): NetRuntime {
  const pick = name === 'auto' ? (currentBackend()?.provider === '@tensorflow/tfjs-node-gpu' ? 'tfjs' : 'onnx') : name;
  const factory = RUNTIMES.get(pick);
  if (!factory) throw new InvalidOptionError('createNet', 'runtime', name, `'auto', a registered runtime (${[...RUNTIMES.keys()].map((k) => `'${k}'`).join(', ')}) or a NetRuntime`);
  return factory();
}
