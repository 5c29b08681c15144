/**
 * NetSpec → ONNX by walking the layer registry: each layer module emits its forward ops and a
 * closure that emits its backward (reverse mode by hand; ONNX Runtime has no autodiff). The walker
 * keeps a tape of those closures, inserts layout transposes where a module wants channels first,
 * and runs the tape backwards for the gradients that were asked for. Weights are graph inputs
 * (runtime graphs) or initializers (exported graphs).
 */
import { layerModule, type Back, type ConvInputGradLowering, type LowerContext, type LowerOptions, type OnnxValue } from '../netspec/registry';
import { inferShapes } from '../netspec/shapes';
import type { LayerSpec, NetSpec } from '../netspec/types';
import { GraphBuilder } from './builder';
import { toFirstPerm, toLastPerm } from './layout';

export interface CompileOptions {
  /**
   * Which gradients the graph computes; none gives a forward graph. `inputs` names extra inputs of
   * the net whose gradients are wanted too (default none).
   */
  wrt: { x: boolean; params: boolean; inputs?: string[] };
  /**
   * Where the upstream gradient comes from. 'input': a graph input `gy` shaped like the output.
   * 'energy': the graph outputs `energy` = sign · Σ y per example and differentiates that (gy = sign).
   * 'langevin': one whole Langevin step (see LANGEVIN_INPUTS): energy with the reference term,
   * x_next = clip(x − a·∇U + b·noise, lo, hi) and the per-example ‖∇U‖; needs wrt.x.
   */
  upstream: { kind: 'input' } | { kind: 'energy'; sign: 1 | -1 } | { kind: 'langevin'; sign: 1 | -1 };
  /** Bakes these weights (and state) in as initializers (export) instead of taking them as graph inputs. */
  weights?: Readonly<Record<string, Float32Array>>;
  /** 'train' (default): batch norms use batch statistics; 'eval': their running statistics. */
  mode?: 'train' | 'eval';
  /** In train mode, output each batch norm's batch statistics as `st:<state name>`. */
  stats?: boolean;
  /**
   * How a conv's input gradient (and a transpose conv's forward) is lowered: 'convTranspose',
   * 'col2im' (MatMul + overlap-add, col2im.ts), 'depthFold' (3-D only: a 2-D ConvTranspose over
   * depth-folded channels, depth-fold.ts) or 'auto' (default): depthFold for 3-D, where
   * onnxruntime's 3-D ConvTranspose runs a single-threaded col2im, ConvTranspose for 2-D
   * (measured: docs/performance.md).
   */
  convInputGrad?: ConvInputGradLowering;
  /** How a conv's weight gradient is lowered: 'conv' (batch as channels, dilated kernel), 'im2col' (a one-hot grouped Conv + one MatMul) or 'auto' (im2col for small kernels over many channels). */
  convWeightGrad?: 'auto' | 'conv' | 'im2col';
  /**
   * Parameters a layer reads with permuted axes (conv kernels: tfjs [k…, I, O] → ONNX [O, I, k…]).
   * 'graph' (default): a Transpose node permutes them on every call. 'input': each permuted
   * parameter is a graph input of its own (`CompiledGraph.relayoutInputs`) that the caller feeds,
   * so a session does not re-permute unchanged weights every Langevin step (onnxruntime moves the
   * innermost axis element by element: 11 of ~120 ms of the video net's step).
   */
  paramRelayout?: 'graph' | 'input';
}

export interface CompiledGraph {
  model: Uint8Array;
  /** Graph input name of every parameter (absent when weights are baked in). */
  paramInputs: Record<string, string>;
  /** Graph output name of every parameter gradient. */
  paramOutputs: Record<string, string>;
  /** Graph input name of every state tensor the graph reads (eval-mode batch norms). */
  stateInputs: Record<string, string>;
  /** Graph output name of every batch statistic (train mode with `stats`). */
  statOutputs: Record<string, string>;
  /** With `paramRelayout: 'input'`: graph inputs holding a parameter with its axes permuted (`perm`, as ONNX Transpose). */
  relayoutInputs: Record<string, { param: string; perm: number[] }>;
}

/**
 * Extra inputs of a fused Langevin step graph: `noise` shaped like x, and `coef` = [a, b, c, lo, hi]
 * with a = δ²/2, b = δ·noiseScale, c = 1/σ² (0 without a reference term) and the clamp bounds.
 */
export const LANGEVIN_INPUTS = { noise: 'noise', coef: 'coef' } as const;

