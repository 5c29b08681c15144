/** PNG and JPEG encoding through pngjs and jpeg-js. */
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import type { Image } from '../image';

/** 8-bit RGBA of an image (gray repeated, alpha 255). */
export function toRgba(img: Image): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * 4);
  const c = img.channels;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) out[4 * i + k] = Math.round(255 * Math.min(1, Math.max(0, img.data[c * i + (c === 1 ? 0 : k)]!)));
    out[4 * i + 3] = 255;
  }
  return out;
}

/** An 8-bit PNG: gray images as gray (colour type 0), others as RGB. */
export function encodePng(img: Image): Uint8Array {
  const png = new pngjs.PNG({ width: img.width, height: img.height, colorType: img.channels === 1 ? 0 : 2, inputColorType: 6, inputHasAlpha: true });
  png.data = Buffer.from(toRgba(img).buffer);
  return new Uint8Array(pngjs.PNG.sync.write(png, { colorType: img.channels === 1 ? 0 : 2, inputColorType: 6, inputHasAlpha: true }));
}

/** A baseline JPEG at `quality` (1–100, default 90). */
export function encodeJpeg(img: Image, quality = 90): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: img.width, height: img.height, data: toRgba(img) }, quality).data);
}
