/**
 * conv2d, conv3d and their transposes. ONNX backward: a conv's input gradient is a ConvTranspose
 * with the same weights (for 3-D convs a 2-D one over depth-folded channels, depth-fold.ts; or, on
 * request, GEMM + overlap-add, col2im.ts); its weight gradient is im2col + one GEMM (im2col.ts)
 * where that measured faster, else one Conv of the input with the output gradient as a kernel
 * dilated by the stride.
 */
import { convInputGradCol2im } from '../../onnx/col2im';
import { convInputGradDepthFold, FOLDED_KERNEL_PERM } from '../../onnx/depth-fold';
import { convWeightGradIm2col, preferIm2col } from '../../onnx/im2col';
import { kernelToOnnx, kernelToTfjs, samePads, swap01 } from '../../onnx/layout';
import { tf } from '../../tf';
import type { ConvInputGradLowering, LayerModule } from '../registry';
import type { Conv2dLayer, Conv3dLayer } from '../types';
import { spatialRank, tup, tupleOf } from './util';

type ConvLayer = Conv2dLayer | Conv3dLayer;

/**
 * 3-D input gradients (and 3-D transpose convs) go through a 2-D ConvTranspose over depth-folded
 * channels (depth-fold.ts) unless another lowering is asked for. Measured A/B on 2 cores against
 * the GEMM + per-tap overlap-add (col2im.ts), which 'auto' used before (docs/performance.md):
 * video Langevin step 0.81–0.87×, voxel 0.65–0.71×, an FC_S-like net with a (3, 16, 16) layer
 * 0.25× (against ConvTranspose, which col2im's tap limit left it on), stride-1 3³ layers 0.29×.
 */
const foldDepth = (l: ConvLayer, lowering: ConvInputGradLowering) => dims(l) === 3 && (lowering === 'auto' || lowering === 'depthFold');

const dims = (l: ConvLayer) => (l.type.startsWith('conv2d') ? 2 : 3);
const isTranspose = (l: ConvLayer) => l.type.endsWith('Transpose');

function outSpatial(l: ConvLayer, inS: number[], k: number[], s: number[]): number[] {
  const same = (l.padding ?? 'same') === 'same';
  return inS.map((n, j) => (isTranspose(l) ? (same ? n * s[j]! : (n - 1) * s[j]! + k[j]!) : same ? Math.ceil(n / s[j]!) : Math.floor((n - k[j]!) / s[j]!) + 1));
}

