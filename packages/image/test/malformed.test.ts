/**
 * Damaged and unsupported files: every one is refused with an ImageFormatError (core's
 * FormatError) naming the file, never a codec's internal error; a mutation fuzz over valid PNG,
 * JPEG, GIF and IDX bytes checks that no damage escapes as anything else.
 */
import { FormatError, mulberry32 as rng, setLogger } from '@ebm/core';
import { decodeGif, decodeIdx, decodeImage, encodeGif, encodeJpeg, encodePng, ImageFormatError, idxImages, idxLabels, proceduralTexture } from '../src';

const tex = proceduralTexture('bricks', 16, 0);

const expectRefused = (f: () => unknown, path: string, what?: RegExp) => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ImageFormatError);
  expect((err as Error).message).toContain(path);
  if (what) expect((err as Error).message).toMatch(what);
};

const idx = (head: number[], dims: number[], payload: number) => {
  const b = new Uint8Array(4 + 4 * dims.length + payload);
  b.set(head);
  dims.forEach((d, i) => new DataView(b.buffer).setUint32(4 + 4 * i, d));
  return b;
};

describe('malformed image files', () => {
  it('names the file and the problem', () => {
    expectRefused(() => decodeImage(new Uint8Array(0), 'empty.png'), 'empty.png', /empty/);
    expectRefused(() => decodeImage(new TextEncoder().encode('hello, not an image'), 'notes.png'), 'notes.png', /not a PNG, JPEG, GIF, BMP, TIFF or PNM/);
    const png = encodePng(tex);
    expectRefused(() => decodeImage(png.slice(0, 60), 'cut.png'), 'cut.png', /PNG/);
    const jpg = encodeJpeg(tex);
    expectRefused(() => decodeImage(jpg.slice(0, 40), 'cut.jpg'), 'cut.jpg', /JPEG/);
    expectRefused(() => decodeGif(new TextEncoder().encode('GIF89a'), 'short.gif'), 'short.gif', /no pixels|GIF/);
    expectRefused(() => decodeIdx(Uint8Array.from([1, 2, 8, 1]), 'x.idx'), 'x.idx', /magic/);
    expectRefused(() => decodeIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 1, 0]), 'x.idx'), 'x.idx', /type/);
    expectRefused(() => decodeIdx(idx([0, 0, 8, 3], [10, 28, 28], 100), 'cut-idx3-ubyte'), 'cut-idx3-ubyte', /truncated/);
    expectRefused(() => decodeIdx(Uint8Array.from([0x1f, 0x8b, 1, 2, 3]), 'bad.gz'), 'bad.gz', /gzip/);
    expectRefused(() => idxImages(decodeIdx(idx([0, 0, 8, 2], [2, 2], 4), 'two-d'), 'two-d'), 'two-d', /not images/);
    expectRefused(() => idxLabels(decodeIdx(idx([0, 0, 8, 2], [2, 2], 4), 'labels'), 'labels'), 'labels', /not labels/);
    expect(ImageFormatError).toBe(FormatError);
  });

  it('a 300-mutation fuzz: truncations, flipped bytes and spliced garbage are refused or decoded, never crash', () => {
    const seeds: [string, Uint8Array, (b: Uint8Array, p: string) => unknown][] = [
      ['f.png', encodePng(tex), decodeImage],
      ['f.jpg', encodeJpeg(tex), decodeImage],
      ['f.gif', encodeGif([tex, tex]), decodeGif],
      ['f-idx3-ubyte', idx([0, 0, 8, 3], [2, 4, 4], 32), (b, p) => idxImages(decodeIdx(b, p), p)],
    ];
    const r = rng(11);
    let refused = 0;
    // GIFs whose frame data is short decode with a warning; every warning must name its file.
    const warnings: string[] = [];
    setLogger((_, m) => warnings.push(m));
    for (let k = 0; k < 300; k++) {
      const [path, good, decode] = seeds[k % seeds.length]!;
      const b = good.slice();
      const kind = k % 3;
      let bytes: Uint8Array;
      if (kind === 0) bytes = b.slice(0, Math.floor(r() * b.length));
      else if (kind === 1) {
        for (let j = 0; j < 1 + Math.floor(r() * 8); j++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
        bytes = b;
      } else {
        const at = Math.floor(r() * b.length);
        bytes = new Uint8Array([...b.slice(0, at), ...Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256)), ...b.slice(at)]);
      }
      try {
        decode(bytes, path);
      } catch (e) {
        if (!(e instanceof ImageFormatError)) throw new Error(`mutation ${k} of ${path} escaped as ${(e as Error).name}: ${(e as Error).message}`);
        expect((e as Error).message).toContain(path);
        refused++;
      }
    }
    setLogger((level, m) => (level === 'warn' ? console.warn(`[ebm] ${m}`) : console.error(`[ebm] ${m}`)));
    expect(refused).toBeGreaterThan(50);
    expect(warnings.every((w) => w.startsWith('f.gif: '))).toBe(true);
  });
});
