/**
 * The models on tiny nets and data: each trains without leaking tensors and refuses data of the
 * wrong size; the chains hold observed pixels fixed when inpainting; the classifier learns a
 * separable problem; multigrid chains run coarse to fine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNet, netEnergy, netSpec, ShapeMismatchError, tf, type Preset } from '@ebm/core';
import { cachedClassifier, coopDescriptorNet, coopGeneratorNet, coopPresets, coopRecover, coopRecoveryTraining, coopSample, coopTraining, imageModel, oneHot, recoveryGeneratorNet, centerSquareMask, chainImages, harmonicFill, inpaint, meanFill, multigridNet, multigridTraining, objectNetCpu, objectSynthesis, presets, proceduralTexture, psnr, shortRunNet, shortRunSample, shortRunTraining, textureNetCpu, textureSynthesis, trainClassifier, type Image } from '../src';

const numTensors = () => tf.memory().numTensors;
const drain = async (it: AsyncIterable<{ type: string }>) => {
  let steps = 0;
  for await (const e of it) if (e.type === 'step') steps++;
  return steps;
};
/** Digit-like 12×12 images: a bar at a class-dependent angle. */
const bar = (cls: number, jitter: number): Image => {
  const n = 12;
  const data = new Float32Array(n * n);
  const a = (cls * Math.PI) / 4 + jitter;
  for (let t = -5; t <= 5; t += 0.25) {
    const x = Math.round(5.5 + t * Math.cos(a));
    const y = Math.round(5.5 + t * Math.sin(a));
    if (x >= 0 && x < n && y >= 0 && y < n) data[y * n + x] = 1;
  }
  return { width: n, height: n, channels: 1, data };
};

describe('texture and object models', () => {
  it('texture synthesis trains its persistent chains and returns them as images, without leaks', async () => {
    const before = numTensors();
    const preset: Preset = { ...presets.textureCpu, net: textureNetCpu(32, 3) };
    const m = textureSynthesis(proceduralTexture('bricks', 48, 0), { preset, iterations: 3, runtime: 'onnx' });
    expect(await drain(m.events)).toBe(3);
    const syn = await chainImages(m);
    expect(syn).toHaveLength(3);
    expect(syn[0]).toMatchObject({ width: 32, height: 32, channels: 3 });
    m.dispose();
    expect(numTensors()).toBe(before);
  });

  it('object synthesis brings images to the net size; a model refuses images of another size', () => {
    const imgs = [bar(0, 0), bar(0, 0.1)];
    const m = objectSynthesis(imgs, { preset: { ...presets.objectCpu, net: objectNetCpu(24, 3) }, runtime: 'tfjs' });
    expect(m.data.shape).toEqual([2, 24, 24, 3]);
    m.dispose();
    const preset = { ...presets.objectCpu, net: netSpec([24, 24, 1], [{ type: 'flatten' }, { type: 'dense', units: 1 }]) };
    expect(() => imageModel('test', imgs, [0, 1], new Float32Array(1), { preset })).toThrow(ShapeMismatchError);
  });
});

describe('short-run', () => {
  it('trains from uniform noise and samples noise → K steps, in the pixel range', async () => {
    const before = numTensors();
    const preset: Preset = { ...presets.shortRunDigits, net: shortRunNet(12, 1, 2), sampler: { ...presets.shortRunDigits.sampler, numSteps: 3 }, train: { ...presets.shortRunDigits.train, batchSize: 4, numSynthesized: 4 } };
    const m = shortRunTraining([0, 1, 2, 3].map((c) => bar(c, 0)), { preset, iterations: 2, runtime: 'tfjs' });
    expect(await drain(m.events)).toBe(2);
    const s = await shortRunSample(m.energy, preset, 5, 1, 2);
    expect(s).toHaveLength(5);
    expect(s.every((i) => i.data.every((v) => v >= 0 && v <= 1))).toBe(true);
    m.dispose();
    expect(numTensors()).toBe(before);
  });
});

