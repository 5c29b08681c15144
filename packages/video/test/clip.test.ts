import { tf } from '@ebm/core';
import { centerSquareClip, clipChannels, clipFrame, clipFromFrames, clipsToTensor, createClip, cropFrames, proceduralVideo, resizeClip, tensorToClips } from '../src';

it('resizeClip averages footprints when shrinking, keeps constants, and resamples time', () => {
  const c = createClip(2, 4, 4, 1);
  for (let i = 0; i < c.data.length; i++) c.data[i] = (i % 16) / 16;
  const half = resizeClip(c, 2, 2);
  // Each output pixel is the mean of a 2×2 block.
  const block = (y: number, x: number) => [0, 1].flatMap((dy) => [0, 1].map((dx) => ((2 * y + dy) * 4 + 2 * x + dx) / 16)).reduce((a, b) => a + b) / 4;
  expect(Array.from(clipFrame(half, 1).data)).toEqual([block(0, 0), block(0, 1), block(1, 0), block(1, 1)].map((v) => expect.closeTo(v, 6)));
  const flat = createClip(3, 5, 7, 3, 0.25);
  const big = resizeClip(flat, 11, 9, 5);
  expect([big.frames, big.height, big.width]).toEqual([5, 9, 11]);
  for (const v of big.data) expect(v).toBeCloseTo(0.25, 6);
  // Halving time averages frame pairs.
  const t = createClip(4, 1, 1, 1);
  t.data.set([0, 0.2, 0.4, 0.6]);
  expect(Array.from(resizeClip(t, 1, 1, 2).data)).toEqual([expect.closeTo(0.1, 6), expect.closeTo(0.5, 6)]);
});

it('crops, centre squares, channels and tensors keep the layout', async () => {
  const v = proceduralVideo({ frames: 5, size: 6 });
  const c = cropFrames(v, 1, 3);
  expect(c.frames).toBe(3);
  expect(clipFrame(c, 0).data).toEqual(clipFrame(v, 1).data);
  expect(() => cropFrames(v, 3, 3)).toThrow(/inside the clip's 5 frames/);
  const wide = clipFromFrames([{ width: 6, height: 4, channels: 1, data: Float32Array.from({ length: 24 }, (_, i) => i / 24) }]);
  const sq = centerSquareClip(wide);
  expect([sq.height, sq.width]).toEqual([4, 4]);
  expect(sq.data[0]).toBeCloseTo(1 / 24);
  const gray = clipChannels(v, 1);
  expect(gray.data[0]).toBeCloseTo((v.data[0]! + v.data[1]! + v.data[2]!) / 3);
  const before = tf.memory().numTensors;
  const x = clipsToTensor([v, v], [-1, 1]);
  expect(x.shape).toEqual([2, 5, 6, 6, 3]);
  const back = await tensorToClips(x, [-1, 1]);
  x.dispose();
  expect(tf.memory().numTensors).toBe(before);
  for (let i = 0; i < v.data.length; i += 97) expect(back[1]!.data[i]).toBeCloseTo(v.data[i]!, 5);
  expect(() => clipsToTensor([v, c], [0, 1])).toThrow(/clip 1 is 3×6×6×3, clip 0 is 5×6×6×3/);
});
