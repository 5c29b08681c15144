/**
 * NetSpec → ONNX. Each layer's forward and backward is written once here as ONNX ops (reverse
 * mode by hand; ONNX Runtime has no autodiff): conv → input gradient is a ConvTranspose with the
 * same weights, conv → weight gradient is a Conv of the input with the output gradient as a dilated
 * kernel, leaky-relu backward is a Where, max pooling routes the gradient through an equality mask.
 * Weights are graph inputs (runtime graphs) or initializers (exported graphs).
 */
import { inferShapes } from '../netspec/shapes';
import type { Conv2dLayer, Conv3dLayer, LayerSpec, NetSpec } from '../netspec/types';
import { GraphBuilder } from './builder';
import { convInputGradCol2im, convWeightGradIm2col } from './col2im';

// Chosen by measurement (docs/performance.md); see convLayer.
const IM2COL_WEIGHT_GRAD = false;
import { kernelToOnnx, kernelToTfjs, samePads, swap01, toFirstPerm, toLastPerm, tuple } from './layout';

export interface CompileOptions {
  /** Which gradients the graph computes; none gives a forward graph. */
  wrt: { x: boolean; params: boolean };
  /**
   * Where the upstream gradient comes from. 'input': a graph input `gy` shaped like the output.
   * 'energy': the graph outputs `energy` = sign · Σ y per example and differentiates that (gy = sign).
   * 'langevin': one whole Langevin step (see LANGEVIN_INPUTS): energy with the reference term,
   * x_next = clip(x − a·∇U + b·noise, lo, hi) and the per-example ‖∇U‖; needs wrt.x.
   */
  upstream: { kind: 'input' } | { kind: 'energy'; sign: 1 | -1 } | { kind: 'langevin'; sign: 1 | -1 };
  /** Bakes these weights in as initializers (export) instead of taking them as graph inputs. */
  weights?: Readonly<Record<string, Float32Array>>;
  /**
   * How a strided conv's input gradient is lowered: 'convTranspose', 'col2im' (MatMul +
   * overlap-add, col2im.ts) or 'auto' (default): col2im for 3-D convs with a stride > 1, where
   * onnxruntime's ConvTranspose is slow, ConvTranspose otherwise (measured: docs/performance.md).
   */
  convInputGrad?: 'auto' | 'convTranspose' | 'col2im';
  /** How a conv's weight gradient is lowered: 'conv' (batch as channels, dilated kernel), 'im2col' (strided slices + MatMul) or 'auto'. */
  convWeightGrad?: 'auto' | 'conv' | 'im2col';
}

export interface CompiledGraph {
  model: Uint8Array;
  /** Graph input name of every parameter (absent when weights are baked in). */
  paramInputs: Record<string, string>;
  /** Graph output name of every parameter gradient. */
  paramOutputs: Record<string, string>;
}

type Layout = 'last' | 'first';
interface Value {
  v: string;
  /** Logical (channels-last) shape without batch. */
  shape: number[];
  layout: Layout;
}
/** Emits the backward of one layer: output gradient → input gradient (undefined when not needed). */
type Back = (g: string, needInput: boolean) => string | undefined;

/**
 * Extra inputs of a fused Langevin step graph: `noise` shaped like x, and `coef` = [a, b, c, lo, hi]
 * with a = δ²/2, b = δ·noiseScale, c = 1/σ² (0 without a reference term) and the clamp bounds.
 */
export const LANGEVIN_INPUTS = { noise: 'noise', coef: 'coef' } as const;

export const paramInputName = (n: string) => `p:${n}`;
export const paramGradName = (n: string) => `g:${n}`;

