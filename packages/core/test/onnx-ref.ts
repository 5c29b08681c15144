/**
 * A float64 reference interpreter for the ONNX graphs that compileGraph emits (test only).
 * onnxruntime has no float64 Conv, ConvTranspose or AveragePool, so the hand-written backward of
 * every layer is checked here against central finite differences in float64 arithmetic; the
 * interpreter itself is checked against onnxruntime in float32 on the same graphs.
 * Plain loops over flat arrays: for tiny shapes only.
 */
import onnxProto from 'onnx-proto';

const onnx = onnxProto.onnx;

export interface T {
  shape: number[];
  data: Float64Array;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: number[]) => {
  const st = new Array<number>(s.length).fill(1);
  for (let i = s.length - 2; i >= 0; i--) st[i] = st[i + 1]! * s[i + 1]!;
  return st;
};
const t = (shape: number[], data?: ArrayLike<number>): T => ({ shape, data: data ? Float64Array.from(data) : new Float64Array(size(shape)) });
const ints = (x: T) => Array.from(x.data, (v) => Math.round(v));

/** Index tuple of a flat index. */
function unravel(i: number, shape: number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let j = shape.length - 1; j >= 0; j--) {
    out[j] = i % shape[j]!;
    i = Math.floor(i / shape[j]!);
  }
  return out;
}

