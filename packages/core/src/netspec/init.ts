import { deriveSeed } from '../random';
import { tf, type Tensor } from '../tf';
import type { InitSpec, LayerSpec, ParamInfo } from './types';

/** Fan-in and fan-out of a kernel in tfjs layout (conv: [k..., in, out]; transpose conv: [k..., out, in]). */
function fans(p: ParamInfo, layer: LayerSpec): [number, number] {
  const s = p.shape;
  if (s.length === 2) return [s[0]!, s[1]!];
  const receptive = s.slice(0, -2).reduce((a, b) => a * b, 1);
  const a = s[s.length - 2]!;
  const b = s[s.length - 1]!;
  return layer.type.endsWith('Transpose') ? [receptive * b, receptive * a] : [receptive * a, receptive * b];
}

/**
 * Initial values of one parameter. Kernels follow the layer's `init` (default He-normal); biases and
 * `beta` start at 0, `gamma` at 1. Deterministic in (seed, parameter index). Ownership: caller owns it.
 */
export function initParam(p: ParamInfo, layer: LayerSpec, seed: number, index: number): Tensor {
  if (p.role === 'bias' || p.role === 'beta') return tf.zeros(p.shape);
  if (p.role === 'gamma') return tf.ones(p.shape);
  const init: InitSpec = ('init' in layer && layer.init) || { dist: 'heNormal' };
  const s = deriveSeed(seed, index);
  const [fanIn, fanOut] = fans(p, layer);
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
