import { createNet, netSpec, onnxRuntime, tf, type Net, type Tensor } from '../src';
import { V1_CASES as CASES } from './cases';
import { setup } from './helpers';

beforeAll(setup);

const relL2 = (a: Tensor, b: Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / Math.max(tf.norm(b).dataSync()[0]!, 1e-12));

/**
 * ∇θ agrees as a whole (relative L2 over all parameters) and per tensor, relative to the tensor's
 * norm floored at 1e-2·‖∇θ‖: a bias right before a normalisation has an exact gradient of 0, where
 * both runtimes return rounding noise.
 */
function expectGradsClose(got: Record<string, Tensor>, want: Record<string, Tensor>, tol: number): void {
  const names = Object.keys(want);
  const flat = (r: Record<string, Tensor>) => tf.concat(names.map((n) => tf.reshape(r[n]!, [-1])));
  const w = flat(want);
  expect(relL2(flat(got), w)).toBeLessThan(tol);
  const floor = 1e-2 * tf.norm(w).dataSync()[0]!;
  for (const n of names) {
    expect(got[n]!.shape).toEqual(want[n]!.shape);
    const err = tf.norm(tf.sub(got[n]!, want[n]!)).dataSync()[0]! / Math.max(tf.norm(want[n]!).dataSync()[0]!, floor);
    expect({ param: n, ok: err < tol, err }).toMatchObject({ param: n, ok: true });
  }
}



describe.each(CASES)('onnx runtime matches tfjs: %s', (_, input, layers) => {
  let a: Net;
  let b: Net;
  let x: Tensor;
  let gy: Tensor;
  beforeAll(() => {
    const spec = netSpec(input, layers);
    a = createNet(spec, { seed: 11 });
    b = createNet(spec, { seed: 11, runtime: onnxRuntime() });
    x = tf.randomNormal([3, ...input], 0, 1, 'float32', 5);
    gy = tf.randomNormal([3, ...a.outputShape], 0, 1, 'float32', 6);
  });
  afterAll(() => {
    [a, b].forEach((n) => n.dispose());
    [x, gy].forEach((t) => t.dispose());
  });

  it('energy (forward)', async () => {
    const ya = await a.forward(x);
    const yb = await b.forward(x);
    expect(yb.shape).toEqual(ya.shape);
    expect(relL2(yb, ya)).toBeLessThan(1e-4);
  });

  it('intermediate activations (forwardTo) after every layer', async () => {
    for (let layer = 0; layer < layers.length; layer++) {
      const ya = await a.forwardTo(x, layer);
      const yb = await b.forwardTo(x, layer);
      expect(yb.shape).toEqual([3, ...a.shapes.shapes[layer + 1]!]);
      expect({ layer, err: relL2(yb, ya) < 1e-4 }).toEqual({ layer, err: true });
      [ya, yb].forEach((t) => t.dispose());
    }
  });

  it('input gradient and every weight gradient', async () => {
    const ra = await a.vjp(x, gy);
    const rb = await b.vjp(x, gy);
    expect(relL2(rb.y, ra.y)).toBeLessThan(1e-4);
    expect(relL2(rb.gx!, ra.gx!)).toBeLessThan(1e-4);
    expectGradsClose(rb.gParams!, ra.gParams!, 1e-4);
  });

  it.each(['col2im', 'convTranspose', 'depthFold'] as const)('input gradient with every conv lowered by %s', async (lowering) => {
    const c = createNet(a.spec, { seed: 11, runtime: onnxRuntime({ convInputGrad: lowering }) });
    const ra = await a.vjp(x, gy, { x: true });
    const rc = await c.vjp(x, gy, { x: true });
    expect(relL2(rc.gx!, ra.gx!)).toBeLessThan(1e-4);
    c.dispose();
  });

  it.each(['conv', 'im2col'] as const)('weight gradients with every conv lowered by %s', async (lowering) => {
    const c = createNet(a.spec, { seed: 11, runtime: onnxRuntime({ convWeightGrad: lowering }) });
    const ra = await a.vjp(x, gy, { params: true });
    const rc = await c.vjp(x, gy, { params: true });
    expectGradsClose(rc.gParams!, ra.gParams!, 1e-4);
    c.dispose();
  });

  it('parameter-only and input-only graphs agree with the full one', async () => {
    const full = await b.vjp(x, gy);
    const px = await b.vjp(x, gy, { x: true });
    const pp = await b.vjp(x, gy, { params: true });
    expect(pp.gx).toBeUndefined();
    expect(px.gParams).toBeUndefined();
    expect(relL2(px.gx!, full.gx!)).toBeLessThan(1e-5);
    expectGradsClose(pp.gParams!, full.gParams!, 1e-5);
  });
});

