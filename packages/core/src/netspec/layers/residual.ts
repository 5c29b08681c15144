/** residual: y = x + F(x) for a nested layer list F; backward adds the identity path's gradient. */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { ResidualLayer } from '../types';

export const residualLayer: LayerModule<ResidualLayer> = {
  types: ['residual'],
  layout: 'any',
  infer(layer, ctx) {
    const out = ctx.sub(layer.layers, ctx.inShape, `${ctx.path}.layers`);
    if (out.length !== ctx.inShape.length || out.some((n, j) => n !== ctx.inShape[j])) {
      ctx.fail(`the block's output [${out.join(', ')}] must have the shape of its input [${ctx.inShape.join(', ')}]`);
    }
    return ctx.inShape;
  },
  apply: (layer, x, ctx) => tf.add(x, ctx.sub(layer.layers, x, `${ctx.path}.layers`)),
  lower(layer, x, ctx) {
    const inner = ctx.sub(layer.layers, { v: x, shape: ctx.inShape, layout: ctx.layout }, `${ctx.path}.layers`);
    return {
      y: ctx.b.op1('Add', [x, inner.y.v]),
      back: (g, needInput) => {
        const gi = inner.back(g, needInput);
        return needInput ? ctx.b.op1('Add', [g, gi!]) : undefined;
      },
    };
  },
};
