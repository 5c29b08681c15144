import { applyMask, clipPsnr, createClip, nearestFrameDistance, noiseLike, occlusionMask, ownNearestFrameDistance, proceduralVideo, spatialDistance, staticLike, temporalDistance, temporalFill } from '../src';

const waves = proceduralVideo({ frames: 16, size: 32, seed: 0 });

describe('motion and texture distances', () => {
  it('temporalDistance: 0 for the video itself, exactly 1 for a still clip, small for other waves, large for noise', () => {
    expect(temporalDistance([waves], [waves])).toBe(0);
    expect(temporalDistance([staticLike(waves, 3)], [waves])).toBeCloseTo(1, 12);
    // The same process with other phases and noise: the statistics, not the pixels, agree.
    const other = proceduralVideo({ frames: 16, size: 32, seed: 5 });
    const d = temporalDistance([other], [waves]);
    const noise = temporalDistance([noiseLike(waves, 1)], [waves]);
    expect(d).toBeLessThan(0.3);
    expect(noise).toBeGreaterThan(0.9);
    expect(() => temporalDistance([waves], [staticLike(waves)])).toThrow(/a moving reference/);
  });

  it('spatialDistance: other waves far closer than noise of the same mean and variance', async () => {
    const other = proceduralVideo({ frames: 16, size: 32, seed: 5 });
    const d = await spatialDistance([other], [waves]);
    const noise = await spatialDistance([noiseLike(waves, 1)], [waves]);
    expect(d).toBeLessThan(0.5 * noise);
  });

  it('nearest-frame distances: 0 for copies; the video’s own frames are apart', () => {
    expect(nearestFrameDistance([waves], [waves])).toBe(0);
    const own = ownNearestFrameDistance(waves);
    expect(own).toBeGreaterThan(0.02);
    expect(nearestFrameDistance([proceduralVideo({ frames: 16, size: 32, seed: 5 })], [waves])).toBeGreaterThan(own);
  });

  it('noiseLike keeps each channel’s mean and variance', () => {
    const n = noiseLike(waves, 3, 32);
    const stats = (d: Float32Array, k: number) => {
      const v = d.filter((_, i) => i % 3 === k);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return [m, v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length];
    };
    for (let k = 0; k < 3; k++) {
      const [m0, v0] = stats(waves.data, k);
      const [m1, v1] = stats(n.data, k);
      expect(m1).toBeCloseTo(m0!, 2);
      expect(v1! / v0!).toBeGreaterThan(0.8);
      expect(v1! / v0!).toBeLessThan(1.1);
    }
  });
});

describe('occlusion', () => {
  it('masks hide the share asked for, and frame runs have observed frames on both sides', () => {
    const hidden = (m: Float32Array) => 1 - m.reduce((a, b) => a + b, 0) / m.length;
    expect(hidden(occlusionMask(16, 32, 32, { kind: 'pixels' }, 1))).toBeCloseTo(0.5, 1);
    expect(hidden(occlusionMask(4, 32, 32, { kind: 'region', fraction: 0.25 }))).toBeCloseTo(0.25, 6);
    const f = occlusionMask(16, 2, 2, { kind: 'frames', fraction: 0.25 });
    const perFrame = Array.from({ length: 16 }, (_, t) => f[t * 4]);
    expect(perFrame.filter((v) => v === 0)).toHaveLength(4);
    expect(perFrame[0]).toBe(1);
    expect(perFrame[15]).toBe(1);
    expect(() => occlusionMask(4, 2, 2, { kind: 'frames', fraction: 0.9 })).toThrow(/leaves observed frames/);
    expect(() => occlusionMask(4, 2, 2, { kind: 'blur' } as never)).toThrow(/'region', 'pixels' or 'frames'/);
  });

  it('temporalFill averages the nearest observed frames; a linear ramp in time is filled exactly', () => {
    const ramp = createClip(8, 2, 2, 1);
    for (let t = 0; t < 8; t++) ramp.data.fill(t / 10, t * 4, (t + 1) * 4);
    const mask = new Float32Array(32).fill(1);
    mask.fill(0, 3 * 4, 4 * 4); // frame 3 hidden
    const filled = temporalFill(applyMask(ramp, mask), mask);
    for (let p = 12; p < 16; p++) expect(filled.data[p]).toBeCloseTo(0.3, 6);
    expect(clipPsnr(filled, ramp, mask)).toBeGreaterThan(100);
    // A region hidden in every frame falls back to the frame's observed mean.
    const region = occlusionMask(8, 2, 2, { kind: 'region', fraction: 0.25 });
    const r = temporalFill(ramp, region);
    expect(r.data[0]).toBeCloseTo(0, 6);
  });

  it('clipPsnr is 20 dB for an error of 0.1 everywhere', () => {
    const a = createClip(2, 3, 3, 1, 0.5);
    const b = createClip(2, 3, 3, 1, 0.6);
    expect(clipPsnr(b, a)).toBeCloseTo(20, 4);
  });
});
