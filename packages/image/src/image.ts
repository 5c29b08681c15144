/**
 * Images as the package passes them around: height × width × channels, row-major (channels
 * last, as the nets' NHWC tensors), pixel values in [0, 1]. Codecs, grids and GIFs read and write
 * this; `imagesToTensor` maps it to the range a net is trained in.
 */
import { InvalidOptionError, isGrayPixels, ShapeMismatchError, tf, type Tensor } from '@ebm/core';

export interface Image {
  width: number;
  height: number;
  /** 1 (gray) or 3 (RGB). */
  channels: 1 | 3;
  /** height · width · channels values in [0, 1], row-major, channels last. */
  data: Float32Array;
}

/** The pixel range a net sees: [0, 1] maps linearly onto [lo, hi]. */
export type PixelRange = readonly [number, number];

/** [−1, 1]: the short-run, CoopNets and most EBM image code (tanh generators). */
export const SIGNED_RANGE: PixelRange = [-1, 1];

/** A blank image. */
export function createImage(width: number, height: number, channels: 1 | 3, fill = 0): Image {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new InvalidOptionError('createImage', 'size', `${width}×${height}`, 'positive integers');
  return { width, height, channels, data: new Float32Array(width * height * channels).fill(fill) };
}

/** The image with 1 or 3 channels (gray = the mean of R, G, B; gray → RGB repeats it). */
export function toChannels(img: Image, channels: 1 | 3): Image {
  if (img.channels === channels) return img;
  const n = img.width * img.height;
  const out = createImage(img.width, img.height, channels);
  if (channels === 1) for (let i = 0; i < n; i++) out.data[i] = (img.data[3 * i]! + img.data[3 * i + 1]! + img.data[3 * i + 2]!) / 3;
  else for (let i = 0; i < n; i++) out.data[3 * i] = out.data[3 * i + 1] = out.data[3 * i + 2] = img.data[i]!;
  return out;
}

/** True when every pixel has R = G = B (a gray image stored as RGB). */
export const isGray: (img: Image) => boolean = isGrayPixels;

/** The rectangle [x, x + w) × [y, y + h) of an image. */
export function cropImage(img: Image, x: number, y: number, w: number, h: number): Image {
  if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > img.width || y + h > img.height) throw new InvalidOptionError('cropImage', 'rectangle', `${w}×${h} at (${x}, ${y})`, `inside the ${img.width}×${img.height} image`);
  const c = img.channels;
  const out = createImage(w, h, c);
  for (let r = 0; r < h; r++) out.data.set(img.data.subarray(((y + r) * img.width + x) * c, ((y + r) * img.width + x + w) * c), r * w * c);
  return out;
}

/** The largest centred square of an image. */
export function centerSquare(img: Image): Image {
  const s = Math.min(img.width, img.height);
  return cropImage(img, Math.floor((img.width - s) / 2), Math.floor((img.height - s) / 2), s, s);
}

/**
 * Resamples an image to width × height. Shrinking averages each output pixel's footprint exactly
 * (area resampling, no aliasing: the multigrid paper's Q is this at integer factors); enlarging
 * interpolates bilinearly between pixel centres.
 */
export function resizeImage(img: Image, width: number, height: number): Image {
  if (width === img.width && height === img.height) return img;
  const out = createImage(width, height, img.channels);
  const xs = axisWeights(img.width, width);
  const ys = axisWeights(img.height, height);
  const c = img.channels;
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      for (const [iy, wy] of ys[oy]!) {
        for (const [ix, wx] of xs[ox]!) {
          const w = wx * wy;
          const src = (iy * img.width + ix) * c;
          const dst = (oy * width + ox) * c;
          for (let k = 0; k < c; k++) out.data[dst + k]! += w * img.data[src + k]!;
        }
      }
    }
  }
  return out;
}

/** Per output index: the input indices and weights along one axis (area when shrinking, linear when enlarging). */
function axisWeights(n: number, m: number): [number, number][][] {
  const out: [number, number][][] = [];
  const s = n / m;
  for (let o = 0; o < m; o++) {
    const ws: [number, number][] = [];
    if (m < n) {
      const a = o * s;
      const b = a + s;
      for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i++) {
        const w = (Math.min(b, i + 1) - Math.max(a, i)) / s;
        if (w > 1e-9) ws.push([i, w]);
      }
    } else {
      const p = Math.min(n - 1, Math.max(0, (o + 0.5) * s - 0.5));
      const i = Math.floor(p);
      const f = p - i;
      ws.push([i, 1 - f]);
      if (f > 0 && i + 1 < n) ws.push([i + 1, f]);
    }
    out.push(ws);
  }
  return out;
}

/**
 * Images of one size as an [N, H, W, C] tensor in `range` (default [−1, 1]). Owned by the caller.
 * @throws ShapeMismatchError naming the first image whose size or channels differ.
 */
export function imagesToTensor(images: readonly Image[], range: PixelRange = SIGNED_RANGE): Tensor {
  if (images.length === 0) throw new InvalidOptionError('imagesToTensor', 'images', '[]', 'at least one image');
  const { width, height, channels } = images[0]!;
  const size = width * height * channels;
  const buf = new Float32Array(images.length * size);
  const [lo, hi] = range;
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height || img.channels !== channels) throw new ShapeMismatchError(`imagesToTensor: image ${i} is ${img.width}×${img.height}×${img.channels}, image 0 is ${width}×${height}×${channels} (resize them first)`);
    for (let j = 0; j < size; j++) buf[i * size + j] = lo + (hi - lo) * img.data[j]!;
  });
  return tf.tensor4d(buf, [images.length, height, width, channels]);
}

/** An [N, H, W, C] tensor in `range` back to images, clamped to [0, 1]. The tensor is borrowed. */
export async function tensorToImages(t: Tensor, range: PixelRange = SIGNED_RANGE): Promise<Image[]> {
  if (t.rank !== 4 || (t.shape[3] !== 1 && t.shape[3] !== 3)) throw new ShapeMismatchError(`tensorToImages: expected [N, H, W, 1 or 3], got [${t.shape}]`);
  const [n, height, width, channels] = t.shape as [number, number, number, 1 | 3];
  const v = (await t.data()) as Float32Array;
  const [lo, hi] = range;
  const size = width * height * channels;
  return Array.from({ length: n }, (_, i) => {
    const data = new Float32Array(size);
    for (let j = 0; j < size; j++) data[j] = Math.min(1, Math.max(0, (v[i * size + j]! - lo) / (hi - lo)));
    return { width, height, channels, data };
  });
}