/** Compiles a spec into one ONNX model (see CompileOptions). */
export function compileGraph(spec: NetSpec, o: CompileOptions): CompiledGraph {
  const { shapes, params } = inferShapes(spec);
  const b = new GraphBuilder(spec.name ?? 'ebm-net');
  const B = 'batch';
  const x = b.input('x', [B, ...spec.input]);
  const paramInputs: Record<string, string> = {};
  const paramOutputs: Record<string, string> = {};
  const w: Record<string, string> = {};
  for (const p of params) {
    if (o.weights) w[p.name] = b.floats(o.weights[p.name]!, p.shape, paramInputName(p.name));
    else w[p.name] = paramInputs[p.name] = b.input(paramInputName(p.name), p.shape);
  }
  const wantParams = o.wrt.params && !o.weights;
  const grads: Record<string, string> = {};
  // Backward steps in forward order; `params` marks the steps that produce parameter gradients.
  const tape: { back: Back; params: boolean }[] = [];

  let cur: Value = { v: x, shape: spec.input, layout: 'last' };
  let energyOut: string | undefined;
  const relayout = (want: Layout) => {
    if (cur.layout === want) return;
    const rank = cur.shape.length + 1;
    const perm = want === 'first' ? toFirstPerm(rank) : toLastPerm(rank);
    const inv = want === 'first' ? toLastPerm(rank) : toFirstPerm(rank);
    cur = { ...cur, v: b.op1('Transpose', [cur.v], { perm }), layout: want };
    tape.push({ back: (g) => b.op1('Transpose', [g], { perm: inv }), params: false });
  };

  spec.layers.forEach((layer, i) => {
    const out = shapes[i + 1]!;
    const conv = layer.type === 'conv2d' || layer.type === 'conv3d' || layer.type === 'conv2dTranspose' || layer.type === 'conv3dTranspose';
    relayout(conv ? 'first' : 'last');
    const xin = cur.v;
    const inShape = cur.shape;
    const p = (role: string) => w[`layers.${i}.${role}`];
    let y: string;
    let back: Back;
    switch (layer.type) {
      case 'conv2d':
      case 'conv3d':
      case 'conv2dTranspose':
      case 'conv3dTranspose':
        [y, back] = convLayer(b, layer, xin, inShape, out, p('kernel')!, p('bias'), i, wantParams, grads, o.convInputGrad ?? 'auto', o.convWeightGrad ?? 'auto');
        break;
      case 'dense':
        [y, back] = denseLayer(b, xin, inShape, layer.units, p('kernel')!, p('bias'), i, wantParams, grads);
        break;
      case 'pool': {
        const axis = layer.axis + 1;
        if (layer.op === 'max') {
          const ymax = (y = b.op1('ReduceMax', [xin], { axes: [axis], keepdims: 0 }));
          back = (g) => {
            const ax = b.ints([axis]);
            return b.op1('Mul', [b.op1('Cast', [b.op1('Equal', [xin, b.op1('Unsqueeze', [ymax, ax])])], { to: 1 }), b.op1('Unsqueeze', [g, ax])]);
          };
        } else {
          y = b.op1('ReduceMean', [xin], { axes: [axis], keepdims: 0 });
          back = (g) => b.op1('Expand', [b.op1('Mul', [b.op1('Unsqueeze', [g, b.ints([axis])]), b.scalar(1 / inShape[layer.axis]!)]), b.op1('Shape', [xin])]);
        }
        break;
      }
      case 'leakyRelu': {
        const alpha = layer.alpha ?? 0.2;
        y = b.op1('LeakyRelu', [xin], { alpha: { float: alpha } });
        // Backward constants are made in the closure: a forward-only graph must not carry unused ones.
        back = (g) => b.op1('Where', [b.op1('Greater', [xin, b.scalar(0)]), g, b.op1('Mul', [g, b.scalar(alpha)])]);
        break;
      }
      case 'relu': {
        y = b.op1('Relu', [xin]);
        back = (g) => b.op1('Where', [b.op1('Greater', [xin, b.scalar(0)]), g, b.scalar(0)]);
        break;
      }
      case 'swish': {
        const s = b.op1('Sigmoid', [xin]);
        y = b.op1('Mul', [xin, s]);
        // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
        back = (g) => b.op1('Mul', [g, b.op1('Mul', [s, b.op1('Add', [b.scalar(1), b.op1('Mul', [xin, b.op1('Sub', [b.scalar(1), s])])])])]);
        break;
      }
      case 'tanh':
        y = b.op1('Tanh', [xin]);
        back = (g) => b.op1('Mul', [g, b.op1('Sub', [b.scalar(1), b.op1('Mul', [y, y])])]);
        break;
      case 'sigmoid':
        y = b.op1('Sigmoid', [xin]);
        back = (g) => b.op1('Mul', [g, b.op1('Mul', [y, b.op1('Sub', [b.scalar(1), y])])]);
        break;
      case 'softplus':
        y = b.op1('Softplus', [xin]);
        back = (g) => b.op1('Mul', [g, b.op1('Sigmoid', [xin])]);
        break;
      case 'batchNorm':
      case 'layerNorm':
        [y, back] = normLayer(b, layer, xin, inShape.length + 1, p('gamma')!, p('beta')!, i, wantParams, grads);
        break;
      case 'reshape':
      case 'flatten': {
        y = b.op1('Reshape', [xin, b.ints(layer.type === 'flatten' ? [0, -1] : [0, ...layer.shape])]);
        back = (g) => b.op1('Reshape', [g, b.ints([0, ...inShape])]);
        break;
      }
      default:
        throw new Error(`compileGraph: layer type ${(layer as LayerSpec).type} has no ONNX lowering`);
    }
    tape.push({ back, params: p('kernel') !== undefined || p('gamma') !== undefined });
    cur = { v: y, shape: out, layout: cur.layout };
  });
  relayout('last');
  const outShape = cur.shape;
  const nonBatch = Array.from({ length: outShape.length }, (_, j) => j + 1);

  let g: string | undefined;
  if (o.upstream.kind === 'energy' || o.upstream.kind === 'langevin') {
    const e = b.op1('Mul', [b.op1('ReduceSum', [cur.v, b.ints(nonBatch)], { keepdims: 0 }), b.scalar(o.upstream.sign)]);
    if (o.upstream.kind === 'energy') {
      b.alias(e, 'energy');
      b.output('energy', [B]);
    } else energyOut = e;
    if (o.wrt.x || wantParams) g = b.op1('Expand', [b.scalar(o.upstream.sign), b.op1('Shape', [cur.v])]);
  } else {
    b.alias(cur.v, 'y');
    b.output('y', [B, ...outShape]);
    if (o.wrt.x || wantParams) g = b.input('gy', [B, ...outShape]);
  }
  if (g !== undefined) {
    // Walk the tape backwards; without ∇x, stop once no earlier step has parameters (this skips
    // e.g. the first conv's input gradient, a whole ConvTranspose, in MLE parameter graphs).
    const earlierParams = tape.map((_, k) => tape.slice(0, k).some((t) => t.params));
    for (let k = tape.length - 1; k >= 0; k--) {
      const needInput = o.wrt.x || (wantParams && earlierParams[k]!);
      g = tape[k]!.back(g!, needInput);
      if (!needInput) break;
    }
    if (o.upstream.kind === 'langevin') langevinTail(b, x, g!, energyOut!, spec.input);
    else if (o.wrt.x) {
      b.alias(g!, 'gx');
      b.output('gx', [B, ...spec.input]);
    }
    if (wantParams) {
      for (const p of params) {
        b.alias(grads[p.name]!, paramGradName(p.name));
        b.output(paramGradName(p.name), p.shape);
        paramOutputs[p.name] = paramGradName(p.name);
      }
    }
  }
  return { model: b.encode(), paramInputs, paramOutputs };
}

