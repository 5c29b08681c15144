/** pool: max or mean over one non-batch axis, which is removed (PointNet's symmetric pooling). */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { PoolLayer } from '../types';

export const axisPoolLayer: LayerModule<PoolLayer> = {
  types: ['pool'],
  layout: 'last',
  infer(layer, ctx) {
    if (layer.op !== 'max' && layer.op !== 'mean') ctx.fail(`op must be 'max' or 'mean', got ${JSON.stringify(layer.op)}`);
    const rank = ctx.inShape.length;
    if (!Number.isInteger(layer.axis) || layer.axis < 0 || layer.axis >= rank) ctx.fail(`axis must be an integer in [0, ${rank}) for an input of rank ${rank}, got ${layer.axis}`);
    return ctx.inShape.filter((_, j) => j !== layer.axis);
  },
  apply: (layer, x) => (layer.op === 'max' ? tf.max(x, layer.axis + 1) : tf.mean(x, layer.axis + 1)),
  lower(layer, x, { b, inShape }) {
    const axis = layer.axis + 1;
    if (layer.op === 'max') {
      const y = b.op1('ReduceMax', [x], { axes: [axis], keepdims: 0 });
      // The gradient goes to every position equal to the maximum (ties share it, as in tfjs).
      return {
        y,
        back: (g) => {
          const ax = b.ints([axis]);
          return b.op1('Mul', [b.op1('Cast', [b.op1('Equal', [x, b.op1('Unsqueeze', [y, ax])])], { to: 1 }), b.op1('Unsqueeze', [g, ax])]);
        },
      };
    }
    return {
      y: b.op1('ReduceMean', [x], { axes: [axis], keepdims: 0 }),
      back: (g) => b.op1('Expand', [b.op1('Mul', [b.op1('Unsqueeze', [g, b.ints([axis])]), b.scalar(1 / inShape[layer.axis]!)]), b.op1('Shape', [x])]),
    };
  },
};
