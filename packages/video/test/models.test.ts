import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { initBackend, inferShapes, paramCount, tf } from '@ebm/core';
import { applyMask, chainClips, dynamicTexture, evenCrops, pixelClamp, fcsLargeNet, fcsNet, fcsNetCpu, learnFromIncomplete, occlusionMask, presets, proceduralVideo, stNet, stNetCpu, synthesize, withFrames } from '../src';

beforeAll(async () => {
  await initBackend();
});

const outShape = (spec: Parameters<typeof inferShapes>[0]) => inferShapes(spec).shapes.at(-1);

describe('nets', () => {
  it('the official STGConvNet nets have the paper’s shapes', () => {
    // ST at 70 × 100²: strides 7, 3, (1, 2, 2) with SAME padding.
    expect(outShape(stNet())).toEqual([4, 3, 3, 20]);
    // FC_S: the second layer spans the whole frame; temporal responses remain.
    expect(outShape(fcsNet())).toEqual([15, 1, 1, 5]);
    // FC_S_large at 224²: 75² after the first layer, time padded by 2 on both sides.
    expect(outShape(fcsLargeNet())).toEqual([12, 1, 1, 5]);
    expect(paramCount(stNet())).toBe(15 ** 3 * 3 * 120 + 120 + 7 ** 3 * 120 * 40 + 40 + 18 * 40 * 20 + 20);
  });

  it('the CPU nets fit 16 × 32² clips and rebuild for other lengths', () => {
    expect(outShape(stNetCpu())).toEqual([4, 4, 4, 32]);
    expect(outShape(fcsNetCpu())).toEqual([2, 1, 1, 5]);
    expect(outShape(withFrames(stNetCpu(), 24))).toEqual([6, 4, 4, 32]);
    expect(() => stNetCpu(1, 32)).toThrow(/frames must be an integer ≥ 2/);
    expect(() => fcsNetCpu(4, 32)).toThrow(/at least 7/);
  });

  it('presets carry the paper’s sampler and optimizer, and say where they come from', () => {
    for (const p of Object.values(presets)) {
      expect(p.sampler).toEqual({ numSteps: 20, stepSize: 0.3, refSigma: 1 });
      expect(p.train.optimizer).toEqual({ learningRate: 1e-3, beta1: 0.5 });
      expect(p.init).toMatchObject({ kind: 'persistent', count: 3 });
      expect(p.source).toMatch(/STGConvNet|Scaled down/);
    }
    expect(presets.st.train.accumulate).toBe('epoch');
  });
});

describe('dynamic textures', () => {
  const video = proceduralVideo({ frames: 12, size: 16, seed: 2 });
  const preset = { ...presets.stCpu, net: stNetCpu(8, 16, 3) };

  it('a longer video is used as evenly spaced crops covering it', () => {
    const crops = evenCrops(video, 8, 4);
    expect(crops).toHaveLength(2);
    expect(crops[1]!.data).toEqual(video.data.slice(4 * 16 * 16 * 3));
  });

  it('trains without leaking tensors, and synthesizes the chains and a longer clip', async () => {
    const model = dynamicTexture(video, { preset, iterations: 3, seed: 1 });
    let steps = 0;
    const counts: number[] = [];
    for await (const e of model.events) if (e.type === 'step') (steps++, counts.push(tf.memory().numTensors));
    expect(steps).toBe(3);
    expect(counts[2]).toBe(counts[1]);
    const syn = await chainClips(model);
    expect(syn.map((c) => [c.frames, c.height, c.width, c.channels])).toEqual([[8, 16, 16, 3], [8, 16, 16, 3], [8, 16, 16, 3]]);
    const before = tf.memory().numTensors;
    const long = await synthesize(model, { frames: 12, steps: 5, count: 2, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(long).toHaveLength(2);
    expect(long[0]!.frames).toBe(12);
    expect(long[0]!.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    model.dispose();
  });

  it('chains stay inside the pixel range of a high-contrast video', async () => {
    // Black and white squares blinking: the kind of clip that drove unclamped chains far outside [0, 255].
    const blink = proceduralVideo({ frames: 8, size: 16 });
    blink.data.forEach((_, i) => (blink.data[i] = (Math.floor(i / (3 * 4)) + Math.floor(i / (16 * 16 * 3))) % 2));
    const model = dynamicTexture(blink, { preset, iterations: 3, seed: 2 });
    for await (const _ of model.events);
    const [lo, hi] = pixelClamp(model.offset);
    expect(hi - lo).toBeCloseTo(255, 3);
    expect(model.preset.sampler.clamp).toEqual([lo, hi]);
    const state = model.chains.state()!;
    expect(Math.min(...state)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...state)).toBeLessThanOrEqual(hi);
    model.dispose();
  });

  it('a video shorter than the net gets a net of its length', async () => {
    const short = proceduralVideo({ frames: 5, size: 16 });
    const model = dynamicTexture(short, { preset, iterations: 1 });
    expect(model.net.inputShape).toEqual([5, 16, 16, 3]);
    for await (const _ of model.events);
    model.dispose();
  });

  it('a seed reproduces a run in another process, bit for bit', async () => {
    const script = `
      import { initBackend } from '@ebm/core';
      import { chainClips, dynamicTexture, presets, proceduralVideo, stNetCpu } from '@ebm/video';
      import { createHash } from 'node:crypto';
      await initBackend();
      const m = dynamicTexture(proceduralVideo({ frames: 8, size: 16, seed: 2 }), { preset: { ...presets.stCpu, net: stNetCpu(8, 16, 3) }, iterations: 2, seed: 7 });
      for await (const _ of m.events);
      const c = await chainClips(m);
      console.log(createHash('sha256').update(Buffer.concat(c.map((x) => Buffer.from(x.data.buffer)))).digest('hex'));
    `;
    const run = () => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: join(__dirname, '..'), env: { ...process.env, EBM_BACKEND: 'cpu' } });
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(b.stdout.trim()).toBe(a.stdout.trim());
  });
});

describe('learning from an incomplete video', () => {
  it('moves only the hidden pixels, and starts from the temporal fill', async () => {
    const video = proceduralVideo({ frames: 8, size: 16, seed: 4 });
    const mask = occlusionMask(8, 16, 16, { kind: 'pixels', fraction: 0.5 }, 2);
    const model = learnFromIncomplete(applyMask(video, mask), mask, { preset: { ...presets.stCpu, net: stNetCpu(8, 16, 3) }, iterations: 2, seed: 0 });
    const start = await model.recovered();
    for await (const _ of model.events);
    const rec = await model.recovered();
    let hiddenMoved = 0;
    for (let p = 0; p < mask.length; p++) {
      for (let k = 0; k < 3; k++) {
        const i = p * 3 + k;
        if (mask[p] === 1) expect(Math.abs(rec.data[i]! - video.data[i]!)).toBeLessThan(1e-4);
        else if (Math.abs(rec.data[i]! - start.data[i]!) > 1e-3) hiddenMoved++;
      }
    }
    expect(hiddenMoved).toBeGreaterThan(0.5 * (mask.length - mask.reduce((a, b) => a + b, 0)) * 3);
    model.dispose();
  });
});