/** Adds the reference term and the Langevin update after the net's energy and input gradient. */
function langevinTail(b: GraphBuilder, x: string, gNet: string, eNet: string, input: number[]): void {
  const B = 'batch';
  const noise = b.input(LANGEVIN_INPUTS.noise, [B, ...input]);
  const coef = b.input(LANGEVIN_INPUTS.coef, [5]);
  const at = (k: number) => b.op1('Slice', [coef, b.ints([k]), b.ints([k + 1])]);
  const scalarAt = (k: number) => b.op1('Squeeze', [at(k), b.ints([0])]);
  const axes = b.ints(Array.from({ length: input.length }, (_, j) => j + 1));
  const c = at(2);
  // U = U_net + (c/2)·‖x‖², ∇U = ∇U_net + c·x (Xie et al. 2016, eq. 2 with c = 1/σ²).
  const energy = b.op1('Add', [eNet, b.op1('Mul', [b.op1('Mul', [b.scalar(0.5), c]), b.op1('ReduceSum', [b.op1('Mul', [x, x]), axes], { keepdims: 0 })])]);
  const grad = b.op1('Add', [gNet, b.op1('Mul', [c, x])]);
  const moved = b.op1('Add', [b.op1('Sub', [x, b.op1('Mul', [at(0), grad])]), b.op1('Mul', [at(1), noise])]);
  b.alias(b.op1('Clip', [moved, scalarAt(3), scalarAt(4)]), 'x_next');
  b.alias(energy, 'energy');
  b.alias(b.op1('Sqrt', [b.op1('ReduceSum', [b.op1('Mul', [grad, grad]), axes], { keepdims: 0 })]), 'grad_norm');
  b.output('x_next', [B, ...input]);
  b.output('energy', [B]);
  b.output('grad_norm', [B]);
}