describe('inpaint', () => {
  it('moves only hidden pixels, starting them at the observed mean', async () => {
    const net = createNet(objectNetCpu(12, 1), { seed: 1, runtime: 'tfjs' });
    const energy = netEnergy(net);
    const x = tf.randomUniform([2, 12, 12, 1], -1, 1, 'float32', 3);
    const mask = centerSquareMask(2, 12, 12, 0.25);
    const out = await inpaint(energy, x, mask, { sampler: { numSteps: 3, stepSize: 0.1, refSigma: 1, noiseScale: 0 } });
    const [xv, ov, mv] = await Promise.all([x.data(), out.data(), mask.data()]);
    let moved = 0;
    for (let i = 0; i < xv.length; i++) {
      if (mv[i]) expect(ov[i]).toBe(xv[i]);
      else if (Math.abs(ov[i]! - xv[i]!) > 1e-3) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    expect(Array.from(mv).filter((v) => v === 0).length).toBe(2 * 36);
    expect(await psnr(x, x)).toBeGreaterThan(100);
    // The mean of noisy chains: observed pixels still exact, and the same seed gives the same mean.
    const sampler = { numSteps: 3, stepSize: 0.1, refSigma: 1, noiseScale: 1 };
    const avg = await inpaint(energy, x, mask, { sampler, average: 3, seed: 4 });
    const again = await inpaint(energy, x, mask, { sampler, average: 3, seed: 4 });
    const [av, gv] = await Promise.all([avg.data(), again.data()]);
    for (let i = 0; i < xv.length; i++) if (mv[i]) expect(av[i]).toBeCloseTo(xv[i]!, 6);
    expect(Array.from(gv)).toEqual(Array.from(av));
    await expect(inpaint(energy, x, mask, { sampler, average: 0 })).rejects.toThrow(/average/);
    tf.dispose([x, mask, out, avg, again]);
    net.dispose();
  });
});

describe('inpaint from noise', () => {
  it('starts each chain from its own noise in the hidden pixels, so noise-free chains differ', async () => {
    const net = createNet(objectNetCpu(12, 1), { seed: 1, runtime: 'tfjs' });
    const energy = netEnergy(net);
    const x = tf.randomUniform([2, 12, 12, 1], -0.5, 0.5, 'float32', 3);
    const mask = centerSquareMask(2, 12, 12, 0.25);
    const before = numTensors();
    // One noise-free step of a tiny size: the result is the start, up to 1e-3.
    const sampler = { numSteps: 1, stepSize: 1e-3, refSigma: 1, noiseScale: 0, clamp: [-1, 1] as [number, number] };
    const [a, b, mean] = [await inpaint(energy, x, mask, { sampler, start: 'noise', seed: 1 }), await inpaint(energy, x, mask, { sampler, start: 'noise', seed: 2 }), await inpaint(energy, x, mask, { sampler, start: 'noise', seed: 1, average: 2 })];
    const [xv, av, bv, mv, meanv] = await Promise.all([x.data(), a.data(), b.data(), mask.data(), mean.data()]);
    let differ = 0;
    let outside = 0;
    for (let i = 0; i < xv.length; i++) {
      if (mv[i]) expect(av[i]).toBe(xv[i]);
      else {
        if (Math.abs(av[i]! - bv[i]!) > 0.01) differ++;
        if (Math.abs(av[i]!) > 0.5) outside++;
      }
    }
    // 72 hidden pixels of uniform noise in [−1, 1]: most differ between seeds, about half lie
    // outside the data's [−0.5, 0.5].
    expect(differ).toBeGreaterThan(60);
    expect(outside).toBeGreaterThan(20);
    // The mean of two chains has less spread than one chain's noise.
    const spread = (v: Float32Array | Int32Array | Uint8Array) => Array.from(v).reduce((s, u, i) => s + (mv[i] ? 0 : u * u), 0);
    expect(spread(meanv)).toBeLessThan(spread(av));
    tf.dispose([a, b, mean]);
    expect(numTensors()).toBe(before);
    tf.dispose([x, mask]);
    net.dispose();
  });
});

describe('harmonicFill', () => {
  it('reproduces a linear ramp inside the hole (a ramp is harmonic), per channel, keeping observed pixels', () => {
    const before = numTensors();
    const [h, w] = [10, 12];
    const v = new Float32Array(h * w * 2);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      v[(y * w + x) * 2] = 0.1 * x - 0.05 * y;
      v[(y * w + x) * 2 + 1] = -0.3 + 0.07 * y;
    }
    const img = tf.tensor4d(v, [1, h, w, 2]);
    const mask = centerSquareMask(1, h, w, 0.36);
    const out = harmonicFill(img, mask);
    const full = tf.broadcastTo(mask, img.shape);
    const [ov, mv] = [out.dataSync(), full.dataSync()];
    let hidden = 0;
    for (let i = 0; i < v.length; i++) {
      if (mv[i]) expect(ov[i]).toBe(v[i]);
      else (hidden++, expect(Math.abs(ov[i]! - v[i]!)).toBeLessThan(1e-3));
    }
    expect(hidden).toBe(2 * 6 * 7);
    // The mean fill misses the ramp; the harmonic fill does not.
    const mean = meanFill(img, mask);
    expect(Math.max(...Array.from(mean.dataSync(), (m, i) => (mv[i] ? 0 : Math.abs(m - v[i]!))))).toBeGreaterThan(0.1);
    tf.dispose([img, mask, out, mean, full]);
    expect(numTensors()).toBe(before);
  });

  it('fills a hole touching the border and leaves an all-hidden image at 0', () => {
    const x = tf.ones([2, 4, 4, 1]);
    const m = new Float32Array(32).fill(1);
    m.fill(0, 0, 4); // first image: its top row hidden, the rest observed at 1
    m.fill(0, 16, 32); // second image: all hidden
    const mask = tf.tensor4d(m, [2, 4, 4, 1]);
    const out = harmonicFill(x, mask).dataSync();
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo(1, 4);
    for (let i = 16; i < 32; i++) expect(out[i]).toBe(0);
    expect(() => harmonicFill(tf.ones([4, 4]), mask)).toThrow(/images/);
    tf.dispose([x, mask]);
  });
});

