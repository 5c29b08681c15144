/**
 * concat: joins a named extra input on the channel axis, tiled over the spatial axes when it has only
 * channels (Conditional CoopNets tile a one-hot label to 7×7×10). Backward: the running tensor gets
 * its channels of the gradient; the extra input, when its gradient is asked for, the rest (summed
 * over the tiling).
 */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { ConcatLayer } from '../types';

export const concatLayer: LayerModule<ConcatLayer> = {
  types: ['concat'],
  layout: 'last',
  infer(layer, ctx) {
    const e = typeof layer.input === 'string' ? ctx.inputs[layer.input] : undefined;
    if (!e) ctx.fail(`input must name an extra input of the net (${Object.keys(ctx.inputs).join(', ') || 'it has none'}), got ${JSON.stringify(layer.input)}`);
    const s = ctx.inShape;
    const c = s[s.length - 1]!;
    if (e!.length === 1) return [...s.slice(0, -1), c + e![0]!];
    if (e!.length !== s.length || e!.slice(0, -1).some((n, j) => n !== s[j])) {
      ctx.fail(`input "${layer.input}" [${e!.join(', ')}] must have only a channel axis or match the spatial axes of [${s.join(', ')}]`);
    }
    return [...s.slice(0, -1), c + e![e!.length - 1]!];
  },
  apply(layer, x, ctx) {
    let e = ctx.input(layer.input);
    if (e.rank === 2 && x.rank > 2) {
      const ones = new Array<number>(x.rank - 2).fill(1);
      e = tf.broadcastTo(tf.reshape(e, [e.shape[0]!, ...ones, e.shape[1]!]), [...x.shape.slice(0, -1), e.shape[1]!]);
    }
    return tf.concat([x, e], -1);
  },
  lower(layer, x, ctx) {
    const { b, inShape } = ctx;
    const r = inShape.length;
    const c = inShape[r - 1]!;
    const ce = ctx.outShape[r - 1]! - c;
    let e = ctx.input(layer.input);
    const tiled = r > 1 && ctx.inputs[layer.input]!.length === 1;
    if (tiled) {
      const spatial = Array.from({ length: r - 1 }, (_, j) => j + 1);
      const shape = b.op1('Concat', [b.op1('Slice', [b.op1('Shape', [x]), b.ints([0]), b.ints([-1])]), b.ints([ce])], { axis: 0 });
      e = b.op1('Expand', [b.op1('Unsqueeze', [e, b.ints(spatial)]), shape]);
    }
    return {
      y: b.op1('Concat', [x, e], { axis: -1 }),
      back: (g) => {
        if (ctx.wantsInputGrad(layer.input)) {
          let ge = b.op1('Slice', [g, b.ints([c]), b.ints([c + ce]), b.ints([-1])]);
          if (tiled) ge = b.op1('ReduceSum', [ge, b.ints(Array.from({ length: r - 1 }, (_, j) => j + 1))], { keepdims: 0 });
          ctx.addInputGrad(layer.input, ge);
        }
        return b.op1('Slice', [g, b.ints([0]), b.ints([c]), b.ints([-1])]);
      },
    };
  },
};
