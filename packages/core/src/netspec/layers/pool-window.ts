/**
 * pool2d / pool3d: windowed max or average pooling. ONNX backward: max pooling scatters the output
 * gradient to the argmax cells that MaxPool reports (overlapping windows add up); average pooling
 * spreads g / count over each window with a depthwise ConvTranspose of ones, where count is the
 * number of cells of the window inside the input (so 'same' windows at the border average only
 * real cells, as TensorFlow and ONNX's count_include_pad = 0 do).
 */
import { samePads } from '../../onnx/layout';
import { tf, type Tensor } from '../../tf';
import type { LayerModule } from '../registry';
import type { WindowPoolLayer } from '../types';
import { product, spatialRank, tup, tupleOf } from './util';

const dims = (l: WindowPoolLayer) => (l.type === 'pool2d' ? 2 : 3);

interface Geometry {
  k: number[];
  s: number[];
  begin: number[];
  end: number[];
  inS: number[];
  outS: number[];
}

function geometry(l: WindowPoolLayer, inS: number[]): Geometry {
  const d = dims(l);
  const k = tup(l.size as number | number[], d, 1);
  const s = tup((l.stride ?? l.size) as number | number[], d, 1);
  const same = (l.padding ?? 'valid') === 'same';
  const { begin, end } = same ? samePads(inS, k, s) : { begin: new Array<number>(d).fill(0), end: new Array<number>(d).fill(0) };
  const outS = inS.map((n, j) => (same ? Math.ceil(n / s[j]!) : Math.floor((n - k[j]!) / s[j]!) + 1));
  return { k, s, begin, end, inS, outS };
}

/** 1 / (number of window cells inside the input) at every output cell, row-major over the spatial axes. */
function inverseCounts(g: Geometry): Float32Array {
  const perAxis = g.outS.map((m, j) =>
    Array.from({ length: m }, (_, o) => {
      const start = o * g.s[j]! - g.begin[j]!;
      return Math.min(g.inS[j]!, start + g.k[j]!) - Math.max(0, start);
    }),
  );
  const out = new Float32Array(product(g.outS));
  out.forEach((_, i) => {
    let rest = i;
    let count = 1;
    for (let j = g.outS.length - 1; j >= 0; j--) {
      count *= perAxis[j]![rest % g.outS[j]!]!;
      rest = Math.floor(rest / g.outS[j]!);
    }
    out[i] = 1 / count;
  });
  return out;
}

export const windowPoolLayer: LayerModule<WindowPoolLayer> = {
  types: ['pool2d', 'pool3d'],
  layout: 'first',
  infer(layer, ctx) {
    const d = dims(layer);
    spatialRank(ctx, d);
    if (layer.op !== 'max' && layer.op !== 'avg') ctx.fail(`op must be 'max' or 'avg', got ${JSON.stringify(layer.op)}`);
    const k = tupleOf(ctx, layer.size, d, 'size');
    tupleOf(ctx, layer.stride ?? layer.size, d, 'stride');
    const pad = layer.padding ?? 'valid';
    if (pad !== 'same' && pad !== 'valid') ctx.fail(`padding must be 'same' or 'valid', got ${JSON.stringify(pad)}`);
    const inS = ctx.inShape.slice(0, d);
    if (pad === 'valid' && inS.some((n, j) => n < k[j]!)) ctx.fail(`input [${ctx.inShape.join(', ')}] is smaller than the window [${k.join(', ')}] with 'valid' padding`);
    return [...geometry(layer, inS).outS, ctx.inShape[d]!];
  },
  apply(layer, x) {
    const d = dims(layer);
    const g = geometry(layer, x.shape.slice(1, d + 1));
    const pad = layer.padding ?? 'valid';
    if (layer.op === 'max') {
      return d === 2 ? tf.maxPool(x as tf.Tensor4D, g.k as [number, number], g.s as [number, number], pad) : tf.maxPool3d(x as tf.Tensor5D, g.k as [number, number, number], g.s as [number, number, number], pad);
    }
    // Average over the cells inside the input: pad explicitly, average whole windows, rescale by
    // K / count (tfjs-backend-cpu's AvgPoolGrad assumes whole windows, so 'same' is built this way).
    const padded = pad === 'same' ? tf.pad(x, [[0, 0], ...g.begin.map((b, j) => [b, g.end[j]!] as [number, number]), [0, 0]]) : x;
    const y: Tensor = d === 2 ? tf.avgPool(padded as tf.Tensor4D, g.k as [number, number], g.s as [number, number], 'valid') : tf.avgPool3d(padded as tf.Tensor5D, g.k as [number, number, number], g.s as [number, number, number], 'valid');
    if (pad !== 'same') return y;
    const scale = inverseCounts(g).map((v) => v * product(g.k));
    return tf.mul(y, tf.tensor(scale, [1, ...g.outS, 1]));
  },
  lower(layer, x, ctx) {
    const { b } = ctx;
    const d = dims(layer);
    const g = geometry(layer, ctx.inShape.slice(0, d));
    const c = ctx.inShape[d]!;
    const attrs = { kernel_shape: g.k, strides: g.s, pads: [...g.begin, ...g.end] };
    if (layer.op === 'max') {
      const [y, indices] = b.op('MaxPool', [x], attrs, 2) as [string, string];
      return {
        y,
        back: (gy) => {
          // Indices count over the flattened input tensor: scatter-add g into zeros of x's size.
          const zeros = b.op1('ConstantOfShape', [b.op1('Reshape', [b.op1('Size', [x]), b.ints([1])])]);
          const flat = b.op1('ScatterElements', [zeros, b.op1('Reshape', [indices, b.ints([-1])]), b.op1('Reshape', [gy, b.ints([-1])])], { axis: 0, reduction: 'add' });
          return b.op1('Reshape', [flat, b.op1('Shape', [x])]);
        },
      };
    }
    const y = b.op1('AveragePool', [x], { ...attrs, count_include_pad: 0 });
    return {
      y,
      back: (gy) => {
        const scaled = b.op1('Mul', [gy, b.floats(inverseCounts(g), [1, 1, ...g.outS])]);
        const ones = b.floats(new Float32Array(c * product(g.k)).fill(1), [c, 1, ...g.k]);
        const outputPadding = g.inS.map((n, j) => n - ((g.outS[j]! - 1) * g.s[j]! + g.k[j]! - g.begin[j]! - g.end[j]!));
        return b.op1('ConvTranspose', [scaled, ones], { ...attrs, group: c, output_padding: outputPadding });
      },
    };
  },
};