describe('cooperative learning', () => {
  const bars = Array.from({ length: 8 }, (_, i) => bar(i % 4, 0.1 * i));
  const tiny = (conditional: boolean) => ({
    ...(conditional ? coopPresets.digitsConditional : coopPresets.digits),
    descriptor: coopDescriptorNet(12, 1, 0.1, conditional ? 4 : undefined),
    generator: coopGeneratorNet(12, 1, 4, 4, conditional ? 4 : undefined),
    sampler: { ...coopPresets.digits.sampler, numSteps: 2 },
    train: { ...coopPresets.digits.train, batchSize: 4 },
  });

  it("builds the official nets with the papers' shapes", () => {
    expect(coopGeneratorNet(28).layers.find((l) => l.type === 'reshape')).toEqual({ type: 'reshape', shape: [7, 7, 128] });
    expect(coopGeneratorNet(64, 3).layers.find((l) => l.type === 'reshape')).toEqual({ type: 'reshape', shape: [4, 4, 512] });
    expect(coopPresets.mnistConditional.descriptor.inputs).toEqual({ label: [10] });
    expect(coopPresets.mnistConditional.generator.input).toEqual([128]);
    expect(() => coopGeneratorNet(27)).toThrow(/even size/);
  });

  it('trains a pair, samples generator-only and revised images, without leaks', async () => {
    const before = numTensors();
    const m = coopTraining(bars, { preset: tiny(false), iterations: 2, runtime: 'tfjs' });
    expect(await drain(m.events)).toBe(2);
    const s = await coopSample(m, 5, { seed: 1, batch: 3 });
    expect(s.proposed).toHaveLength(5);
    expect(s.revised).toHaveLength(5);
    expect(s.revised[0]).toMatchObject({ width: 12, height: 12, channels: 1 });
    expect(s.revised.every((i) => i.data.every((v) => v >= 0 && v <= 1))).toBe(true);
    expect(s.revised[0]!.data).not.toEqual(s.proposed[0]!.data);
    const again = await coopSample(m, 5, { seed: 1, batch: 3 });
    expect(again.revised.map((i) => Array.from(i.data))).toEqual(s.revised.map((i) => Array.from(i.data)));
    expect(m.generator.mode).toBe('train');
    m.dispose();
    expect(numTensors()).toBe(before);
  });

  it('class-conditional: needs a class per image and per sample', async () => {
    const before = numTensors();
    expect(() => coopTraining(bars, { preset: tiny(true), runtime: 'tfjs' })).toThrow(/a class per image/);
    expect(() => coopTraining(bars, { preset: tiny(false), labels: [0, 1, 2, 3, 0, 1, 2, 3], runtime: 'tfjs' })).toThrow(/class-conditional preset/);
    const m = coopTraining(bars, { preset: tiny(true), labels: [0, 1, 2, 3, 0, 1, 2, 3], iterations: 2, runtime: 'tfjs' });
    expect(await drain(m.events)).toBe(2);
    await expect(coopSample(m, 4)).rejects.toThrow(/class-conditional/);
    expect((await coopSample(m, 4, { labels: [0, 1, 2, 3] })).revised).toHaveLength(4);
    expect(() => oneHot([4], 4)).toThrow(/a class in 0…3/);
    m.dispose();
    expect(numTensors()).toBe(before);
  });

  it('recovery: the initializer sees image and mask; observed pixels stay exact', async () => {
    const before = numTensors();
    const mask = centerSquareMask(1, 12, 12, 0.25);
    const preset = { ...coopPresets.digitsRecovery, descriptor: coopDescriptorNet(12, 1, 0.1), generator: recoveryGeneratorNet(12, 1, 4, 1), sampler: { ...coopPresets.digitsRecovery.sampler, numSteps: 2 }, train: { ...coopPresets.digitsRecovery.train, batchSize: 4 } };
    const m = coopRecoveryTraining(bars, { preset, mask, iterations: 2, runtime: 'tfjs' });
    expect(m.conditions.shape).toEqual([8, 12, 12, 2]);
    expect(await drain(m.events)).toBe(2);
    const truth = tf.randomUniform([3, 12, 12, 1], -1, 1, 'float32', 2);
    const m3 = centerSquareMask(3, 12, 12, 0.25);
    const { proposed, revised } = await coopRecover(m, truth, m3, { seed: 3 });
    const [tv, pv, rv, mv] = await Promise.all([truth.data(), proposed.data(), revised.data(), m3.data()]);
    let moved = 0;
    for (let i = 0; i < tv.length; i++) {
      if (mv[i]) expect([pv[i], rv[i]]).toEqual([tv[i], tv[i]]);
      else if (rv[i] !== pv[i]) moved++;
    }
    expect(moved).toBeGreaterThan(0);
    tf.dispose([mask, truth, m3, proposed, revised]);
    m.dispose();
    expect(numTensors()).toBe(before);
    const wrong = { ...preset, generator: recoveryGeneratorNet(12, 3) };
    expect(() => coopRecoveryTraining(bars, { preset: wrong, mask })).toThrow(/needs \[12, 12, 2\]/);
  });
});

