/**
 * Inpainting (recovery of occluded pixels): Langevin chains on a learned energy start from the
 * damaged image and move only the hidden pixels; the observed ones are held fixed (`mask`), so the
 * chain samples the model's conditional of the hidden part given the rest (Multigrid §5.4,
 * generative ConvNet recovery experiments).
 */
import { InvalidOptionError, langevin, tf, type Energy, type LangevinOptions, type Tensor } from '@ebm/core';

export interface InpaintOptions {
  sampler: Omit<LangevinOptions, 'mask' | 'seed' | 'signal'>;
  /**
   * Where the hidden pixels start: 'mean' (default) the mean of the observed pixels of each image
   * and channel; 'harmonic' the smooth interpolation of the observed pixels around them
   * (`harmonicFill`); 'noise' fresh uniform noise over `noiseRange` for every chain (so chains
   * averaged by `average` differ from their first step: the short-run initialisation); or a fixed
   * value.
   */
  start?: 'mean' | 'harmonic' | 'noise' | number;
  /** The range of 'noise' starts (default [−1, 1], the net's range of signed images). */
  noiseRange?: [number, number];
  /**
   * Chains per image whose results are averaged (default 1). With noise in the sampler the
   * average estimates the model's conditional mean, the recovery with the least expected squared
   * error; one chain gives one sharp sample of it.
   */
  average?: number;
  seed?: number;
}

/**
 * Recovers the hidden pixels of `damaged` [N, H, W, C] (in the net's units), where `mask` is 1 on
 * observed pixels and 0 on hidden ones ([N, H, W, 1] or the shape of `damaged`). Both borrowed;
 * returns the recovered images, owned by the caller.
 */
export async function inpaint(energy: Energy, damaged: Tensor, mask: Tensor, options: InpaintOptions): Promise<Tensor> {
  if (damaged.rank !== 4) throw new InvalidOptionError('inpaint', 'damaged', `[${damaged.shape}]`, 'images [N, H, W, C]');
  const k = options.average ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new InvalidOptionError('inpaint', 'average', k, 'a positive integer');
  const m = tf.tidy(() => tf.broadcastTo(mask, damaged.shape));
  const [low, high] = options.noiseRange ?? [-1, 1];
  const fill = (v: () => Tensor) => tf.tidy(() => tf.add(tf.mul(m, damaged), tf.mul(tf.sub(1, m), v())));
  const fixed =
    options.start === 'noise'
      ? undefined
      : options.start === undefined || options.start === 'mean'
        ? meanFill(damaged, mask)
        : options.start === 'harmonic'
          ? harmonicFill(damaged, mask)
          : fill(() => tf.scalar(options.start as number));
  try {
    let sum: Tensor | undefined;
    for (let i = 0; i < k; i++) {
      const seed = (options.seed ?? 0) + 7919 * i;
      const start = fixed ?? fill(() => tf.randomUniform(damaged.shape, low, high, 'float32', seed + 1));
      const r = await langevin(energy, start, { ...options.sampler, mask: m, seed }).finally(() => fixed || start.dispose());
      if (k === 1) return r.x;
      const next = sum ? tf.add(sum, r.x) : tf.clone(r.x);
      sum?.dispose();
      r.x.dispose();
      sum = next;
    }
    const mean = tf.div(sum!, k);
    sum!.dispose();
    return mean;
  } finally {
    fixed?.dispose();
    m.dispose();
  }
}

/**
 * Images with their hidden pixels (mask 0) set to the mean of their observed pixels, per image
 * and channel: the usual baseline of inpainting and where its chains start. Borrows both;
 * owned by the caller.
 */
export function meanFill(x: Tensor, mask: Tensor): Tensor {
  return tf.tidy(() => {
    const m = tf.broadcastTo(mask, x.shape);
    const mean = tf.div(tf.sum(tf.mul(x, m), [1, 2], true), tf.maximum(tf.sum(m, [1, 2], true), 1));
    return tf.add(tf.mul(m, x), tf.mul(tf.sub(1, m), mean));
  });
}

