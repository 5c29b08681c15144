/**
 * layerNorm and batchNorm. Both normalise over a set of axes with a learnable scale γ and offset β;
 * batchNorm also keeps running statistics and uses them in the net's 'eval' mode (a generator
 * samples in eval mode). ONNX backward of the normalisation (x̂ = (x − μ)·r, r = 1/√(σ² + ε)):
 *   dx = r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)),  ĝ = g · γ,  means over the normalised axes;
 * with fixed (running) statistics simply dx = r · ĝ.
 */
import { tf, type Tensor } from '../../tf';
import type { InferContext, LayerModule } from '../registry';
import type { NormLayer } from '../types';

/** Normalised axes as tensor axes (batch = 0) of a rank-(r+1) tensor. */
function reducedAxes(layer: NormLayer, r: number): number[] {
  const spatial = (layer.axes ?? Array.from({ length: layer.type === 'batchNorm' ? r - 1 : r }, (_, j) => j)).map((a) => a + 1);
  return layer.type === 'batchNorm' ? [0, ...spatial] : spatial;
}

/**
 * Shape (without batch) of a per-cell tensor that broadcasts against the input: 1 on `ones`, the
 * input's size elsewhere; a plain [C] when only the channel axis remains (the common case).
 */
function cellShape(inShape: number[], ones: (j: number) => boolean): number[] {
  const s = inShape.map((n, j) => (ones(j) ? 1 : n));
  return s.slice(0, -1).every((n) => n === 1) ? [s[s.length - 1]!] : s;
}

function infer(layer: NormLayer, ctx: InferContext): { affine: number[]; stats?: number[] } {
  const r = ctx.inShape.length;
  for (const a of layer.axes ?? []) if (!Number.isInteger(a) || a < 0 || a >= r) ctx.fail(`axis must be an integer in [0, ${r}) for an input of rank ${r}, got ${a}`);
  if (layer.epsilon !== undefined && !(layer.epsilon > 0)) ctx.fail(`epsilon must be > 0, got ${layer.epsilon}`);
  const normed = reducedAxes(layer, r).filter((a) => a > 0).map((a) => a - 1);
  if (layer.type === 'layerNorm') {
    if (layer.affine !== undefined && layer.affine !== 'channel' && layer.affine !== 'normalized') ctx.fail(`affine must be 'channel' or 'normalized', got ${JSON.stringify(layer.affine)}`);
    if (layer.momentum !== undefined) ctx.fail('momentum applies to batchNorm only');
    const affine = layer.affine === 'normalized' ? cellShape(ctx.inShape, (j) => !normed.includes(j)) : [ctx.inShape[r - 1]!];
    return { affine };
  }
  if (layer.affine !== undefined) ctx.fail('affine applies to layerNorm only');
  if (layer.momentum !== undefined && !(layer.momentum >= 0 && layer.momentum <= 1)) ctx.fail(`momentum must be in [0, 1], got ${layer.momentum}`);
  return { affine: [ctx.inShape[r - 1]!], stats: cellShape(ctx.inShape, (j) => normed.includes(j)) };
}

export const normLayer: LayerModule<NormLayer> = {
  types: ['batchNorm', 'layerNorm'],
  layout: 'last',
  infer(layer, ctx) {
    const { affine, stats } = infer(layer, ctx);
    ctx.param('gamma', affine);
    ctx.param('beta', affine);
    if (stats) {
      ctx.state('runningMean', stats);
      ctx.state('runningVar', stats);
    }
    return ctx.inShape;
  },
  apply(layer, x, ctx) {
    const eps = layer.epsilon ?? 1e-5;
    const gamma = ctx.param('gamma')!;
    const beta = ctx.param('beta')!;
    let mean: Tensor;
    let variance: Tensor;
    if (layer.type === 'batchNorm' && ctx.mode === 'eval') {
      mean = ctx.state('runningMean');
      variance = ctx.state('runningVar');
    } else {
      ({ mean, variance } = tf.moments(x, reducedAxes(layer, x.rank - 1), true));
      if (layer.type === 'batchNorm') {
        const shape = ctx.state('runningMean').shape;
        ctx.stat('runningMean', tf.reshape(mean, shape));
        ctx.stat('runningVar', tf.reshape(variance, shape));
      }
    }
    const xh = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(xh, gamma), beta);
  },
  lower(layer, x, ctx) {
    const { b } = ctx;
    const rank = ctx.inShape.length + 1;
    const axes = reducedAxes(layer, rank - 1);
    const eps = layer.epsilon ?? 1e-5;
    const gamma = ctx.param('gamma')!;
    const beta = ctx.param('beta')!;
    const mean = (t: string) => b.op1('ReduceMean', [t], { axes, keepdims: 1 });
    const fixed = layer.type === 'batchNorm' && ctx.mode === 'eval';
    let xc: string;
    let rstd: string;
    if (fixed) {
      xc = b.op1('Sub', [x, ctx.state('runningMean')]);
      rstd = b.op1('Reciprocal', [b.op1('Sqrt', [b.op1('Add', [ctx.state('runningVar'), b.scalar(eps)])])]);
    } else {
      xc = b.op1('Sub', [x, mean(x)]);
      const variance = mean(b.op1('Mul', [xc, xc]));
      rstd = b.op1('Reciprocal', [b.op1('Sqrt', [b.op1('Add', [variance, b.scalar(eps)])])]);
      if (layer.type === 'batchNorm') {
        // The state's shape, as the running update adds these to it.
        const shape = b.ints(cellShape(ctx.inShape, (j) => axes.includes(j + 1)));
        ctx.stat('runningMean', b.op1('Reshape', [mean(x), shape]));
        ctx.stat('runningVar', b.op1('Reshape', [variance, shape]));
      }
    }
    const xh = b.op1('Mul', [xc, rstd]);
    const y = b.op1('Add', [b.op1('Mul', [xh, gamma]), beta]);
    // γ, β are reduced over the batch and every axis they broadcast along.
    const affineShape = layer.type === 'layerNorm' && layer.affine === 'normalized' ? cellShape(ctx.inShape, (j) => !axes.includes(j + 1)) : [ctx.inShape[rank - 2]!];
    const full = affineShape.length === rank - 1 ? affineShape : [...new Array<number>(rank - 2).fill(1), affineShape[0]!];
    const sumAxes = [0, ...full.flatMap((n, j) => (n === 1 && ctx.inShape[j] !== 1 ? [j + 1] : []))];
    const reduceTo = (t: string) => b.op1('Reshape', [b.op1('ReduceSum', [t, b.ints(sumAxes)], { keepdims: 1 }), b.ints(affineShape)]);
    return {
      y,
      back: (g, needInput) => {
        if (ctx.wantParams) {
          ctx.setGrad('gamma', reduceTo(b.op1('Mul', [g, xh])));
          ctx.setGrad('beta', reduceTo(g));
        }
        if (!needInput) return undefined;
        const gh = b.op1('Mul', [g, gamma]);
        if (fixed) return b.op1('Mul', [rstd, gh]);
        return b.op1('Mul', [rstd, b.op1('Sub', [b.op1('Sub', [gh, mean(gh)]), b.op1('Mul', [xh, mean(b.op1('Mul', [gh, xh]))])])]);
      },
    };
  },
};