describe('im2col weight gradients in chunks of input channels', () => {
  // K·M = 9 · 48² columns per channel: the 2^18-column chunks hold 12 of the 16 channels, so the
  // gradient is assembled from two chunks of unequal size, for a conv and for a transpose conv.
  it.each([
    ['conv2d', netSpec([48, 48, 16], [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 1 }])],
    ['conv2dTranspose', netSpec([48, 48, 3], [{ type: 'conv2dTranspose', filters: 16, kernel: 3 }, { type: 'tanh' }, { type: 'flatten' }, { type: 'dense', units: 1 }])],
  ])('%s matches tfjs with im2col forced and with auto', async (_, spec) => {
    const { preferIm2col } = await import('../src/onnx/im2col');
    expect(preferIm2col({ k: [3, 3], s: [1, 1], begin: [1, 1], end: [1, 1], outS: [48, 48], inC: 16, outC: 4 })).toBe(true);
    const a = createNet(spec, { seed: 3 });
    const x = tf.randomNormal([2, ...spec.input], 0, 1, 'float32', 4);
    const gy = tf.randomNormal([2, 1], 0, 1, 'float32', 5);
    const want = await a.vjp(x, gy, { params: true });
    for (const convWeightGrad of ['im2col', 'auto'] as const) {
      const c = createNet(spec, { seed: 3, runtime: onnxRuntime({ convWeightGrad }) });
      expectGradsClose((await c.vjp(x, gy, { params: true })).gParams!, want.gParams!, 1e-4);
      c.dispose();
    }
    [a, x, gy].forEach((t) => t.dispose());
  });
});

