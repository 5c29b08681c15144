/**
 * upsample2d / upsample3d by integer factors. 'nearest' replicates each cell (backward: sums each
 * block); 'linear' interpolates each spatial axis with a fixed [m, n] matrix A (half-pixel centres,
 * edges clamped — PyTorch's align_corners = false), so the forward is y = A·x along the axis and the
 * backward is Aᵀ·g, the same on both runtimes.
 */
import { tf, type Tensor } from '../../tf';
import type { LayerModule } from '../registry';
import type { UpsampleLayer } from '../types';
import { product, spatialRank, tup, tupleOf } from './util';

const dims = (l: UpsampleLayer) => (l.type === 'upsample2d' ? 2 : 3);

/** Row-major [n·f, n] matrix of linear interpolation from n cells to n·f cells. */
export function linearMatrix(n: number, f: number): Float32Array {
  const m = n * f;
  const a = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const src = Math.max(0, (i + 0.5) / f - 0.5);
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    const w = src - i0;
    a[i * n + i0]! += 1 - w;
    a[i * n + i1]! += w;
  }
  return a;
}

/**
 * Nearest upsampling of the spatial axes of x ([B, S..., C]) by integer factors, one axis at a time
 * (tfjs has no broadcast gradient above rank 5). Call inside a tidy.
 */
export function upsampleNearest(x: Tensor, factors: number[]): Tensor {
  const d = x.rank - 2;
  const [B, C] = [x.shape[0]!, x.shape[d + 1]!];
  const cur = x.shape.slice(1, d + 1);
  let h = x;
  for (let j = 0; j < d; j++) {
    const P = B * product(cur.slice(0, j));
    const Q = product(cur.slice(j + 1)) * C;
    h = tf.reshape(tf.broadcastTo(tf.reshape(h, [P, cur[j]!, 1, Q]), [P, cur[j]!, factors[j]!, Q]), [P, cur[j]! * factors[j]!, Q]);
    cur[j] = cur[j]! * factors[j]!;
  }
  return tf.reshape(h, [B, ...cur, C]);
}

export const upsampleLayer: LayerModule<UpsampleLayer> = {
  types: ['upsample2d', 'upsample3d'],
  layout: 'last',
  infer(layer, ctx) {
    const d = dims(layer);
    spatialRank(ctx, d);
    const f = tupleOf(ctx, layer.factor, d, 'factor');
    const mode = layer.mode ?? 'nearest';
    if (mode !== 'nearest' && mode !== 'linear') ctx.fail(`mode must be 'nearest' or 'linear', got ${JSON.stringify(mode)}`);
    return [...ctx.inShape.slice(0, d).map((n, j) => n * f[j]!), ctx.inShape[d]!];
  },
  apply(layer, x) {
    const d = dims(layer);
    const f = tup(layer.factor, d, 1);
    const s = x.shape.slice(1, d + 1);
    const [B, C] = [x.shape[0]!, x.shape[d + 1]!];
    if ((layer.mode ?? 'nearest') === 'nearest') return upsampleNearest(x, f);
    let h: Tensor = x;
    const cur = [...s];
    for (let j = 0; j < d; j++) {
      // [P, n, Q] → [P·Q, n] · Aᵀ → [P, Q, m] → [P, m, Q]
      const P = B * product(cur.slice(0, j));
      const Q = product(cur.slice(j + 1)) * C;
      const n = cur[j]!;
      const m = n * f[j]!;
      const at = tf.transpose(tf.tensor2d(linearMatrix(n, f[j]!), [m, n]));
      const rows = tf.reshape(tf.transpose(tf.reshape(h, [P, n, Q]), [0, 2, 1]), [P * Q, n]);
      h = tf.transpose(tf.reshape(tf.matMul(rows, at), [P, Q, m]), [0, 2, 1]);
      cur[j] = m;
      h = tf.reshape(h, [B, ...cur, C]);
    }
    return h;
  },
  lower(layer, x, { b, inShape }) {
    const d = dims(layer);
    const f = tup(layer.factor, d, 1);
    const s = inShape.slice(0, d);
    const C = inShape[d]!;
    if ((layer.mode ?? 'nearest') === 'nearest') {
      const split = b.op1('Reshape', [x, b.ints([0, ...s.flatMap((n) => [n, 1]), C])]);
      const wide = [...s.flatMap((n, j) => [n, f[j]!]), C];
      const y = b.op1('Reshape', [b.op1('Expand', [split, b.ints([1, ...wide])]), b.ints([0, ...s.map((n, j) => n * f[j]!), C])]);
      return {
        y,
        back: (g) => {
          const blocks = b.op1('Reshape', [g, b.ints([0, ...wide])]);
          return b.op1('ReduceSum', [blocks, b.ints(Array.from({ length: d }, (_, j) => 2 + 2 * j))], { keepdims: 0 });
        },
      };
    }
    const mats = s.map((n, j) => b.floats(linearMatrix(n, f[j]!), [n * f[j]!, n]));
    // Along axis j the tensor is viewed as [P, n, Q]; MatMul broadcasts the [m, n] matrix over P.
    const along = (t: string, j: number, sizes: number[], mat: string, outSize: number) => {
      const Q = product(sizes.slice(j + 1)) * C;
      const v = b.op1('Reshape', [t, b.ints([-1, sizes[j]!, Q])]);
      const out = [...sizes];
      out[j] = outSize;
      return b.op1('Reshape', [b.op1('MatMul', [mat, v]), b.ints([-1, ...out, C])]);
    };
    let y = x;
    const cur = [...s];
    for (let j = 0; j < d; j++) {
      y = along(y, j, cur, mats[j]!, cur[j]! * f[j]!);
      cur[j] = cur[j]! * f[j]!;
    }
    return {
      y,
      back: (g) => {
        let h = g;
        const sizes = s.map((n, j) => n * f[j]!);
        for (let j = d - 1; j >= 0; j--) {
          h = along(h, j, sizes, b.op1('Transpose', [mats[j]!], { perm: [1, 0] }), s[j]!);
          sizes[j] = s[j]!;
        }
        return h;
      },
    };
  },
};