export const paramInputName = (n: string) => `p:${n}`;
export const paramGradName = (n: string) => `g:${n}`;
export const stateInputName = (n: string) => `s:${n}`;
export const statOutputName = (n: string) => `st:${n}`;
export const extraInputName = (n: string) => `in:${n}`;
export const extraGradName = (n: string) => `gin:${n}`;
export const relayoutInputName = (n: string) => `pt:${n}`;

interface Step {
  back: Back;
  /** Whether running this step's backward produces a wanted gradient (parameters, extra inputs). */
  needed: boolean;
}

/** Compiles a spec into one ONNX model (see CompileOptions). */
export function compileGraph(spec: NetSpec, o: CompileOptions): CompiledGraph {
  const { params, state, inputs, layers: shapesByPath } = inferShapes(spec);
  const b = new GraphBuilder(spec.name ?? 'ebm-net');
  const B = 'batch';
  const mode = o.mode ?? 'train';
  const x = b.input('x', [B, ...spec.input]);
  const out: CompiledGraph = { model: new Uint8Array(), paramInputs: {}, paramOutputs: {}, stateInputs: {}, statOutputs: {}, relayoutInputs: {} };
  const w: Record<string, string> = {};
  for (const p of params) {
    if (o.weights) w[p.name] = b.floats(o.weights[p.name]!, p.shape, paramInputName(p.name));
    else w[p.name] = out.paramInputs[p.name] = b.input(paramInputName(p.name), p.shape);
  }
  const stateShape = Object.fromEntries(state.map((s) => [s.name, s.shape]));
  const stateValue = (name: string): string => {
    if (!(name in stateShape)) throw new Error(`compileGraph: ${name} is not a state tensor of the net`);
    if (o.weights) return (w[name] ??= b.floats(o.weights[name]!, stateShape[name]!, stateInputName(name)));
    return (w[name] ??= out.stateInputs[name] = b.input(stateInputName(name), stateShape[name]!));
  };
  const extras: Record<string, string> = {};
  for (const [n, s] of Object.entries(inputs)) extras[n] = b.input(extraInputName(n), [B, ...s]);
  const wantInputs = new Set(o.wrt.inputs ?? []);
  for (const n of wantInputs) if (!(n in inputs)) throw new Error(`compileGraph: the net has no extra input "${n}"`);
  const wantParams = o.wrt.params && !o.weights;
  const grads: Record<string, string> = {};
  const inputGrads: Record<string, string> = {};
  const options: LowerOptions = { convInputGrad: o.convInputGrad ?? 'auto', convWeightGrad: o.convWeightGrad ?? 'auto' };
  // Counts reads of extra inputs whose gradient is wanted, so the tape knows which steps must run.
  let wantedInputReads = 0;

  const relayout = (cur: OnnxValue, want: 'first' | 'last', tape: Step[]): OnnxValue => {
    if (cur.layout === want) return cur;
    const rank = cur.shape.length + 1;
    const perm = want === 'first' ? toFirstPerm(rank) : toLastPerm(rank);
    const inv = want === 'first' ? toLastPerm(rank) : toFirstPerm(rank);
    tape.push({ back: (g) => b.op1('Transpose', [g], { perm: inv }), needed: false });
    return { ...cur, v: b.op1('Transpose', [cur.v], { perm }), layout: want };
  };

  /** Runs a tape backwards; without the input gradient, stops once no earlier step is needed. */
  const walkBack = (tape: Step[], g: string, needInput: boolean): string | undefined => {
    const earlier = tape.map((_, k) => tape.slice(0, k).some((t) => t.needed));
    let cur: string | undefined = g;
    for (let k = tape.length - 1; k >= 0; k--) {
      const need = needInput || earlier[k]!;
      cur = tape[k]!.back(cur!, need);
      if (!need) return undefined;
    }
    return cur;
  };

  const lowerList = (layers: LayerSpec[], start: OnnxValue, prefix: string): { y: OnnxValue; tape: Step[] } => {
    const tape: Step[] = [];
    let cur = start;
    layers.forEach((layer, j) => {
      const path = `${prefix}.${j}`;
      const module = layerModule(layer.type);
      if (!module) throw new Error(`compileGraph: layer type ${layer.type} is not registered`);
      cur = relayout(cur, module.layout === 'any' ? cur.layout : module.layout, tape);
      const reads = wantedInputReads;
      const ctx: LowerContext = {
        b,
        path,
        inShape: shapesByPath[path]!.in,
        outShape: shapesByPath[path]!.out,
        layout: cur.layout,
        inputs,
        mode,
        wantParams,
        options,
        param: (role) => w[`${path}.${role}`],
        paramPermuted: (role, perm) => {
          const name = `${path}.${role}`;
          if (!(name in w)) return undefined;
          if (o.paramRelayout !== 'input' || o.weights) return b.op1('Transpose', [w[name]!], { perm });
          // One graph input per (parameter, permutation): a layer may read a kernel in two layouts.
          const entries = Object.entries(out.relayoutInputs).filter(([, r]) => r.param === name);
          const known = entries.find(([, r]) => r.perm.join() === perm.join());
          const input = known?.[0] ?? (entries.length === 0 ? relayoutInputName(name) : `${relayoutInputName(name)}:${perm.join('')}`);
          if (!known) {
            const shape = params.find((p) => p.name === name)!.shape;
            b.input(input, perm.map((k) => shape[k]!));
            out.relayoutInputs[input] = { param: name, perm };
          }
          return input;
        },
        state: (role) => stateValue(`${path}.${role}`),
        input: (name) => {
          if (wantInputs.has(name)) wantedInputReads++;
          return extras[name]!;
        },
        setGrad: (role, v) => void (grads[`${path}.${role}`] = v),
        addInputGrad: (name, v) => void (inputGrads[name] = inputGrads[name] ? b.op1('Add', [inputGrads[name]!, v]) : v),
        wantsInputGrad: (name) => wantInputs.has(name),
        stat: (role, v) => {
          if (!o.stats || mode !== 'train') return;
          const name = `${path}.${role}`;
          b.alias(v, statOutputName(name));
          b.output(statOutputName(name), stateShape[name]!);
          out.statOutputs[name] = statOutputName(name);
        },
        sub: (sub, x0, p) => {
          const r = lowerList(sub, x0, p);
          const y = relayout(r.y, x0.layout, r.tape);
          return { y, back: (g, needInput) => walkBack(r.tape, g, needInput), hasParams: r.tape.some((t) => t.needed) };
        },
      };
      const { y, back } = module.lower(layer, cur.v, ctx);
      const needed = (wantParams && params.some((p) => p.name.startsWith(`${path}.`))) || wantedInputReads > reads;
      tape.push({ back, needed });
      cur = { v: y, shape: ctx.outShape, layout: cur.layout };
    });
    return { y: cur, tape };
  };

  const top = lowerList(spec.layers, { v: x, shape: spec.input, layout: 'last' }, 'layers');
  const tape = top.tape;
  const result = relayout(top.y, 'last', tape);
  const outShape = result.shape;
  const nonBatch = Array.from({ length: outShape.length }, (_, j) => j + 1);

  let g: string | undefined;
  let energyOut: string | undefined;
  const wantGrad = o.wrt.x || wantParams || wantInputs.size > 0;
  if (o.upstream.kind === 'energy' || o.upstream.kind === 'langevin') {
    const e = b.op1('Mul', [b.op1('ReduceSum', [result.v, b.ints(nonBatch)], { keepdims: 0 }), b.scalar(o.upstream.sign)]);
    if (o.upstream.kind === 'energy') {
      b.alias(e, 'energy');
      b.output('energy', [B]);
    } else energyOut = e;
    if (wantGrad) g = b.op1('Expand', [b.scalar(o.upstream.sign), b.op1('Shape', [result.v])]);
  } else {
    b.alias(result.v, 'y');
    b.output('y', [B, ...outShape]);
    if (wantGrad) g = b.input('gy', [B, ...outShape]);
  }
  if (g !== undefined) {
    const gx = walkBack(tape, g, o.wrt.x);
    if (o.upstream.kind === 'langevin') langevinTail(b, x, gx!, energyOut!, spec.input);
    else if (o.wrt.x) {
      b.alias(gx!, 'gx');
      b.output('gx', [B, ...spec.input]);
    }
    if (wantParams) {
      for (const p of params) {
        b.alias(grads[p.name]!, paramGradName(p.name));
        b.output(paramGradName(p.name), p.shape);
        out.paramOutputs[p.name] = paramGradName(p.name);
      }
    }
    for (const n of wantInputs) {
      // An extra input no layer reads has a zero gradient.
      b.alias(inputGrads[n] ?? b.op1('Mul', [extras[n]!, b.scalar(0)]), extraGradName(n));
      b.output(extraGradName(n), [B, ...inputs[n]!]);
    }
  }
  out.model = b.encode();
  return out;
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