function broadcast(a: T, b: T, f: (x: number, y: number) => number): T {
  const r = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array<number>(r - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array<number>(r - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((n, j) => Math.max(n, pb[j]!));
  const sa = strides(pa);
  const sb = strides(pb);
  const out = t(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape);
    let ia = 0;
    let ib = 0;
    idx.forEach((v, j) => {
      ia += (pa[j] === 1 ? 0 : v) * sa[j]!;
      ib += (pb[j] === 1 ? 0 : v) * sb[j]!;
    });
    out.data[i] = f(a.data[ia]!, b.data[ib]!);
  }
  return out;
}

const map = (a: T, f: (x: number) => number): T => ({ shape: a.shape.slice(), data: a.data.map(f) });

function reduce(x: T, axes: number[] | undefined, keep: boolean, f: 'sum' | 'mean' | 'max'): T {
  const r = x.shape.length;
  const ax = (axes && axes.length ? axes : x.shape.map((_, j) => j)).map((a) => (a < 0 ? a + r : a));
  const kshape = x.shape.map((n, j) => (ax.includes(j) ? 1 : n));
  const out = t(kshape).data.fill(f === 'max' ? -Infinity : 0);
  const ks = strides(kshape);
  for (let i = 0; i < x.data.length; i++) {
    const o = unravel(i, x.shape).reduce((s, v, j) => s + (ax.includes(j) ? 0 : v) * ks[j]!, 0);
    out[o] = f === 'max' ? Math.max(out[o]!, x.data[i]!) : out[o]! + x.data[i]!;
  }
  if (f === 'mean') {
    const n = size(ax.map((a) => x.shape[a]!));
    out.forEach((v, i) => (out[i] = v / n));
  }
  return { shape: keep ? kshape : x.shape.filter((_, j) => !ax.includes(j)), data: out };
}

function transpose(x: T, perm: number[]): T {
  const shape = perm.map((p) => x.shape[p]!);
  const xs = strides(x.shape);
  const out = t(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[unravel(i, shape).reduce((s, v, j) => s + v * xs[perm[j]!]!, 0)]!;
  return out;
}

function matmul(a: T, b: T): T {
  const A = a.shape.length === 1 ? { shape: [1, a.shape[0]!], data: a.data } : a;
  const Bm = b.shape.length === 1 ? { shape: [b.shape[0]!, 1], data: b.data } : b;
  const m = A.shape[A.shape.length - 2]!;
  const k = A.shape[A.shape.length - 1]!;
  const n = Bm.shape[Bm.shape.length - 1]!;
  const ba = A.shape.slice(0, -2);
  const bb = Bm.shape.slice(0, -2);
  const r = Math.max(ba.length, bb.length);
  const pa = [...new Array<number>(r - ba.length).fill(1), ...ba];
  const pb = [...new Array<number>(r - bb.length).fill(1), ...bb];
  const batch = pa.map((v, j) => Math.max(v, pb[j]!));
  const out = t([...batch, m, n]);
  for (let bi = 0; bi < size(batch); bi++) {
    const idx = unravel(bi, batch);
    const oa = idx.reduce((s, v, j) => s * pa[j]! + (pa[j] === 1 ? 0 : v), 0) * m * k;
    const ob = idx.reduce((s, v, j) => s * pb[j]! + (pb[j] === 1 ? 0 : v), 0) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A.data[oa + i * k + q]! * Bm.data[ob + q * n + j]!;
        out.data[bi * m * n + i * n + j] = s;
      }
  }
  return out;
}

interface ConvAttrs {
  strides?: number[];
  pads?: number[];
  dilations?: number[];
  group?: number;
  output_padding?: number[];
}

/** Conv (transposed = false) or ConvTranspose on [N, C, S...] with weight [O, C/g, K...] / [C, O/g, K...] and optional bias [O]. */
function conv(x: T, w: T, a: ConvAttrs, transposed: boolean, bias?: T): T {
  const d = x.shape.length - 2;
  const [N, C] = x.shape as [number, number];
  const K = w.shape.slice(2);
  const s = a.strides ?? new Array<number>(d).fill(1);
  const dil = a.dilations ?? new Array<number>(d).fill(1);
  const pads = a.pads ?? new Array<number>(2 * d).fill(0);
  const g = a.group ?? 1;
  const S = x.shape.slice(2);
  const O = transposed ? w.shape[1]! * g : w.shape[0]!;
  const outS = transposed
    ? S.map((n, j) => (n - 1) * s[j]! + (K[j]! - 1) * dil[j]! + 1 - pads[j]! - pads[j + d]! + (a.output_padding?.[j] ?? 0))
    : S.map((n, j) => Math.floor((n + pads[j]! + pads[j + d]! - (K[j]! - 1) * dil[j]! - 1) / s[j]!) + 1);
  const out = t([N, O, ...outS]);
  const cg = C / g;
  const og = O / g;
  const nS = size(S);
  const nO = size(outS);
  const nK = size(K);
  for (let n = 0; n < N; n++)
    for (let gi = 0; gi < g; gi++)
      for (let ci = 0; ci < cg; ci++)
        for (let oi = 0; oi < og; oi++)
          for (let kk = 0; kk < nK; kk++) {
            const kidx = unravel(kk, K);
            const wv = transposed ? w.data[((gi * cg + ci) * og + oi) * nK + kk]! : w.data[((gi * og + oi) * cg + ci) * nK + kk]!;
            const c = gi * cg + ci;
            const o = gi * og + oi;
            // Conv: y[o, p] += w · x[c, p·s + k·dil − pad]; ConvTranspose: y[o, q·s + k·dil − pad] += w · x[c, q].
            const [outer, outerShape] = transposed ? [nS, S] : [nO, outS];
            for (let p = 0; p < outer; p++) {
              const pi = unravel(p, outerShape);
              const qi = pi.map((v, j) => v * s[j]! + kidx[j]! * dil[j]! - pads[j]!);
              const target = transposed ? outS : S;
              if (qi.some((v, j) => v < 0 || v >= target[j]!)) continue;
              const q = qi.reduce((acc, v, j) => acc * target[j]! + v, 0);
              if (transposed) out.data[(n * O + o) * nO + q]! += wv * x.data[(n * C + c) * nS + p]!;
              else out.data[(n * O + o) * nO + p]! += wv * x.data[(n * C + c) * nS + q]!;
            }
          }
  if (bias) for (let i = 0; i < out.data.length; i++) out.data[i]! += bias.data[Math.floor(i / nO) % O]!;
  return out;
}

function pool(x: T, a: { kernel_shape: number[]; strides?: number[]; pads?: number[] }, op: 'max' | 'avg'): [T, T] {
  const d = x.shape.length - 2;
  const [N, C] = x.shape as [number, number];
  const S = x.shape.slice(2);
  const k = a.kernel_shape;
  const s = a.strides ?? new Array<number>(d).fill(1);
  const pads = a.pads ?? new Array<number>(2 * d).fill(0);
  const outS = S.map((n, j) => Math.floor((n + pads[j]! + pads[j + d]! - k[j]!) / s[j]!) + 1);
  const y = t([N, C, ...outS]);
  const idx = t([N, C, ...outS]);
  const nS = size(S);
  for (let nc = 0; nc < N * C; nc++)
    for (let p = 0; p < size(outS); p++) {
      const pi = unravel(p, outS);
      let best = -Infinity;
      let arg = -1;
      let sum = 0;
      let count = 0;
      for (let kk = 0; kk < size(k); kk++) {
        const qi = unravel(kk, k).map((v, j) => pi[j]! * s[j]! + v - pads[j]!);
        if (qi.some((v, j) => v < 0 || v >= S[j]!)) continue;
        const q = qi.reduce((acc, v, j) => acc * S[j]! + v, 0);
        const v = x.data[nc * nS + q]!;
        if (v > best) [best, arg] = [v, nc * nS + q];
        sum += v;
        count++;
      }
      y.data[nc * size(outS) + p] = op === 'max' ? best : sum / count;
      idx.data[nc * size(outS) + p] = arg;
    }
  return [y, idx];
}

function slice(x: T, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): T {
  const r = x.shape.length;
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + r : a));
  const sel = x.shape.map((n) => ({ start: 0, step: 1, count: n }));
  ax.forEach((a, i) => {
    const n = x.shape[a]!;
    const step = steps?.[i] ?? 1;
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    let st = starts[i]! < 0 ? starts[i]! + n : starts[i]!;
    let en = ends[i]! < 0 ? ends[i]! + n : ends[i]!;
    if (step > 0) {
      st = clamp(st, 0, n);
      en = clamp(en, 0, n);
      sel[a] = { start: st, step, count: Math.max(0, Math.ceil((en - st) / step)) };
    } else {
      st = clamp(st, -1, n - 1);
      en = clamp(en, -1, n - 1);
      sel[a] = { start: st, step, count: Math.max(0, Math.ceil((en - st) / step)) };
    }
  });
  const shape = sel.map((v) => v.count);
  const xs = strides(x.shape);
  const out = t(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[unravel(i, shape).reduce((s, v, j) => s + (sel[j]!.start + v * sel[j]!.step) * xs[j]!, 0)]!;
  return out;
}