export const convLayer: LayerModule<ConvLayer> = {
  types: ['conv2d', 'conv2dTranspose', 'conv3d', 'conv3dTranspose'],
  layout: 'first',
  infer(layer, ctx) {
    const d = dims(layer);
    spatialRank(ctx, d);
    if (!Number.isInteger(layer.filters) || layer.filters <= 0) ctx.fail(`filters must be an integer > 0, got ${layer.filters}`);
    const k = tupleOf(ctx, layer.kernel, d, 'kernel');
    const s = tupleOf(ctx, layer.stride ?? 1, d, 'stride');
    const pad = layer.padding ?? 'same';
    if (pad !== 'same' && pad !== 'valid') ctx.fail(`padding must be 'same' or 'valid', got ${JSON.stringify(pad)}`);
    const inS = ctx.inShape.slice(0, d);
    if (!isTranspose(layer) && pad === 'valid' && inS.some((n, j) => n < k[j]!)) ctx.fail(`input [${ctx.inShape.join(', ')}] is smaller than kernel [${k.join(', ')}] with 'valid' padding`);
    const inC = ctx.inShape[d]!;
    const receptive = k.reduce((a, b) => a * b, 1);
    // tfjs layouts: conv [k..., in, out]; transpose conv [k..., out, in]. Fans count the receptive field.
    const fans: [number, number] = [receptive * inC, receptive * layer.filters];
    ctx.param('kernel', isTranspose(layer) ? [...k, layer.filters, inC] : [...k, inC, layer.filters], { init: layer.init, fans });
    if (layer.bias !== false) ctx.param('bias', [layer.filters]);
    return [...outSpatial(layer, inS, k, s), layer.filters];
  },
  apply(layer, x, ctx) {
    const d = dims(layer);
    const k = ctx.param('kernel')!;
    const s = tup(layer.stride, d, 1);
    const pad = layer.padding ?? 'same';
    let y;
    if (!isTranspose(layer)) {
      y = d === 2 ? tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, s as [number, number], pad) : tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, s as [number, number, number], pad);
    } else {
      const out = [x.shape[0]!, ...outSpatial(layer, x.shape.slice(1, d + 1), tup(layer.kernel, d, 1), s), layer.filters];
      y =
        d === 2
          ? tf.conv2dTranspose(x as tf.Tensor4D, k as tf.Tensor4D, out as [number, number, number, number], s as [number, number], pad)
          : tf.conv3dTranspose(x as tf.Tensor5D, k as tf.Tensor5D, out as [number, number, number, number, number], s as [number, number, number], pad);
    }
    const b = ctx.param('bias');
    return b ? tf.add(y, b) : y;
  },
  lower(layer, x, ctx) {
    const { b } = ctx;
    const d = dims(layer);
    const transpose = isTranspose(layer);
    const k = tup(layer.kernel, d, 1);
    const s = tup(layer.stride, d, 1);
    const same = (layer.padding ?? 'same') === 'same';
    const inS = ctx.inShape.slice(0, d);
    const outS = ctx.outShape.slice(0, d);
    // The strided conv of this layer maps `big` → `small` (for a transpose conv, output → input).
    const big = transpose ? outS : inS;
    const small = transpose ? inS : outS;
    const { begin, end } = same ? samePads(big, k, s) : { begin: new Array<number>(d).fill(0), end: new Array<number>(d).fill(0) };
    const pads = [...begin, ...end];
    // ConvTranspose from `small` back to `big` needs output_padding to land on the exact size.
    const outputPadding = big.map((n, j) => n - ((small[j]! - 1) * s[j]! + k[j]! - begin[j]! - end[j]!));
    const kernel = ctx.param('kernel')!;
    const bias = ctx.param('bias');
    // The kernel in ONNX's layout, read only by the ops that need it (a folded transpose conv's forward does not).
    let onnxKernel: string | undefined;
    const W = () => (onnxKernel ??= ctx.paramPermuted('kernel', kernelToOnnx(d))!);
    const rank = d + 2;
    const convAttrs = { strides: s, pads, kernel_shape: k };
    const tconvAttrs = { strides: s, pads, kernel_shape: k, output_padding: outputPadding };
    const inC = ctx.inShape[d]!;
    const shape = { k, s, begin, end, inS, outS, inC, outC: layer.filters };
    const { convInputGrad, convWeightGrad } = ctx.options;
    const fold = foldDepth(layer, convInputGrad);
    // A transpose conv's forward is the input gradient of the conv from `big` (filters channels) to
    // `small` (inC channels), whose tfjs kernel layout [k..., filters, inC] the layer's kernel has.
    const foldedTranspose = () => {
      const z = convInputGradDepthFold(b, x, ctx.paramPermuted('kernel', FOLDED_KERNEL_PERM)!, { k, s, begin, end, inS: big, outS: small, inC: layer.filters, outC: inC });
      return bias ? b.op1('Add', [z, b.op1('Reshape', [bias, b.ints([layer.filters, 1, 1, 1])])]) : z;
    };
    // The bias goes in as the conv's own B input: one node instead of a Conv and a broadcast Add
    // (measured no faster or slower, docs/performance.md; it is the form PyTorch's exporter writes).
    const withBias = () => [x, W(), ...(bias ? [bias] : [])];
    const y = transpose ? (fold ? foldedTranspose() : b.op1('ConvTranspose', withBias(), tconvAttrs)) : b.op1('Conv', withBias(), convAttrs);
    // Weight gradient as one Conv with batch as the channel axis and the other operand as a kernel
    // dilated by the stride: dW[a, c, t] = Σ_b Σ_y P[b, a, t + s·y] · Q[b, c, y], where (P, Q) =
    // (padded x, g) for a conv and (padded g, x) for a transpose conv.
    const weightGradByConv = (g: string): string => {
      const [P, Q] = transpose ? [g, x] : [x, g];
      let r = b.op1('Conv', [b.op1('Transpose', [P], { perm: swap01(rank) }), b.op1('Transpose', [Q], { perm: swap01(rank) })], { dilations: s, pads });
      const got = big.map((n, j) => n + begin[j]! + end[j]! - (small[j]! - 1) * s[j]!);
      if (got.some((n, j) => n !== k[j])) r = b.op1('Slice', [r, b.ints(new Array<number>(d).fill(0)), b.ints(k), b.ints(Array.from({ length: d }, (_, j) => j + 2))]);
      // r is [I, O, k...] for a conv (→ tfjs [k..., I, O]) and [O, I, k...] for a transpose conv (→ tfjs [k..., O, I]).
      return b.op1('Transpose', [r], { perm: kernelToTfjs(d) });
    };
    // im2col takes the same (P, Q) roles: columns of P (the `big` side), one GEMM with Q.
    const cols = { k, s, begin, end, outS: small, inC: transpose ? layer.filters : inC, outC: transpose ? inC : layer.filters };
    const im2col = convWeightGrad === 'im2col' || (convWeightGrad === 'auto' && preferIm2col(cols));
    const weightGradByIm2col = (g: string): string => (transpose ? convWeightGradIm2col(b, g, x, cols) : convWeightGradIm2col(b, x, g, cols));
    const inputGradOf = (g: string): string => {
      if (transpose) return b.op1('Conv', [g, W()], convAttrs);
      if (fold) return convInputGradDepthFold(b, g, ctx.paramPermuted('kernel', FOLDED_KERNEL_PERM)!, shape);
      if (convInputGrad === 'col2im') return convInputGradCol2im(b, g, kernel, shape);
      return b.op1('ConvTranspose', [g, W()], tconvAttrs);
    };
    return {
      y,
      back: (g, needInput) => {
        if (ctx.wantParams) {
          if (bias) ctx.setGrad('bias', b.op1('ReduceSum', [g, b.ints([0, ...Array.from({ length: d }, (_, j) => j + 2)])], { keepdims: 0 }));
          ctx.setGrad('kernel', im2col ? weightGradByIm2col(g) : weightGradByConv(g));
        }
        return needInput ? inputGradOf(g) : undefined;
      },
    };
  },
};
