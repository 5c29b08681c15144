import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRgba, FormatError, sniffPixels } from '../src';
import { fuzzReader } from './mutate';

// fixtures/bitmaps/make.py: 7×5 pictures written by Pillow, and in expected.json their RGBA pixels as Pillow decodes them.
const dir = join(__dirname, 'fixtures', 'bitmaps');
const fixture = (name: string) => new Uint8Array(readFileSync(join(dir, name)));
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, number[]>;
const text = (s: string) => new TextEncoder().encode(s);

it.each(Object.keys(expected))('%s decodes to the pixels Pillow reads', (name) => {
  const r = decodeRgba(fixture(name), name);
  expect([r.width, r.height, r.frames.length]).toEqual([7, 5, 1]);
  const got = Array.from(r.frames[0]!);
  // 16-bit samples: Pillow's and ours may round a value scaled to 8 bits the other way.
  const tol = name.includes('16') ? 1 : 0;
  expect(Math.max(...got.map((v, i) => Math.abs(v - expected[name]![i]!)))).toBeLessThanOrEqual(tol);
});

it('reads ASCII PBM, PGM and PPM with comments, and PBM digits without separators', () => {
  const px = (s: string) => Array.from(decodeRgba(text(s), 'a.pnm').frames[0]!);
  expect(px('P2\n# made by hand\n3 1\n255\n0 128 255\n')).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
  expect(px('P3 2 1 15 15 0 0 0 15 0\n')).toEqual([255, 0, 0, 255, 0, 255, 0, 255]);
  expect(px('P1\n3 1\n101\n')).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255]);
  expect(sniffPixels(text('P6\n1 1\n255\n'))).toBe('pnm');
});

it('refuses damage, RLE bitmaps and WebP with one line naming the file', () => {
  expect(() => decodeRgba(fixture('rgb24.bmp').subarray(0, 100), 'cut.bmp')).toThrow('cut.bmp: is not a readable BMP (it ends early: truncated)');
  const rle = fixture('palette8.bmp').slice();
  rle[30] = 1;
  expect(() => decodeRgba(rle, 'rle.bmp')).toThrow('rle.bmp: is an RLE-compressed BMP, which is not read (save it uncompressed or as PNG)');
  expect(() => decodeRgba(fixture('rgb.ppm').subarray(0, 40), 'cut.ppm')).toThrow('cut.ppm: is not a readable PNM image (it ends early: truncated)');
  expect(() => decodeRgba(text('P5\n7 x\n255\n'), 'bad.pgm')).toThrow('bad.pgm: is not a readable PNM image (a header value is "x…", not a number)');
  expect(() => decodeRgba(text('P5\n100000 100000\n255\n'), 'big.pgm')).toThrow('big.pgm: is 100000×100000 pixels, over the 50-megapixel limit (downscale it first)');
  expect(() => decodeRgba(fixture('lzw.tif').subarray(0, 60), 'cut.tif')).toThrow(/^cut\.tif: is not a readable TIFF/);
  expect(() => decodeRgba(text('RIFF\0\0\0\0WEBPVP8 '), 'a.webp')).toThrow('a.webp: is a WebP image, which is not read (convert it to PNG, e.g. with dwebp)');
});

describe.each(['rgb24.bmp', 'palette8.bmp', 'rgba32.bmp', 'rgb.ppm', 'gray16.pgm', 'lzw.tif', 'packbits.tif'])('%s under 300 seeded mutations', (name) => {
  it('gives pixels or throws a FormatError naming the file, within a bounded time', () => {
    fuzzReader(fixture(name), (b, n) => decodeRgba(b, n), { seed: name.length * 7, errorClass: FormatError, validate: (r) => expect(r.frames[0]!.length).toBe(r.width * r.height * 4) });
  });
});
