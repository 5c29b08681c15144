/** dense: an affine map on the last axis (a per-point MLP layer on [B, N, C]). */
import { tf, type Tensor } from '../../tf';
import type { LayerModule } from '../registry';
import type { DenseLayer } from '../types';

export const denseLayer: LayerModule<DenseLayer> = {
  types: ['dense'],
  layout: 'last',
  infer(layer, ctx) {
    if (!Number.isInteger(layer.units) || layer.units <= 0) ctx.fail(`units must be an integer > 0, got ${layer.units}`);
    const inC = ctx.inShape[ctx.inShape.length - 1]!;
    ctx.param('kernel', [inC, layer.units], { init: layer.init, fans: [inC, layer.units] });
    if (layer.bias !== false) ctx.param('bias', [layer.units]);
    return [...ctx.inShape.slice(0, -1), layer.units];
  },
  apply(layer, x, ctx) {
    const kernel = ctx.param('kernel')!;
    const bias = ctx.param('bias');
    const inC = x.shape[x.shape.length - 1]!;
    const flat = x.rank === 2 ? (x as tf.Tensor2D) : (tf.reshape(x, [-1, inC]) as tf.Tensor2D);
    let y: Tensor = tf.matMul(flat, kernel as tf.Tensor2D);
    if (bias) y = tf.add(y, bias);
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), layer.units]);
  },
  lower(layer, x, ctx) {
    const { b } = ctx;
    const c = ctx.inShape[ctx.inShape.length - 1]!;
    const kernel = ctx.param('kernel')!;
    const bias = ctx.param('bias');
    let y = b.op1('MatMul', [x, kernel]);
    if (bias) y = b.op1('Add', [y, bias]);
    return {
      y,
      back: (g, needInput) => {
        if (ctx.wantParams) {
          const flat = ctx.inShape.length > 1;
          const x2 = flat ? b.op1('Reshape', [x, b.ints([-1, c])]) : x;
          const g2 = flat ? b.op1('Reshape', [g, b.ints([-1, layer.units])]) : g;
          ctx.setGrad('kernel', b.op1('MatMul', [b.op1('Transpose', [x2], { perm: [1, 0] }), g2]));
          if (bias) ctx.setGrad('bias', b.op1('ReduceSum', [g2, b.ints([0])], { keepdims: 0 }));
        }
        return needInput ? b.op1('MatMul', [g, b.op1('Transpose', [kernel], { perm: [1, 0] })]) : undefined;
      },
    };
  },
};