describe('classifier', () => {
  it('learns a separable 4-class problem and caches itself on disk', async () => {
    const imgs: Image[] = [];
    const labels: number[] = [];
    for (let k = 0; k < 160; k++) {
      imgs.push(bar(k % 4, 0.15 * Math.sin(k)));
      labels.push(k % 4);
    }
    const dir = await mkdtemp(join(tmpdir(), 'ebm-classifier-'));
    try {
      const { classifier, cached } = await cachedClassifier(imgs, labels, { cacheDir: dir, epochs: 8, batchSize: 16, runtime: 'onnx', learningRate: 5e-3 });
      expect(cached).toBe(false);
      const test = [0, 1, 2, 3].map((c) => bar(c, 0.05));
      expect(await classifier.accuracy(test, [0, 1, 2, 3])).toBe(1);
      expect((await classifier.features(test))[0]).toHaveLength(64);
      const again = await cachedClassifier(imgs, labels, { cacheDir: dir, epochs: 8, batchSize: 16, runtime: 'onnx', learningRate: 5e-3 });
      expect(again.cached).toBe(true);
      expect(await again.classifier.predict(test)).toEqual(await classifier.predict(test));
      // Other settings are another classifier: retrained, not read from the cache.
      const other = await cachedClassifier(imgs, labels, { cacheDir: dir, epochs: 1, batchSize: 16, runtime: 'onnx' });
      expect(other.cached).toBe(false);
      [classifier, again.classifier, other.classifier].forEach((c) => c.dispose());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses labels that do not match the images', async () => {
    await expect(trainClassifier([bar(0, 0)], [0, 1])).rejects.toThrow(/labels/);
  });
});

describe('multigrid', () => {
  it('trains every grid and samples coarse to fine', async () => {
    const before = numTensors();
    const sizes = [1, 3, 12];
    const preset = { sizes, nets: sizes.map((s) => multigridNet(s, 1, 0.05)), sampler: { numSteps: 2, stepSize: 0.3, noiseScale: 0, clamp: [0, 255] as [number, number] }, range: [0, 255] as const, train: { batchSize: 4, iterations: 2, optimizer: { learningRate: 0.01 } }, source: 'test' };
    const m = multigridTraining([0, 1, 2, 3].map((c) => bar(c, 0)), { preset, runtime: 'tfjs' });
    expect(await drain(m.events)).toBe(2);
    const s = await m.sample(3);
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ width: 12, height: 12 });
    m.dispose();
    expect(numTensors()).toBe(before);
    expect(() => multigridTraining([bar(0, 0)], { preset: { ...preset, sizes: [1, 5, 12], nets: [1, 5, 12].map((s) => multigridNet(s, 1, 0.05)) } })).toThrow(/divide/);
  });

  it("passes the preset's data noise and energy penalty to every grid's update", async () => {
    const sizes = [1, 3, 12];
    const base = { sizes, nets: sizes.map((s) => multigridNet(s, 1, 0.05)), sampler: { numSteps: 2, stepSize: 0.3, noiseScale: 0, clamp: [0, 255] as [number, number] }, range: [0, 255] as const, source: 'test' };
    const finest = async (extra: { dataNoise?: number; energyL2?: number }) => {
      const m = multigridTraining([0, 1, 2, 3].map((c) => bar(c, 0)), { preset: { ...base, train: { batchSize: 4, iterations: 2, optimizer: { learningRate: 0.01 }, ...extra } }, runtime: 'tfjs' });
      await drain(m.events);
      const values = Array.from(Object.values(m.nets.at(-1)!.params)[0]!.dataSync());
      m.dispose();
      return values;
    };
    const plain = await finest({});
    expect(await finest({})).toEqual(plain);
    expect(await finest({ dataNoise: 5 })).not.toEqual(plain);
    expect(await finest({ energyL2: 1 })).not.toEqual(plain);
    expect(() => multigridTraining([bar(0, 0)], { preset: { ...base, train: { batchSize: 1, iterations: 1, optimizer: { learningRate: 0.01 }, dataNoise: -1 } } })).toThrow(/dataNoise/);
  });
});