/**
 * Images with their hidden pixels (mask 0) set to the harmonic interpolation of the observed ones:
 * each hidden pixel the mean of its four neighbours, so the observed border's values diffuse
 * inward and a stroke cut by the hole continues into it, fading. This is the discrete Laplace
 * equation with the observed pixels as its boundary, the classical smooth inpainting; solved per
 * image and channel by successive over-relaxation on the values, until no pixel moves by 1e-5.
 * A hole with no observed pixel around it takes the image's observed mean. Borrows both; owned by
 * the caller.
 */
export function harmonicFill(x: Tensor, mask: Tensor): Tensor {
  if (x.rank !== 4) throw new InvalidOptionError('harmonicFill', 'x', `[${x.shape}]`, 'images [N, H, W, C]');
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const start = meanFill(x, mask);
  const v = start.dataSync() as Float32Array;
  const full = tf.broadcastTo(mask, x.shape);
  const m = full.dataSync() as Float32Array;
  tf.dispose([start, full]);
  const out = Float32Array.from(v);
  const holes: number[] = [];
  for (let i = 0; i < out.length; i++) if (m[i] === 0) holes.push(i);
  // Optimal SOR factor for a square hole of side s is about 2 / (1 + sin(π / s)).
  const side = Math.max(2, Math.sqrt(holes.length / Math.max(1, n * c)));
  const omega = 2 / (1 + Math.sin(Math.PI / side));
  const rowStride = w * c;
  for (let sweep = 0; sweep < 10_000; sweep++) {
    let change = 0;
    for (const i of holes) {
      const px = Math.floor(i / c) % w;
      const py = Math.floor(i / rowStride) % h;
      let sum = 0;
      let count = 0;
      if (px > 0) (sum += out[i - c]!), count++;
      if (px < w - 1) (sum += out[i + c]!), count++;
      if (py > 0) (sum += out[i - rowStride]!), count++;
      if (py < h - 1) (sum += out[i + rowStride]!), count++;
      const next = out[i]! + omega * (sum / count - out[i]!);
      change = Math.max(change, Math.abs(next - out[i]!));
      out[i] = next;
    }
    if (change < 1e-5) break;
  }
  return tf.tensor4d(out, [n, h, w, c]);
}

/** A mask hiding a centred square covering `fraction` of each image's area: [N, H, W, 1], 1 = observed. Owned by the caller. */
export function centerSquareMask(n: number, height: number, width: number, fraction = 0.25): Tensor {
  const s = Math.sqrt(fraction);
  const h = Math.round(height * s);
  const w = Math.round(width * s);
  const y0 = Math.floor((height - h) / 2);
  const x0 = Math.floor((width - w) / 2);
  const m = new Float32Array(height * width).fill(1);
  for (let y = y0; y < y0 + h; y++) m.fill(0, y * width + x0, y * width + x0 + w);
  return tf.tidy(() => tf.tile(tf.tensor4d(m, [1, height, width, 1]), [n, 1, 1, 1]));
}

/**
 * Peak signal-to-noise ratio (dB) of `x` against `truth`: 10·log10(peak² / MSE), the MSE over the
 * pixels where `mask` (broadcastable, borrowed) is 1, or over all. `peak` is the range's width
 * (1 for [0, 1], 2 for [−1, 1]).
 */
export async function psnr(x: Tensor, truth: Tensor, options: { peak?: number; mask?: Tensor } = {}): Promise<number> {
  const peak = options.peak ?? 1;
  const mse = tf.tidy(() => {
    const se = tf.square(tf.sub(x, truth));
    if (!options.mask) return tf.mean(se);
    const m = tf.broadcastTo(options.mask, x.shape);
    return tf.div(tf.sum(tf.mul(se, m)), tf.maximum(tf.sum(m), 1));
  });
  const v = (await mse.data())[0]!;
  mse.dispose();
  return 10 * Math.log10((peak * peak) / Math.max(v, 1e-12));
}