function pad(x: T, pads: number[], mode: string, value: number): T {
  const r = x.shape.length;
  const shape = x.shape.map((n, j) => n + pads[j]! + pads[j + r]!);
  const xs = strides(x.shape);
  const out = t(shape);
  for (let i = 0; i < out.data.length; i++) {
    const idx = unravel(i, shape).map((v, j) => v - pads[j]!);
    if (mode === 'reflect') {
      const src = idx.map((v, j) => (v < 0 ? -v : v >= x.shape[j]! ? 2 * (x.shape[j]! - 1) - v : v));
      out.data[i] = x.data[src.reduce((s, v, j) => s + v * xs[j]!, 0)]!;
    } else out.data[i] = idx.some((v, j) => v < 0 || v >= x.shape[j]!) ? value : x.data[idx.reduce((s, v, j) => s + v * xs[j]!, 0)]!;
  }
  return out;
}

function reshape(x: T, spec: number[]): T {
  const shape = spec.map((v, j) => (v === 0 ? x.shape[j]! : v));
  const k = shape.indexOf(-1);
  if (k >= 0) shape[k] = x.data.length / size(shape.filter((_, j) => j !== k));
  return { shape, data: x.data };
}

type Attr = onnxProto.onnx.IAttributeProto;
function attrs(list: Attr[] | null | undefined): Record<string, number | number[] | string> {
  const out: Record<string, number | number[] | string> = {};
  const T = onnx.AttributeProto.AttributeType;
  for (const a of list ?? []) {
    if (a.type === T.INT) out[a.name!] = Number(a.i);
    else if (a.type === T.INTS) out[a.name!] = (a.ints ?? []).map(Number);
    else if (a.type === T.FLOAT) out[a.name!] = a.f!;
    else if (a.type === T.STRING) out[a.name!] = new TextDecoder().decode(a.s!);
  }
  return out;
}

