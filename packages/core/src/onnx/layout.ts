/** Static shape arithmetic shared by the ONNX lowering of convolutions (TensorFlow padding semantics). */

export function tuple(v: number | number[] | undefined, n: number, dflt: number): number[] {
  return v === undefined ? new Array<number>(n).fill(dflt) : typeof v === 'number' ? new Array<number>(n).fill(v) : v.slice();
}

/** TF 'same' padding of a strided conv from `input` to ceil(input / stride): [begin, end] per axis. */
export function samePads(input: number[], kernel: number[], stride: number[]): { begin: number[]; end: number[] } {
  const total = input.map((n, i) => Math.max((Math.ceil(n / stride[i]!) - 1) * stride[i]! + kernel[i]! - n, 0));
  const begin = total.map((t) => Math.floor(t / 2));
  return { begin, end: total.map((t, i) => t - begin[i]!) };
}

/** Permutation moving the channel axis of a [B, S..., C] tensor to position 1 ([B, C, S...]). */
export const toFirstPerm = (rank: number) => [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
/** The inverse: [B, C, S...] → [B, S..., C]. */
export const toLastPerm = (rank: number) => [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
/** Swaps the first two axes (batch ↔ channels) of a rank-r tensor. */
export const swap01 = (rank: number) => [1, 0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2)];
/** tfjs conv kernel [k..., I, O] → ONNX [O, I, k...] (and transpose-conv [k..., O, I] → ONNX [I, O, k...]). */
export const kernelToOnnx = (d: number) => [d + 1, d, ...Array.from({ length: d }, (_, i) => i)];
/** ONNX-ordered [A, B, k...] → tfjs [k..., A, B]. */
export const kernelToTfjs = (d: number) => [...Array.from({ length: d }, (_, i) => i + 2), 0, 1];

/** `data` of `shape` with its axes permuted as ONNX Transpose does (out axis j = in axis perm[j]). */
export function permuteArray(data: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): Float32Array {
  const rank = shape.length;
  const inStride = shape.map((_, k) => shape.slice(k + 1).reduce((a, d) => a * d, 1));
  const outShape = perm.map((k) => shape[k]!);
  const step = perm.map((k) => inStride[k]!);
  const out = new Float32Array(data.length);
  const last = rank - 1;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  // Walk the output in order; the innermost output axis is a strided run of the input.
  for (let o = 0; o < out.length; ) {
    const n = outShape[last]!;
    const st = step[last]!;
    for (let i = 0, s = src; i < n; i++, s += st) out[o++] = data[s]!;
    for (let k = last - 1; k >= 0; k--) {
      src += step[k]!;
      if (++idx[k]! < outShape[k]!) break;
      src -= step[k]! * outShape[k]!;
      idx[k] = 0;
    }
  }
  return out;
}