describe('training on the onnx runtime', () => {
  it('runs trainMle with a flat tensor count and the same result as tfjs', async () => {
    const { trainMle, netEnergy } = await import('../src');
    const spec = netSpec([6, 6, 1], [{ type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, { type: 'swish' }, { type: 'flatten' }, { type: 'dense', units: 1 }]);
    const data = tf.randomUniform([32, 6, 6, 1], -1, 1, 'float32', 1);
    const run = async (net: Net, iterations: number) => {
      for await (const e of trainMle(netEnergy(net), data, { sampler: { numSteps: 3, stepSize: 0.1, refSigma: 1 }, batchSize: 8, iterations, seed: 2 })) void e;
    };
    const onnxNet = createNet(spec, { seed: 1, runtime: 'onnx' });
    await run(onnxNet, 1);
    const before = tf.memory().numTensors;
    await run(onnxNet, 10);
    expect(tf.memory().numTensors).toBe(before);
    const a = createNet(spec, { seed: 1 });
    const b = createNet(spec, { seed: 1, runtime: 'onnx' });
    await run(a, 5);
    await run(b, 5);
    for (const n of Object.keys(a.params)) expect(relL2(b.params[n]!, a.params[n]!)).toBeLessThan(1e-3);
    [onnxNet, a, b].forEach((n) => n.dispose());
    data.dispose();
  });
});

describe('permuted weights fed to the onnx runtime', () => {
  it('permuteArray permutes as tf.transpose does', async () => {
    const { permuteArray } = await import('../src/onnx/layout');
    const t = tf.randomNormal([3, 2, 4, 5, 2], 0, 1, 'float32', 3);
    for (const perm of [[4, 3, 0, 1, 2], [1, 0, 2, 3, 4], [2, 4, 1, 3, 0]]) {
      const want = tf.transpose(t, perm);
      expect(Array.from(permuteArray(t.dataSync(), t.shape, perm))).toEqual(Array.from(want.dataSync()));
      want.dispose();
    }
    t.dispose();
  });

  it('follows a parameter update: the permuted copy of an old kernel is not reused', async () => {
    const spec = netSpec([6, 6, 6, 1], [{ type: 'conv3d', filters: 2, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, { type: 'flatten' }, { type: 'dense', units: 1 }]);
    const a = createNet(spec, { seed: 1 });
    const b = createNet(spec, { seed: 1, runtime: 'onnx' });
    const x = tf.randomNormal([2, 6, 6, 6, 1], 0, 1, 'float32', 2);
    const gy = tf.ones([2, 1]);
    const y0 = await b.forward(x);
    for (const net of [a, b]) for (const [n, v] of Object.entries(net.params)) if (n.endsWith('kernel')) v.assign(tf.mul(v, -3));
    const [ya, yb] = [await a.forward(x), await b.forward(x)];
    expect(relL2(yb, ya)).toBeLessThan(1e-5);
    expect(relL2(yb, y0)).toBeGreaterThan(0.1);
    const [ra, rb] = [await a.vjp(x, gy), await b.vjp(x, gy)];
    expect(relL2(rb.gx!, ra.gx!)).toBeLessThan(1e-4);
    [x, gy, y0, ya, yb, ra.y, rb.y, ra.gx!, rb.gx!, ...Object.values(ra.gParams!), ...Object.values(rb.gParams!)].forEach((t) => t.dispose());
    [a, b].forEach((n) => n.dispose());
  });
});

describe('fused Langevin step on the onnx runtime', () => {
  it('moves chains exactly like the step-by-step tfjs loop (reference term, clamp, noise decay)', async () => {
    const { langevin, netEnergy } = await import('../src');
    const spec = netSpec([5, 5, 2], [{ type: 'conv2d', filters: 3, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, { type: 'flatten' }, { type: 'dense', units: 1 }]);
    const a = createNet(spec, { seed: 4 });
    const b = createNet(spec, { seed: 4, runtime: 'onnx' });
    expect(b.fusedLangevin).toBe(true);
    expect(a.fusedLangevin).toBe(false);
    const x0 = tf.randomNormal([6, 5, 5, 2], 0, 1, 'float32', 8);
    const opts = { numSteps: 8, stepSize: 0.2, refSigma: 0.8, clamp: [-1.5, 1.5] as [number, number], noiseDecay: 'linear' as const, seed: 3 };
    const ra = await langevin(netEnergy(a), x0, opts);
    const rb = await langevin(netEnergy(b), x0, opts);
    expect(relL2(rb.x, ra.x)).toBeLessThan(1e-5);
    expect(rb.stats.energyStart).toBeCloseTo(ra.stats.energyStart, 3);
    [ra.x, rb.x, x0].forEach((t) => t.dispose());
    [a, b].forEach((n) => n.dispose());
  });

  it('holds masked values fixed and moves the rest like the tfjs loop (recovery, inpainting)', async () => {
    const { langevin, netEnergy } = await import('../src');
    const spec = netSpec([5, 5, 2], [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 1 }]);
    const a = createNet(spec, { seed: 5 });
    const b = createNet(spec, { seed: 5, runtime: 'onnx' });
    const x0 = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 9);
    // Per-pixel mask shared by the channels, broadcast by the sampler.
    const mask = tf.cast(tf.greater(tf.randomUniform([3, 5, 5, 1], 0, 1, 'float32', 10), 0.5), 'float32');
    const opts = { numSteps: 6, stepSize: 0.3, refSigma: 1, mask, seed: 2 };
    const before = tf.memory().numTensors;
    const rb = await langevin(netEnergy(b), x0, opts);
    expect(tf.memory().numTensors).toBe(before + 1);
    const ra = await langevin(netEnergy(a), x0, opts);
    expect(relL2(rb.x, ra.x)).toBeLessThan(1e-5);
    const [xb, x0v, m] = await Promise.all([rb.x.data(), x0.data(), tf.broadcastTo(mask, x0.shape).data()]);
    let moved = 0;
    for (let i = 0; i < xb.length; i++) {
      if (m[i] === 1) expect(xb[i]).toBe(x0v[i]);
      else if (xb[i] !== x0v[i]) moved++;
    }
    expect(moved).toBe(m.length - Array.from(m).reduce((s, v) => s + v, 0));
    [ra.x, rb.x, x0, mask].forEach((t) => t.dispose());
    [a, b].forEach((n) => n.dispose());
  });
});
