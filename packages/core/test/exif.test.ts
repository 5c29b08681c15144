import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeRgba, exifOrientation } from '../src';

// fixtures/exif/make.py: one 6×4 picture (gray levels 0, 10, …, 230) saved under each EXIF
// orientation, and the upright picture Pillow's ImageOps.exif_transpose shows for each.
const dir = join(__dirname, 'fixtures', 'exif');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, [number, number, number[]]>;

it.each(Object.keys(expected))('%s is turned upright as Pillow turns it', (name) => {
  const bytes = new Uint8Array(readFileSync(join(dir, name)));
  expect(exifOrientation(bytes)).toBe(Number(/(\d)\.jpg$/.exec(name)![1]));
  const r = decodeRgba(bytes, name);
  const [w, h, gray] = expected[name]!;
  expect([r.width, r.height]).toEqual([w, h]);
  // JPEG at quality 100 keeps each level within a few steps of 255; neighbours differ by 10.
  const got = Array.from({ length: w * h }, (_, i) => r.frames[0]![4 * i]!);
  expect(Math.max(...got.map((v, i) => Math.abs(v - gray[i]!)))).toBeLessThan(4);
});

it('reads orientation 1 from a JPEG without EXIF and from damaged EXIF', () => {
  const plain = new Uint8Array(readFileSync(join(dir, 'orientation-1.jpg')));
  expect(exifOrientation(Uint8Array.of(0xff, 0xd8, 0xff, 0xe1, 0, 8, 0x45, 0x78, 0x69, 0x66, 0, 0))).toBe(1);
  expect(exifOrientation(plain.subarray(0, 30))).toBe(1);
});
