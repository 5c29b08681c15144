/** reshape and flatten (channels-last order, like every spec). */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { FlattenLayer, ReshapeLayer } from '../types';
import { product } from './util';

export const reshapeLayer: LayerModule<ReshapeLayer | FlattenLayer> = {
  types: ['reshape', 'flatten'],
  layout: 'last',
  infer(layer, ctx) {
    const n = product(ctx.inShape);
    if (layer.type === 'flatten') return [n];
    const s = layer.shape;
    if (!Array.isArray(s) || !s.every((x) => Number.isInteger(x) && x > 0) || product(s) !== n) {
      ctx.fail(`cannot reshape [${ctx.inShape.join(', ')}] (${n} values) to ${JSON.stringify(s)}`);
    }
    return [...s];
  },
  apply: (layer, x) => tf.reshape(x, layer.type === 'flatten' ? [x.shape[0]!, -1] : [x.shape[0]!, ...layer.shape]),
  lower(layer, x, { b, inShape }) {
    return {
      y: b.op1('Reshape', [x, b.ints(layer.type === 'flatten' ? [0, -1] : [0, ...layer.shape])]),
      back: (g) => b.op1('Reshape', [g, b.ints([0, ...inShape])]),
    };
  },
};