function convLayer(
  b: GraphBuilder,
  layer: Conv2dLayer | Conv3dLayer,
  x: string,
  inShape: number[],
  outShape: number[],
  kernel: string,
  bias: string | undefined,
  i: number,
  wantParams: boolean,
  grads: Record<string, string>,
  inputGrad: 'auto' | 'convTranspose' | 'col2im',
  weightGrad: 'auto' | 'conv' | 'im2col',
): [string, Back] {
  const d = layer.type.startsWith('conv2d') ? 2 : 3;
  const transpose = layer.type.endsWith('Transpose');
  const k = tuple(layer.kernel, d, 1);
  const s = tuple(layer.stride, d, 1);
  const same = (layer.padding ?? 'same') === 'same';
  const inS = inShape.slice(0, d);
  const outS = outShape.slice(0, d);
  // The strided conv of this layer maps `big` → `small` (for a transpose conv, output → input).
  const big = transpose ? outS : inS;
  const small = transpose ? inS : outS;
  const { begin, end } = same ? samePads(big, k, s) : { begin: new Array<number>(d).fill(0), end: new Array<number>(d).fill(0) };
  const pads = [...begin, ...end];
  // ConvTranspose from `small` back to `big` needs output_padding to land on the exact size.
  const outputPadding = big.map((n, j) => n - ((small[j]! - 1) * s[j]! + k[j]! - begin[j]! - end[j]!));
  const W = b.op1('Transpose', [kernel], { perm: kernelToOnnx(d) });
  const rank = d + 2;
  const bcast = bias ? b.op1('Reshape', [bias, b.ints([1, -1, ...new Array<number>(d).fill(1)])]) : undefined;
  const convAttrs = { strides: s, pads, kernel_shape: k };
  const tconvAttrs = { strides: s, pads, kernel_shape: k, output_padding: outputPadding };
  let y = transpose ? b.op1('ConvTranspose', [x, W], tconvAttrs) : b.op1('Conv', [x, W], convAttrs);
  if (bcast) y = b.op1('Add', [y, bcast]);
  // Weight gradient as one Conv with batch as the channel axis and the other operand as a kernel
  // dilated by the stride: dW[a, c, t] = Σ_b Σ_y P[b, a, t + s·y] · Q[b, c, y], where (P, Q) =
  // (padded x, g) for a conv and (padded g, x) for a transpose conv.
  const weightGradByConv = (g: string): string => {
    const [P, Q] = transpose ? [g, x] : [x, g];
    let r = b.op1('Conv', [b.op1('Transpose', [P], { perm: swap01(rank) }), b.op1('Transpose', [Q], { perm: swap01(rank) })], { dilations: s, pads });
    const got = big.map((n, j) => n + begin[j]! + end[j]! - (small[j]! - 1) * s[j]!);
    if (got.some((n, j) => n !== k[j])) {
      r = b.op1('Slice', [r, b.ints(new Array<number>(d).fill(0)), b.ints(k), b.ints(Array.from({ length: d }, (_, j) => j + 2))]);
    }
    // r is [I, O, k...] for a conv (→ tfjs [k..., I, O]) and [O, I, k...] for a transpose conv (→ tfjs [k..., O, I]).
    return b.op1('Transpose', [r], { perm: kernelToTfjs(d) });
  };
  const im2col = !transpose && (weightGrad === 'im2col' || (weightGrad === 'auto' && IM2COL_WEIGHT_GRAD));
  const back: Back = (g, needInput) => {
    if (wantParams) {
      if (bias) grads[`layers.${i}.bias`] = b.op1('ReduceSum', [g, b.ints([0, ...Array.from({ length: d }, (_, j) => j + 2)])], { keepdims: 0 });
      grads[`layers.${i}.kernel`] = im2col
        ? convWeightGradIm2col(b, x, g, { k, s, begin, end, inS, outS, inC: inShape[d]!, outC: layer.filters })
        : weightGradByConv(g);
    }
    return needInput ? inputGradOf(g) : undefined;
  };
  const inputGradOf = (g: string): string => {
    if (transpose) return b.op1('Conv', [g, W], convAttrs);
    const col2im = inputGrad === 'col2im' || (inputGrad === 'auto' && d === 3 && s.some((v) => v > 1));
    if (col2im) return convInputGradCol2im(b, g, kernel, { k, s, begin, inS, outS, inC: inShape[d]!, outC: layer.filters });
    return b.op1('ConvTranspose', [g, W], tconvAttrs);
  };
  return [y, back];
}

