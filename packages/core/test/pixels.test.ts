/** Raster files: PNG, JPEG and GIF through core's codecs, and every damaged file named in its error. */
import { decodeRgba, encodeGif, encodeJpeg, encodePng, FormatError, isGrayPixels, rgbaToPixels, sniffPixels, type Pixels } from '../src';

const ramp = (w: number, h: number, channels: 1 | 3): Pixels => ({ width: w, height: h, channels, data: Float32Array.from({ length: w * h * channels }, (_, i) => ((i * 29) % 256) / 255) });
const back = (bytes: Uint8Array, name: string, frame = 0) => {
  const r = decodeRgba(bytes, name);
  return rgbaToPixels(r.frames[frame]!, r.width, r.height);
};

it('PNG round-trips gray and colour pictures exactly at 8 bits, and sniffs formats from bytes', () => {
  for (const c of [1, 3] as const) {
    const p = ramp(7, 5, c);
    const png = encodePng(p);
    expect(sniffPixels(png)).toBe('png');
    const q = back(png, 'x.png');
    expect(isGrayPixels(q)).toBe(c === 1);
    for (let i = 0; i < p.width * p.height; i++) expect(q.data[3 * i]).toBeCloseTo(p.data[c * i]!, 6);
  }
  const j = encodeJpeg(ramp(16, 16, 3), 95);
  expect(sniffPixels(j)).toBe('jpeg');
  expect(decodeRgba(j, 'x.jpg')).toMatchObject({ format: 'jpeg', width: 16, height: 16 });
});

it('a GIF cut short (a partial download) gives its complete frames, with a warning', () => {
  const frames = [ramp(6, 4, 1), { ...ramp(6, 4, 1), data: ramp(6, 4, 1).data.map((v) => 1 - v) }, ramp(6, 4, 1)];
  const gif = encodeGif(frames, { delayMs: 80 });
  const whole = decodeRgba(gif, 'x.gif').frames;
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    // Cut inside the last frame's data: the first two frames are complete.
    const cut = decodeRgba(gif.subarray(0, gif.length - 8), 'cut.gif');
    expect(cut.frames).toHaveLength(2);
    expect(cut.frames.map((f) => Array.from(f))).toEqual(whole.slice(0, 2).map((f) => Array.from(f)));
    expect(warn.mock.calls.join(' ')).toMatch(/cut\.gif: ends early \(truncated\); read its first 2 complete frames/);
  } finally {
    warn.mockRestore();
  }
  expect(() => decodeRgba(gif.subarray(0, 40), 'short.gif')).toThrow('short.gif: has no frames (an empty or truncated GIF)');
});

it('GIF keeps every frame, the delay, and the gray palette exact; maxFrames and maxTotalPixels cut it', () => {
  const frames = [ramp(6, 4, 1), { ...ramp(6, 4, 1), data: ramp(6, 4, 1).data.map((v) => 1 - v) }, ramp(6, 4, 1)];
  const gif = encodeGif(frames, { delayMs: 80 });
  const r = decodeRgba(gif, 'x.gif');
  expect(r).toMatchObject({ format: 'gif', width: 6, height: 4, delayMs: 80 });
  expect(r.frames).toHaveLength(3);
  const f1 = back(gif, 'x.gif', 1);
  for (let i = 0; i < 24; i++) expect(f1.data[3 * i]).toBeCloseTo(frames[1]!.data[i]!, 6);
  expect(decodeRgba(gif, 'x.gif', { maxFrames: 2 }).frames).toHaveLength(2);
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    expect(decodeRgba(gif, 'x.gif', { maxTotalPixels: 50 }).frames).toHaveLength(2);
    expect(warn.mock.calls.join(' ')).toMatch(/x\.gif: only the first 2 of 3 frames/);
  } finally {
    warn.mockRestore();
  }
  expect(() => encodeGif([ramp(2, 2, 1), ramp(3, 2, 1)])).toThrow(/frames\[1\]/);
});

it('empty, unknown, truncated and corrupt files are FormatErrors naming the file', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(0), /a\.bin: is empty/],
    [new TextEncoder().encode('hello'), /a\.bin: is not a PNG, JPEG, GIF, BMP, TIFF or PNM image/],
    [encodePng(ramp(8, 8, 3)).subarray(0, 40), /a\.bin: is not a readable PNG \(it ends early: truncated\)/],
    [Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2]), /a\.bin: is not a readable JPEG/],
    [encodeGif([ramp(8, 8, 3)]).subarray(0, 9), /a\.bin: (is not a readable GIF|has no frames)/],
    [encodeGif([ramp(8, 8, 3)]).subarray(0, 40), /a\.bin: (is not a readable GIF|has no frames|frame 0 of the GIF cannot be decoded)/],
  ];
  for (const [bytes, message] of cases) {
    expect(() => decodeRgba(bytes, 'a.bin')).toThrow(FormatError);
    expect(() => decodeRgba(bytes, 'a.bin')).toThrow(message);
  }
});
