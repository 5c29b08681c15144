/**
 * Input gradient of a 3-D convolution as a 2-D ConvTranspose over depth-folded channels, an
 * alternative to 3-D ConvTranspose (single-threaded col2im in onnxruntime) and to the GEMM +
 * per-tap overlap-add of col2im.ts (27 taps of 3-D copies for a 3³ kernel).
 *
 * For y = conv3d(x, W) with depth kernel kd, depth stride sd and leading depth pad pd:
 *   y[b, o, m] = Σ_{a < kd} conv2d(xpad[b, ·, sd·m + a], W[o, ·, a])   (H and W strided as in 3-D)
 * so y is one conv2d of the images x'[(b, m), (a, i)] = xpad[b, i, sd·m + a] with the kernel
 * W'[o, (a, i)] = W[o, i, a]. Its input gradient is therefore
 * 1. one 2-D ConvTranspose of g'[(b, m), o] = g[b, o, m] with W' → gx'[(b, m), (a, i)], and
 * 2. an overlap-add along depth only: gx[b, i, sd·m + a − pd] += gx'[(b, m), (a, i)], kd taps
 *    grouped into sd phases (tap a = q·sd + r adds to phase r shifted by q cells).
 * onnxruntime's 2-D ConvTranspose is fast, and the overlap-add is kd copies, not kd·kh·kw.
 */
import type { GraphBuilder } from './builder';
import type { Col2imShape } from './col2im';

/** tfjs kernel [kd, kh, kw, I, O] → [O, kd, I, kh, kw], which reshapes to the folded [O, kd·I, kh, kw]. */
export const FOLDED_KERNEL_PERM = [4, 0, 3, 1, 2];

/**
 * Emits gx ([B, I, D, H, W], channels first) from g ([B, O, Do, Ho, Wo], channels first) and the
 * kernel permuted by FOLDED_KERNEL_PERM. `end` is the trailing pad of the forward conv.
 */
export function convInputGradDepthFold(b: GraphBuilder, g: string, kernelFolded: string, sh: Col2imShape & { end: number[] }): string {
  const [kd, kh, kw] = sh.k as [number, number, number];
  const [sd, shh, sw] = sh.s as [number, number, number];
  const [D, H, W] = sh.inS as [number, number, number];
  const [Do, Ho, Wo] = sh.outS as [number, number, number];
  const I = sh.inC;
  const O = sh.outC;
  const g2 = b.op1('Reshape', [b.op1('Transpose', [g], { perm: [0, 2, 1, 3, 4] }), b.ints([-1, O, Ho, Wo])]);
  const w2 = b.op1('Reshape', [kernelFolded, b.ints([O, kd * I, kh, kw])]);
  // ConvTranspose back to the exact H × W: output_padding covers a remainder a 'valid' conv dropped.
  const outputPadding = [H - ((Ho - 1) * shh + kh - sh.begin[1]! - sh.end[1]!), W - ((Wo - 1) * sw + kw - sh.begin[2]! - sh.end[2]!)];
  const gx2 = b.op1('ConvTranspose', [g2, w2], {
    strides: [shh, sw],
    pads: [sh.begin[1]!, sh.begin[2]!, sh.end[1]!, sh.end[2]!],
    kernel_shape: [kh, kw],
    output_padding: outputPadding,
  });
  // [B·Do, kd·I, H, W] → kd taps of [B, Do, I, H, W], one Split.
  const taps = b.op('Split', [b.op1('Reshape', [gx2, b.ints([-1, Do, kd, I, H, W])])], { axis: 2 }, kd).map((t) => b.op1('Squeeze', [t, b.ints([2])]));
  const Q = Math.ceil(kd / sd);
  const J = Do + Q - 1;
  const phases: string[][] = Array.from({ length: sd }, () => []);
  taps.forEach((t, a) => {
    const q = Math.floor(a / sd);
    phases[a % sd]!.push(Q === 1 ? t : b.op1('Pad', [t, b.ints([0, q, 0, 0, 0, 0, Q - 1 - q, 0, 0, 0])]));
  });
  const sums = phases.map((p) => (p.length === 0 ? undefined : p.length === 1 ? p[0]! : b.op1('Sum', p)));
  const any = sums.find((v) => v !== undefined)!;
  // Interleave the depth phases: [B, J, sd, I, H, W] is [B, J·sd, I, H, W] in memory order.
  let full =
    sd === 1
      ? any
      : b.op1('Reshape', [
          b.op1('Concat', sums.map((p) => b.op1('Unsqueeze', [p ?? b.op1('Mul', [any, b.scalar(0)]), b.ints([2])])), { axis: 2 }),
          b.ints([-1, J * sd, I, H, W]),
        ]);
  // Depths past the last cell get no gradient ('valid' convs that drop a remainder).
  const short = Math.max(0, sh.begin[0]! + D - J * sd);
  if (short > 0) full = b.op1('Pad', [full, b.ints([0, 0, 0, 0, 0, 0, short, 0, 0, 0])]);
  const cropped = b.op1('Slice', [full, b.ints([sh.begin[0]!]), b.ints([sh.begin[0]! + D]), b.ints([1])]);
  return b.op1('Transpose', [cropped], { perm: [0, 2, 1, 3, 4] });
}