function denseLayer(
  b: GraphBuilder,
  x: string,
  inShape: number[],
  units: number,
  kernel: string,
  bias: string | undefined,
  i: number,
  wantParams: boolean,
  grads: Record<string, string>,
): [string, Back] {
  const c = inShape[inShape.length - 1]!;
  let y = b.op1('MatMul', [x, kernel]);
  if (bias) y = b.op1('Add', [y, bias]);
  const back: Back = (g, needInput) => {
    if (wantParams) {
      const flat = inShape.length > 1;
      const x2 = flat ? b.op1('Reshape', [x, b.ints([-1, c])]) : x;
      const g2 = flat ? b.op1('Reshape', [g, b.ints([-1, units])]) : g;
      grads[`layers.${i}.kernel`] = b.op1('MatMul', [b.op1('Transpose', [x2], { perm: [1, 0] }), g2]);
      if (bias) grads[`layers.${i}.bias`] = b.op1('ReduceSum', [g2, b.ints([0])], { keepdims: 0 });
    }
    return needInput ? b.op1('MatMul', [g, b.op1('Transpose', [kernel], { perm: [1, 0] })]) : undefined;
  };
  return [y, back];
}

function normLayer(
  b: GraphBuilder,
  layer: LayerSpec & { type: 'batchNorm' | 'layerNorm' },
  x: string,
  rank: number,
  gamma: string,
  beta: string,
  i: number,
  wantParams: boolean,
  grads: Record<string, string>,
): [string, Back] {
  const axes =
    layer.type === 'batchNorm'
      ? [0, ...(layer.axes ?? Array.from({ length: rank - 2 }, (_, j) => j)).map((a) => a + 1)]
      : (layer.axes ?? Array.from({ length: rank - 1 }, (_, j) => j)).map((a) => a + 1);
  const mean = (t: string) => b.op1('ReduceMean', [t], { axes, keepdims: 1 });
  const xc = b.op1('Sub', [x, mean(x)]);
  const rstd = b.op1('Reciprocal', [b.op1('Sqrt', [b.op1('Add', [mean(b.op1('Mul', [xc, xc])), b.scalar(layer.epsilon ?? 1e-5)])])]);
  const xh = b.op1('Mul', [xc, rstd]);
  const y = b.op1('Add', [b.op1('Mul', [xh, gamma]), beta]);
  const back: Back = (g, needInput) => {
    if (wantParams) {
      const allButLast = b.ints(Array.from({ length: rank - 1 }, (_, j) => j));
      grads[`layers.${i}.gamma`] = b.op1('ReduceSum', [b.op1('Mul', [g, xh]), allButLast], { keepdims: 0 });
      grads[`layers.${i}.beta`] = b.op1('ReduceSum', [g, allButLast], { keepdims: 0 });
    }
    if (!needInput) return undefined;
    // dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)), ĝ = g · γ, means over the normalised axes.
    const gh = b.op1('Mul', [g, gamma]);
    return b.op1('Mul', [rstd, b.op1('Sub', [b.op1('Sub', [gh, mean(gh)]), b.op1('Mul', [xh, mean(b.op1('Mul', [gh, xh]))])])]);
  };
  return [y, back];
}
