/**
 * Pixel plumbing with known answers: resampling (area means when shrinking, exact at integer
 * factors), crops, channel conversion, the range mapping to tensors and back, sample grids, and
 * the procedural textures (seeded, seamless).
 */
import { InvalidOptionError, ShapeMismatchError, tf } from '@ebm/core';
import { centerSquare, createImage, cropImage, imageGrid, imagesToTensor, proceduralTexture, resizeImage, tensorToImages, toChannels, TEXTURE_KINDS, type Image } from '../src';

const ramp = (w: number, h: number): Image => ({ width: w, height: h, channels: 1, data: Float32Array.from({ length: w * h }, (_, i) => i / (w * h)) });

describe('resizeImage', () => {
  it('shrinks by an integer factor to the exact block means (the multigrid paper’s Q)', () => {
    const img = ramp(4, 4);
    const small = resizeImage(img, 2, 2);
    const at = (x: number, y: number) => img.data[y * 4 + x]!;
    expect(small.data[0]).toBeCloseTo((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4, 6);
    expect(small.data[3]).toBeCloseTo((at(2, 2) + at(3, 2) + at(2, 3) + at(3, 3)) / 4, 6);
    // The mean is kept by area resampling at any factor.
    const odd = resizeImage(ramp(10, 7), 3, 3);
    const mean = (d: Float32Array) => d.reduce((a, b) => a + b, 0) / d.length;
    expect(mean(odd.data)).toBeCloseTo(mean(ramp(10, 7).data), 5);
  });

  it('enlarges bilinearly between pixel centres and keeps constants constant', () => {
    const c = createImage(3, 3, 3, 0.4);
    expect(resizeImage(c, 7, 5).data.every((v) => Math.abs(v - 0.4) < 1e-6)).toBe(true);
    const two: Image = { width: 2, height: 1, channels: 1, data: Float32Array.from([0, 1]) };
    expect(Array.from(resizeImage(two, 4, 1).data).map((v) => +v.toFixed(4))).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('crops, channels, tensors', () => {
  it('crops and takes the centre square', () => {
    const img = ramp(6, 4);
    const c = cropImage(img, 1, 1, 2, 2);
    expect(Array.from(c.data)).toEqual([img.data[7], img.data[8], img.data[13], img.data[14]]);
    expect(centerSquare(img)).toMatchObject({ width: 4, height: 4 });
    expect(() => cropImage(img, 5, 0, 2, 2)).toThrow(InvalidOptionError);
  });

  it('converts gray ↔ RGB', () => {
    const g = ramp(2, 2);
    const rgb = toChannels(g, 3);
    expect(rgb.data.length).toBe(12);
    expect(Array.from(toChannels(rgb, 1).data)).toEqual(Array.from(g.data));
  });

  it('maps [0, 1] to a pixel range and back, and refuses mixed sizes', async () => {
    const imgs = [ramp(3, 2), ramp(3, 2)];
    const t = imagesToTensor(imgs, [-1, 1]);
    expect(t.shape).toEqual([2, 2, 3, 1]);
    expect((await t.data())[5]).toBeCloseTo(-1 + 2 * (5 / 6), 6);
    const back = await tensorToImages(t, [-1, 1]);
    expect(Array.from(back[1]!.data).map((v) => +v.toFixed(5))).toEqual(Array.from(imgs[1]!.data).map((v) => +v.toFixed(5)));
    t.dispose();
    expect(() => imagesToTensor([ramp(3, 2), ramp(2, 3)])).toThrow(ShapeMismatchError);
    const wild = tf.tensor4d([5, -5], [1, 1, 2, 1]);
    expect(Array.from((await tensorToImages(wild, [0, 1]))[0]!.data)).toEqual([1, 0]);
    wild.dispose();
  });

  it('lays images out in a grid with padding and magnification', () => {
    const g = imageGrid([ramp(2, 2), ramp(2, 2), ramp(2, 2)], { cols: 2, pad: 1, scale: 2 });
    expect(g).toMatchObject({ width: 2 * 4 + 3, height: 2 * 4 + 3, channels: 1 });
    // The third cell is padding-free image, the empty fourth cell is background.
    expect(g.data[(1 + 4 + 1) * g.width + 1]).toBeCloseTo(0, 6);
    expect(g.data[(g.height - 2) * g.width + g.width - 2]).toBe(1);
  });
});

describe('proceduralTexture', () => {
  it('is seeded, in range and seamless enough to tile', () => {
    for (const kind of TEXTURE_KINDS) {
      const a = proceduralTexture(kind, 32, 5);
      expect(Array.from(a.data)).toEqual(Array.from(proceduralTexture(kind, 32, 5).data));
      expect(a.data.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(Array.from(a.data)).not.toEqual(Array.from(proceduralTexture(kind, 32, 6).data));
    }
    expect(() => proceduralTexture('plaid' as never)).toThrow(/kind/);
  });
});
