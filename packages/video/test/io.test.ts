import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FormatError } from '@ebm/core';
import { clipFrames, createClip, decodeGif, encodeGif, encodePng, FfmpegMissingError, findFfmpeg, frameStrip, loadClip, parsePpmStream, proceduralVideo, saveFrames, saveGif, VideoFormatError, type Clip } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-video-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A gray clip whose pixel values are exact at 8 bits. */
function grayClip(frames: number, h: number, w: number): Clip {
  const c = createClip(frames, h, w, 1);
  for (let i = 0; i < c.data.length; i++) c.data[i] = ((i * 37 + Math.floor(i / (h * w)) * 11) % 256) / 255;
  return c;
}

const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

describe('GIF', () => {
  it('a gray clip round-trips exactly, frame count, size and fps included', () => {
    const clip = { ...grayClip(5, 6, 7), fps: 10 };
    const back = decodeGif(encodeGif(clip), 'x.gif');
    expect([back.frames, back.height, back.width]).toEqual([5, 6, 7]);
    expect(back.fps).toBeCloseTo(10);
    // Decoded as RGB; every channel holds the gray value.
    for (let p = 0; p < clip.data.length; p++) expect(back.data[3 * p]).toBeCloseTo(clip.data[p]!, 6);
  });

  it('a colour clip comes back within the dithered palette error', () => {
    const clip = proceduralVideo({ frames: 4, size: 16 });
    const back = decodeGif(encodeGif(clip), 'waves.gif');
    expect(back.channels).toBe(3);
    expect(meanAbs(back.data, clip.data)).toBeLessThan(0.08);
  });

  it('loadClip reads a GIF file as gray when every frame is gray', async () => {
    const p = join(dir, 'gray.gif');
    await saveGif(p, grayClip(3, 4, 4));
    const back = await loadClip(p);
    expect(back.channels).toBe(1);
    expect(back.frames).toBe(3);
    expect((await loadClip(p, { maxFrames: 2 })).frames).toBe(2);
  });
});

