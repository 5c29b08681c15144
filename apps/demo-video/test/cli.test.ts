import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contractTests, demoCli, expectFiles, lastLine, readMetrics } from '@ebm/demo-kit/testing';
import { encodeGif, proceduralVideo, saveFrames, saveGif } from '@ebm/video';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-video-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = demoCli(MAIN);

it('synthesize --smoke learns the procedural waves and scores motion and texture against baselines', async () => {
  const out = join(dir, 'synthesize');
  const r = await cli('synthesize', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'synthesize', size: 16, frames: 8, videoFrames: 12, longFrames: 12, chains: 3 });
  for (const k of ['spatialDistance', 'spatialDistanceNoise', 'temporalDistance', 'temporalDistanceNoise', 'nearestCopyL2', 'trainToTrainL2', 'spatialDistanceLong', 'temporalDistanceLong']) expect(m[k]).toBeGreaterThan(0);
  // A still clip has no motion at all: its distance is 1 by construction.
  expect(m.temporalDistanceStatic).toBeCloseTo(1, 9);
  await expectFiles(out, ['frames.png', 'observed.gif', 'synthesized.gif', 'long.gif', 'curves.png', 'report.html']);
});

it('recover --smoke reports PSNR for hidden pixels and hidden frames against the temporal fill', async () => {
  const out = join(dir, 'recover');
  const r = await cli('recover', '--smoke', '--out', out);
  expect(r.code).toBe(0);
  const m = await readMetrics(out);
  expect(m).toMatchObject({ task: 'recover', hiddenFramesFraction: 0.25, frames: 8 });
  expect(m.hiddenPixelsFraction).toBeGreaterThan(0.4);
  for (const k of ['psnrPixels', 'psnrPixelsBaseline', 'psnrFrames', 'psnrFramesBaseline']) expect(m[k]).toBeGreaterThan(0);
  await expectFiles(out, ['recovery.png', 'recovery.gif', 'report.html']);
});

describe('--data', () => {
  it('takes an animated GIF of another size and aspect', async () => {
    const gif = join(dir, 'user.gif');
    const v = proceduralVideo({ frames: 14, size: 40 });
    await saveGif(gif, { ...v, width: 40, height: 20, data: v.data.slice(0, 14 * 20 * 40 * 3) });
    const out = join(dir, 'user-gif');
    const r = await cli('synthesize', '--smoke', '--data', gif, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('user.gif');
    expect((await readMetrics(out)).videoFrames).toBe(12);
  });

  it('takes a folder of PNG frames', async () => {
    const d = join(dir, 'frames');
    await saveFrames(d, proceduralVideo({ frames: 10, size: 24, seed: 3 }));
    const out = join(dir, 'user-frames');
    const r = await cli('recover', '--smoke', '--data', d, '--out', out);
    expect(r.code).toBe(0);
    expect((await readMetrics(out)).frames).toBe(8);
  });

  it('a damaged GIF, a still image, a missing path and a video without ffmpeg each fail in one line', async () => {
    const good = encodeGif(proceduralVideo({ frames: 3, size: 8 }));
    const broken = join(dir, 'broken.gif');
    await writeFile(broken, good.subarray(0, 12));
    const r = await cli('synthesize', '--smoke', '--data', broken);
    expect(r.code).toBe(2);
    expect(lastLine(r)).toMatch(/^demo-video: .*broken\.gif: (is not a readable GIF|has no frames)/);
    const r2 = await cli('synthesize', '--smoke', '--data', join(dir, 'nope.gif'));
    expect(r2.code).toBe(2);
    expect(lastLine(r2)).toMatch(/nope\.gif: cannot be read/);
    const mp4 = join(dir, 'clip.mp4');
    await writeFile(mp4, 'x');
    const noFfmpeg = demoCli(MAIN, { EBM_FFMPEG: join(dir, 'no-ffmpeg') });
    const r3 = await noFfmpeg('recover', '--smoke', '--data', mp4);
    expect(r3.code).toBe(2);
    expect(r3.stderr.trim().split('\n')).toHaveLength(1);
    expect(lastLine(r3)).toMatch(/clip\.mp4: reading this video needs ffmpeg.*apt install ffmpeg/);
    const short = join(dir, 'short.gif');
    await saveGif(short, proceduralVideo({ frames: 2, size: 8 }));
    const r4 = await cli('synthesize', '--smoke', '--data', short);
    expect(r4.code).toBe(2);
    expect(lastLine(r4)).toMatch(/short\.gif: has 2 frames; a dynamic texture needs at least 4/);
  });
});

contractTests({ name: 'demo-video', cli, tasks: ['synthesize', 'recover'], smoke: ['synthesize', '--smoke'], dir: () => dir });
