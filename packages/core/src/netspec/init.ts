import { deriveSeed, tfSeed } from '../random';
import { tf, type Tensor } from '../tf';
import type { InitSpec, ParamInfo, StateInfo } from './types';

/**
 * Initial values of one parameter. Kernels follow the layer's `init` (default He-normal) with the
 * fans the layer declared; biases and `beta` start at 0, `gamma` at 1. Deterministic in (seed,
 * parameter index). Ownership: caller owns it.
 */
export function initParam(p: ParamInfo, seed: number, index: number): Tensor {
  if (p.role === 'bias' || p.role === 'beta') return tf.zeros(p.shape);
  if (p.role === 'gamma') return tf.ones(p.shape);
  const init: InitSpec = p.init ?? { dist: 'heNormal' };
  const s = tfSeed(deriveSeed(seed, index));
  const [fanIn, fanOut] = p.fans ?? [p.shape[0]!, p.shape[p.shape.length - 1]!];
  switch (init.dist) {
    case 'normal':
      return tf.randomNormal(p.shape, 0, init.std, 'float32', s);
    case 'heNormal':
      return tf.randomNormal(p.shape, 0, Math.sqrt(2 / fanIn), 'float32', s);
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform(p.shape, -limit, limit, 'float32', s);
    }
  }
}

/** Initial value of a state tensor: running means 0, running variances 1. */
export function initState(s: StateInfo): Tensor {
  return s.role === 'runningVar' ? tf.ones(s.shape) : tf.zeros(s.shape);
}

/** The layer object at a JSON path of a spec (`layers.3.layers.0`). */
export function layerAt(root: { layers: unknown[] }, path: string): Record<string, unknown> {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], root) as Record<string, unknown>;
}