describe('frame folders', () => {
  it('PNG frames load in natural name order (frame2 before frame10)', async () => {
    const d = join(dir, 'order');
    await mkdir(d);
    for (let t = 0; t < 12; t++) {
      const f = { width: 2, height: 2, channels: 1 as const, data: new Float32Array(4).fill(t / 20) };
      await writeFile(join(d, `frame${t}.png`), encodePng(f));
    }
    await writeFile(join(d, 'notes.txt'), 'not a frame');
    const clip = await loadClip(d);
    expect(clip.frames).toBe(12);
    expect(clipFrames(clip).map((f) => Math.round(f.data[0]! * 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('saveFrames then loadClip gives the clip back (8-bit)', async () => {
    const clip = proceduralVideo({ frames: 3, size: 8 });
    const d = join(dir, 'saved');
    await saveFrames(d, clip);
    const back = await loadClip(d);
    expect(back.channels).toBe(3);
    expect(meanAbs(back.data, clip.data)).toBeLessThan(1 / 255);
  });

  it('a frame of another size, an empty folder and a damaged frame are errors naming the file', async () => {
    const d = join(dir, 'mixed');
    await mkdir(d);
    await writeFile(join(d, 'a.png'), encodePng({ width: 4, height: 4, channels: 1, data: new Float32Array(16) }));
    await writeFile(join(d, 'b.png'), encodePng({ width: 5, height: 4, channels: 1, data: new Float32Array(20) }));
    await expect(loadClip(d)).rejects.toThrow(/b\.png: is 5×4; the folder's first frame \(a\.png\) is 4×4/);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(loadClip(empty)).rejects.toThrow(/empty: holds no frames/);
    const broken = join(dir, 'broken');
    await mkdir(broken);
    await writeFile(join(broken, 'f1.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await expect(loadClip(broken)).rejects.toThrow(/f1\.jpg: is not a readable JPEG/);
  });
});

describe('files that are not clips', () => {
  it('are refused with a VideoFormatError naming them', async () => {
    await expect(loadClip(join(dir, 'missing.gif'))).rejects.toThrow(/missing\.gif: cannot be read \(ENOENT\)/);
    const empty = join(dir, 'empty.gif');
    await writeFile(empty, '');
    await expect(loadClip(empty)).rejects.toThrow(/empty\.gif: is empty/);
    const png = join(dir, 'still.png');
    await writeFile(png, encodePng({ width: 2, height: 2, channels: 1, data: new Float32Array(4) }));
    await expect(loadClip(png)).rejects.toThrow(/still\.png: is a single PNG image; a clip is an animated GIF, a folder of frames or a video file/);
    const txt = join(dir, 'notes.gif');
    await writeFile(txt, 'hello world');
    await expect(loadClip(txt)).rejects.toBeInstanceOf(FormatError);
  });

  it('damaged GIF bytes never escape the codec: 150 seeded mutations', () => {
    const good = encodeGif(proceduralVideo({ frames: 3, size: 8 }));
    let seed = 1;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const quiet = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (let k = 0; k < 150; k++) {
        const b = good.slice(0, k % 3 === 0 ? Math.floor(rand() * good.length) : good.length);
        for (let j = 0; j < 1 + (k % 5); j++) b[6 + Math.floor(rand() * (b.length - 6))] = Math.floor(rand() * 256);
        try {
          const clip = decodeGif(b, `m${k}.gif`);
          expect(clip.frames).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(VideoFormatError);
          expect((e as Error).message).toContain(`m${k}.gif`);
        }
      }
    } finally {
      quiet.mockRestore();
    }
  });
});

describe('video files', () => {
  it('without ffmpeg, a video file gets an error that says how to install it', async () => {
    const p = join(dir, 'clip.mp4');
    await writeFile(p, 'not read');
    const saved = { ...process.env };
    process.env.EBM_FFMPEG = join(dir, 'no-such-ffmpeg');
    try {
      await expect(loadClip(p)).rejects.toBeInstanceOf(FfmpegMissingError);
      await expect(loadClip(p)).rejects.toThrow(/clip\.mp4: reading this video needs ffmpeg.*apt install ffmpeg/);
    } finally {
      process.env = saved;
    }
  });

  it("ffmpeg's PPM stream is parsed, comments and a partial last frame included", () => {
    const head = (s: string) => Buffer.from(s, 'latin1');
    const stream = Buffer.concat([head('P6\n# by ffmpeg\n2 1\n255\n'), Buffer.from([255, 0, 0, 0, 0, 255]), head('P6 2 1 255\n'), Buffer.from([0, 255, 0, 0, 0, 0]), head('P6\n2 1\n255\n'), Buffer.from([1, 2])]);
    const frames = parsePpmStream(stream, 'v.mp4');
    expect(frames).toHaveLength(2);
    expect(Array.from(frames[0]!.data)).toEqual([1, 0, 0, 0, 0, 1]);
    expect(Array.from(frames[1]!.data)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(() => parsePpmStream(head('P5\n2 1\n255\n'), 'v.mp4')).toThrow(/v\.mp4: ffmpeg's frame 0 is not a binary PPM/);
  });

  const ffmpeg = findFfmpeg();
  // Runs where ffmpeg is installed (CI puts a static build on EBM_FFMPEG); the skip says why.
  const withFfmpeg = ffmpeg ? it : it.skip;
  withFfmpeg(`reads an AVI written by ffmpeg (frames, size, values) and names a damaged video file${ffmpeg ? '' : ' [skipped: no ffmpeg on PATH and no EBM_FFMPEG]'}`, async () => {
    const clip = proceduralVideo({ frames: 6, size: 16 });
    const frames = join(dir, 'for-avi');
    await saveFrames(frames, clip);
    const avi = join(dir, 'waves.avi');
    await promisify(execFile)(ffmpeg!, ['-v', 'error', '-framerate', '12', '-i', join(frames, 'frame-%05d.png'), '-c:v', 'mjpeg', '-q:v', '2', '-y', avi]);
    const back = await loadClip(avi);
    expect([back.frames, back.height, back.width, back.channels]).toEqual([6, 16, 16, 3]);
    expect(back.fps).toBeCloseTo(12);
    expect(meanAbs(back.data, clip.data)).toBeLessThan(0.05);
    expect((await loadClip(avi, { maxFrames: 4, maxSide: 8 })).frames).toBe(4);
    expect((await loadClip(avi, { maxSide: 8 })).width).toBe(8);
    const bad = join(dir, 'bad.mp4');
    await writeFile(bad, (await readFile(avi)).subarray(0, 100));
    await expect(loadClip(bad)).rejects.toThrow(/bad\.mp4: (could not be read by ffmpeg|has no video frames)/);
  });
});

it('frameStrip lays out a row per clip and a column per shown frame', () => {
  const a = proceduralVideo({ frames: 6, size: 8 });
  const b = proceduralVideo({ frames: 3, size: 8, seed: 1 });
  const s = frameStrip([a, b], { every: 2, scale: 2, pad: 1 });
  expect([s.width, s.height]).toEqual([3 * 16 + 4, 2 * 16 + 3]);
  expect(() => frameStrip([a, proceduralVideo({ frames: 3, size: 9 })])).toThrow(/clips\[1\]/);
});