/** Evaluates a model in float64. `feeds` by graph input name; returns every graph output. */
export function runReference(model: Uint8Array, feeds: Record<string, T>): Record<string, T> {
  const m = onnx.ModelProto.decode(model);
  const env = new Map<string, T>(Object.entries(feeds));
  for (const init of m.graph!.initializer ?? []) {
    const raw = init.rawData!;
    const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    const dims = (init.dims ?? []).map(Number);
    const data = init.dataType === onnx.TensorProto.DataType.INT64 ? Array.from(new BigInt64Array(buf), Number) : Array.from(new Float32Array(buf));
    env.set(init.name!, t(dims, data));
  }
  const get = (n: string) => {
    const v = env.get(n);
    if (!v) throw new Error(`reference: value ${n} is missing`);
    return v;
  };
  for (const node of m.graph!.node ?? []) {
    const ins = (node.input ?? []).map((n) => (n === '' ? undefined : get(n)));
    const x = ins[0]!;
    const a = attrs(node.attribute);
    let outs: T[];
    switch (node.opType) {
      case 'Identity': outs = [x]; break;
      case 'Add': outs = [broadcast(x, ins[1]!, (p, q) => p + q)]; break;
      case 'Sum': outs = [ins.slice(1).reduce((a: typeof x, t) => broadcast(a, t!, (p, q) => p + q), x)]; break;
      case 'Sub': outs = [broadcast(x, ins[1]!, (p, q) => p - q)]; break;
      case 'Mul': outs = [broadcast(x, ins[1]!, (p, q) => p * q)]; break;
      case 'Div': outs = [broadcast(x, ins[1]!, (p, q) => p / q)]; break;
      case 'Greater': outs = [broadcast(x, ins[1]!, (p, q) => (p > q ? 1 : 0))]; break;
      case 'Equal': outs = [broadcast(x, ins[1]!, (p, q) => (p === q ? 1 : 0))]; break;
      case 'Where': {
        // Broadcast the three operands together: shape of (cond + p + q), then pick per cell.
        const shape = broadcast(broadcast(x, ins[1]!, () => 0), ins[2]!, () => 0);
        const pick = (v: T) => broadcast(v, shape, (p) => p).data;
        const [c, p, q] = [pick(x), pick(ins[1]!), pick(ins[2]!)];
        outs = [{ shape: shape.shape, data: c.map((v, i) => (v ? p[i]! : q[i]!)) }];
        break;
      }
      case 'Cast': outs = [x]; break;
      case 'Relu': outs = [map(x, (v) => Math.max(v, 0))]; break;
      case 'LeakyRelu': outs = [map(x, (v) => (v > 0 ? v : (a.alpha as number) * v))]; break;
      case 'Sigmoid': outs = [map(x, (v) => 1 / (1 + Math.exp(-v)))]; break;
      case 'Tanh': outs = [map(x, Math.tanh)]; break;
      case 'Softplus': outs = [map(x, (v) => Math.log1p(Math.exp(v)))]; break;
      case 'Sqrt': outs = [map(x, Math.sqrt)]; break;
      case 'Reciprocal': outs = [map(x, (v) => 1 / v)]; break;
      case 'Clip': outs = [map(x, (v) => Math.min(Math.max(v, ins[1]!.data[0]!), ins[2]!.data[0]!))]; break;
      case 'MatMul': outs = [matmul(x, ins[1]!)]; break;
      case 'Transpose': outs = [transpose(x, a.perm as number[])]; break;
      case 'DepthToSpace': {
        // The ONNX definition: DCR reshapes [N, b, b, C/b², H, W] and transposes (0, 3, 4, 1, 5, 2);
        // CRD reshapes [N, C/b², b, b, H, W] and transposes (0, 1, 4, 2, 5, 3); both then reshape.
        const bs = a.blocksize as number;
        const [n, c, h, w] = x.shape as [number, number, number, number];
        const crd = a.mode === 'CRD';
        const tmp = crd ? transpose(reshape(x, [n, c / (bs * bs), bs, bs, h, w]), [0, 1, 4, 2, 5, 3]) : transpose(reshape(x, [n, bs, bs, c / (bs * bs), h, w]), [0, 3, 4, 1, 5, 2]);
        outs = [reshape(tmp, [n, c / (bs * bs), h * bs, w * bs])];
        break;
      }
      case 'Reshape': outs = [reshape(x, ints(ins[1]!))]; break;
      case 'Shape': outs = [t([x.shape.length], x.shape)]; break;
      case 'Size': outs = [t([], [x.data.length])]; break;
      case 'ConstantOfShape': outs = [t(ints(x))]; break;
      case 'Expand': {
        const target = ints(ins[1]!);
        outs = [broadcast(x, t(target), (p) => p)];
        break;
      }
      case 'Unsqueeze': {
        const r = x.shape.length + ints(ins[1]!).length;
        const axes = ints(ins[1]!).map((v) => (v < 0 ? v + r : v)).sort((p, q) => p - q);
        const shape = x.shape.slice();
        for (const ax of axes) shape.splice(ax, 0, 1);
        outs = [{ shape, data: x.data }];
        break;
      }
      case 'Squeeze': {
        const axes = ints(ins[1]!).map((v) => (v < 0 ? v + x.shape.length : v));
        outs = [{ shape: x.shape.filter((_, j) => !axes.includes(j)), data: x.data }];
        break;
      }
      case 'ReduceSum': outs = [reduce(x, ins[1] ? ints(ins[1]) : undefined, a.keepdims !== 0, 'sum')]; break;
      case 'ReduceMean': outs = [reduce(x, a.axes as number[], a.keepdims !== 0, 'mean')]; break;
      case 'ReduceMax': outs = [reduce(x, a.axes as number[], a.keepdims !== 0, 'max')]; break;
      case 'Slice': outs = [slice(x, ints(ins[1]!), ints(ins[2]!), ins[3] ? ints(ins[3]) : undefined, ins[4] ? ints(ins[4]) : undefined)]; break;
      case 'Split': {
        // Equal parts, one per output (no `split` input), as slices along the axis.
        const r = x.shape.length;
        const axis = (((a.axis as number) ?? 0) + r) % r;
        const n = node.output!.length;
        const len = x.shape[axis]! / n;
        if (ins[1] || !Number.isInteger(len)) throw new Error('reference: Split supports equal parts only');
        outs = Array.from({ length: n }, (_, k) => slice(x, [k * len], [(k + 1) * len], [axis], undefined));
        break;
      }
      case 'Concat': {
        const r = x.shape.length;
        const axis = ((a.axis as number) + r) % r;
        const parts = ins as T[];
        const shape = x.shape.slice();
        shape[axis] = parts.reduce((s, p) => s + p.shape[axis]!, 0);
        const out = t(shape);
        let off = 0;
        for (const p of parts) {
          for (let i = 0; i < p.data.length; i++) {
            const idx = unravel(i, p.shape);
            idx[axis]! += off;
            out.data[idx.reduce((s, v, j) => s * shape[j]! + v, 0)] = p.data[i]!;
          }
          off += p.shape[axis]!;
        }
        outs = [out];
        break;
      }
      case 'Pad': outs = [pad(x, ints(ins[1]!), (a.mode as string) ?? 'constant', ins[2]?.data[0] ?? 0)]; break;
      case 'Conv': outs = [conv(x, ins[1]!, a as ConvAttrs, false, ins[2])]; break;
      case 'ConvTranspose': outs = [conv(x, ins[1]!, a as ConvAttrs, true, ins[2])]; break;
      case 'MaxPool': outs = pool(x, a as { kernel_shape: number[] }, 'max'); break;
      case 'AveragePool': outs = pool(x, a as { kernel_shape: number[] }, 'avg'); break;
      case 'ScatterElements': {
        const out = { shape: x.shape.slice(), data: x.data.slice() };
        ins[1]!.data.forEach((k, i) => (out.data[k]! += ins[2]!.data[i]!));
        outs = [out];
        break;
      }
      default:
        throw new Error(`reference: the interpreter has no rule for op ${node.opType}; add one beside the others`);
    }
    (node.output ?? []).forEach((n, i) => outs[i] && env.set(n, outs[i]!));
  }
  return Object.fromEntries((m.graph!.output ?? []).map((o) => [o.name!, get(o.name!)]));
}
