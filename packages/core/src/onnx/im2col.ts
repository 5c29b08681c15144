/**
 * Weight gradient of a convolution as im2col + one GEMM, an alternative to the dilated Conv
 * (conv.ts) that measured 0.4–0.8× its time on layers with many input channels and small
 * kernels (docs/performance.md, "Weight gradients").
 *
 * For y = conv(x, W) with stride s and leading pad pb,
 *   dW[t, i, o] = Σ_b Σ_m xpad[b, i, m·s + t] · g[b, o, m]   over taps t and output cells m.
 * 1. The columns xpad[b, i, m·s + t] for every (i, t) are one grouped Conv of x (group = I) with a
 *    constant one-hot kernel: output channel (i, t) copies tap t of input channel i. onnxruntime
 *    runs it multithreaded, in one op; K strided Slices and a Concat (the form tried before) wrote
 *    the same columns several times over.
 * 2. One MatMul over (b, m): [I·K, B·M] × [B·M, O]. The dilated Conv instead runs I GEMMs of only
 *    K columns each, which is where onnxruntime's GEMM is least efficient.
 * The input channels are taken in chunks (one grouped Conv and one MatMul each) to bound the
 * columns' memory. A transpose conv's weight gradient is the same with the roles swapped: the
 * columns are taken from its (padded) output gradient and multiplied with its input.
 */
import type { GraphBuilder } from './builder';

export interface Im2colShape {
  /** Kernel, stride and leading/trailing pads per spatial axis. */
  k: number[];
  s: number[];
  begin: number[];
  end: number[];
  /** Spatial sizes of y (M). */
  outS: number[];
  inC: number;
  outC: number;
}

/** Taps (K) above which the one-hot Conv's K multiply-adds per column value cost more than the GEMM saves (measured). */
export const IM2COL_MAX_TAPS = 27;
/** Input channels below which the dilated Conv's I GEMMs are few enough to win (measured: 1 and 3 lost, 8 won). */
export const IM2COL_MIN_CHANNELS = 8;
/**
 * Column values per example in one chunk of input channels. The columns are B·I·K·M floats, and
 * the GEMM needs them transposed as well; chunking the input channels bounds both (the voxel
 * bench net's second layer: 28M floats a batch of 32 unchunked).
 */
export const IM2COL_CHUNK_COLUMNS = 1 << 18;

/**
 * Whether 'auto' lowers this conv's weight gradient by im2col: small kernels, many input channels,
 * and chunks of at least IM2COL_MIN_CHANNELS channels (a chunk of one channel is the dilated
 * Conv's skinny GEMM again).
 */
export function preferIm2col(sh: Im2colShape): boolean {
  const K = sh.k.reduce((a, c) => a * c, 1);
  const M = sh.outS.reduce((a, c) => a * c, 1);
  return K <= IM2COL_MAX_TAPS && sh.inC >= IM2COL_MIN_CHANNELS && K * M * IM2COL_MIN_CHANNELS <= IM2COL_CHUNK_COLUMNS;
}

/**
 * Emits dW in the tfjs kernel layout [k..., I, O] from x ([B, I, N...]) and g ([B, O, M...]), both
 * channels first.
 */
export function convWeightGradIm2col(b: GraphBuilder, x: string, g: string, sh: Im2colShape): string {
  const d = sh.k.length;
  const K = sh.k.reduce((a, c) => a * c, 1);
  const M = sh.outS.reduce((a, c) => a * c, 1);
  const I = sh.inC;
  const per = Math.max(1, Math.min(I, Math.floor(IM2COL_CHUNK_COLUMNS / (K * M))));
  const sizes = Array.from({ length: Math.ceil(I / per) }, (_, c) => Math.min(per, I - c * per));
  const onehot = (n: number) => {
    const e = new Float32Array(n * K * K);
    for (let i = 0; i < n; i++) for (let t = 0; t < K; t++) e[(i * K + t) * K + t] = 1;
    return b.floats(e, [n * K, 1, ...sh.k]);
  };
  const kernels = new Map([...new Set(sizes)].map((n) => [n, onehot(n)]));
  // g [B, O, M...] → [B, M..., O] → [B·M, O]
  const gcols = b.op1('Reshape', [b.op1('Transpose', [g], { perm: [0, ...Array.from({ length: d }, (_, j) => j + 2), 1] }), b.ints([-1, sh.outC])]);
  const xs = sizes.length === 1 ? [x] : b.op('Split', [x, b.ints(sizes)], { axis: 1 }, sizes.length);
  const rows = xs.map((xc, c) => {
    const n = sizes[c]!;
    const cols = b.op1('Conv', [xc, kernels.get(n)!], { strides: sh.s, pads: [...sh.begin, ...sh.end], kernel_shape: sh.k, group: n });
    // [B, n·K, M] → [n·K, B, M] (moves whole rows of M) → [n·K, B·M]
    const xcols = b.op1('Reshape', [b.op1('Transpose', [b.op1('Reshape', [cols, b.ints([0, n * K, M])])], { perm: [1, 0, 2] }), b.ints([n * K, -1])]);
    return b.op1('MatMul', [xcols, gcols]);
  });
  // [I·K, O] → [I, K, O] → [K, I, O] → [k..., I, O]
  const w = b.op1('Reshape', [rows.length === 1 ? rows[0]! : b.op1('Concat', rows, { axis: 0 }), b.ints([I, K, sh.outC])]);
  return b.op1('Reshape', [b.op1('Transpose', [w], { perm: [1, 0, 2] }), b.ints([...sh.k, I, sh.outC])]);
}
