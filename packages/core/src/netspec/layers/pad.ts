/**
 * pad: explicit constant or reflect padding of the spatial axes. ONNX backward: constant padding
 * crops the gradient; reflect padding also folds each mirrored border back onto the cells it copied.
 */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { PadLayer } from '../types';

const BIG = 2 ** 62;

export const padLayer: LayerModule<PadLayer> = {
  types: ['pad'],
  layout: 'first',
  infer(layer, ctx) {
    const d = ctx.inShape.length - 1;
    if (d < 1) ctx.fail(`expects spatial axes and a channel axis, got [${ctx.inShape.join(', ')}]`);
    const mode = layer.mode ?? 'constant';
    if (mode !== 'constant' && mode !== 'reflect') ctx.fail(`mode must be 'constant' or 'reflect', got ${JSON.stringify(mode)}`);
    if (layer.value !== undefined && (mode !== 'constant' || !Number.isFinite(layer.value))) ctx.fail(`value must be a finite number with mode 'constant', got ${JSON.stringify(layer.value)}`);
    const ok = Array.isArray(layer.pads) && layer.pads.length === d && layer.pads.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
    if (!ok) ctx.fail(`pads must list [before, after] (integers >= 0) for each of the ${d} spatial axes, got ${JSON.stringify(layer.pads)}`);
    if (mode === 'reflect') {
      layer.pads.forEach(([bf, af], j) => {
        if (Math.max(bf, af) >= ctx.inShape[j]!) ctx.fail(`reflect padding of axis ${j} must be smaller than its size ${ctx.inShape[j]}, got [${bf}, ${af}]`);
      });
    }
    return [...ctx.inShape.slice(0, d).map((n, j) => n + layer.pads[j]![0] + layer.pads[j]![1]), ctx.inShape[d]!];
  },
  apply(layer, x) {
    if ((layer.mode ?? 'constant') === 'constant') return tf.pad(x, [[0, 0], ...layer.pads, [0, 0]], layer.value ?? 0);
    // Built from reversed slices: tfjs's MirrorPad gradient only crops, dropping the mirrored cells.
    let h = x;
    layer.pads.forEach(([bf, af], j) => {
      const axis = j + 1;
      const n = h.shape[axis]!;
      const part = (start: number, size: number) => tf.reverse(tf.slice(h, h.shape.map((_, i) => (i === axis ? start : 0)), h.shape.map((s, i) => (i === axis ? size : s))), axis);
      const parts = [...(bf > 0 ? [part(1, bf)] : []), h, ...(af > 0 ? [part(n - 1 - af, af)] : [])];
      h = parts.length > 1 ? tf.concat(parts, axis) : h;
    });
    return h;
  },
  lower(layer, x, ctx) {
    const { b } = ctx;
    const d = layer.pads.length;
    const begin = layer.pads.map((p) => p[0]);
    const end = layer.pads.map((p) => p[1]);
    const reflect = (layer.mode ?? 'constant') === 'reflect';
    const y = reflect
      ? b.op1('Pad', [x, b.ints([0, 0, ...begin, 0, 0, ...end])], { mode: 'reflect' })
      : b.op1('Pad', [x, b.ints([0, 0, ...begin, 0, 0, ...end]), b.scalar(layer.value ?? 0)]);
    const slice = (t: string, axis: number, start: number, stop: number, step = 1) => b.op1('Slice', [t, b.ints([start]), b.ints([stop]), b.ints([axis]), b.ints([step])]);
    return {
      y,
      back: (g) => {
        let cur = g;
        for (let j = 0; j < d; j++) {
          const [bf, af] = layer.pads[j]!;
          if (bf === 0 && af === 0) continue;
          const n = ctx.inShape[j]!;
          const axis = j + 2;
          let gx = slice(cur, axis, bf, bf + n);
          if (reflect) {
            const zeros = (lo: number, hi: number) => b.ints([0, 0, ...Array.from({ length: d }, (_, i) => (i === j ? lo : 0)), 0, 0, ...Array.from({ length: d }, (_, i) => (i === j ? hi : 0))]);
            // Padded cell bf − 1 − q copies input cell q + 1; padded cell bf + n + q copies input cell n − 2 − q.
            if (bf > 0) gx = b.op1('Add', [gx, b.op1('Pad', [slice(cur, axis, bf - 1, -BIG, -1), zeros(1, n - 1 - bf)])]);
            if (af > 0) gx = b.op1('Add', [gx, b.op1('Pad', [slice(cur, axis, bf + n + af - 1, bf + n - 1, -1), zeros(n - 1 - af, 1)])]);
          }
          cur = gx;
        }
        return cur;
      },
    };
  },
};
