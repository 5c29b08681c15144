/**
 * The layers of NetSpec v2 (residual blocks, named inputs with concat, padding, windowed pooling,
 * upsampling, layer norm per cell, batch norm with running statistics): both runtimes agree on the
 * forward, ∇x, ∇θ and ∇input; eval-mode batch norm uses and keeps its running statistics.
 */
import { createNet, netEnergy, netSpec, tf, type Net, type Tensor } from '../src';
import { head } from './cases';
import { V2_CASES } from './cases';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const relL2 = (a: Tensor, b: Tensor) => tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / Math.max(tf.norm(b).dataSync()[0]!, 1e-12));



async function perturbed(net: Net, seed: number): Promise<void> {
  // γ = 1, β = 0 hide errors in their gradients; start from random values.
  const w = await net.getWeights();
  for (const [n, v] of Object.entries(w)) if (/gamma|beta/.test(n)) v.forEach((_, i) => (v[i] = (n.endsWith('gamma') ? 1 : 0) + 0.3 * Math.sin(seed + 7 * i)));
  net.setWeights(w);
}

describe.each(V2_CASES)('both runtimes agree: %s', (_, input, layers, extra) => {
  let a: Net;
  let b: Net;
  const x = () => tf.randomNormal([3, ...input], 0, 1, 'float32', 5);
  const inputsOf = (): Record<string, Tensor> => Object.fromEntries(Object.entries(extra ?? {}).map(([n, s], i) => [n, tf.randomNormal([3, ...s], 0, 1, 'float32', 9 + i)]));
  beforeAll(async () => {
    const spec = netSpec(input, layers, undefined, extra ? { inputs: extra } : {});
    a = createNet(spec, { seed: 11 });
    b = createNet(spec, { seed: 11, runtime: 'onnx' });
    await perturbed(a, 1);
    b.setWeights(await a.getWeights());
  });
  afterAll(() => [a, b].forEach((n) => n.dispose()));

  it('forward, ∇x, ∇θ and ∇ of the extra inputs', async () => {
    const xs = x();
    const inputs = inputsOf();
    const gy = tf.randomNormal([3, ...a.outputShape], 0, 1, 'float32', 6);
    const wrt = { x: true, params: true, inputs: Object.keys(inputs) };
    const ra = await a.vjp(xs, gy, wrt, inputs);
    const rb = await b.vjp(xs, gy, wrt, inputs);
    expect(relL2(rb.y, ra.y)).toBeLessThan(1e-4);
    expect(relL2(rb.gx!, ra.gx!)).toBeLessThan(1e-4);
    // Relative to each tensor's norm floored at 1e-2·‖∇θ‖: a bias right before a normalisation has
    // an exact gradient of 0, where both runtimes return rounding noise.
    const floor = 1e-2 * Math.sqrt(Object.values(ra.gParams!).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0));
    for (const n of Object.keys(a.params)) {
      const err = tf.norm(tf.sub(rb.gParams![n]!, ra.gParams![n]!)).dataSync()[0]! / Math.max(tf.norm(ra.gParams![n]!).dataSync()[0]!, floor);
      expect({ n, ok: err < 1e-4, err }).toMatchObject({ n, ok: true });
    }
    for (const n of wrt.inputs) expect({ n, err: relL2(rb.gInputs![n]!, ra.gInputs![n]!) < 1e-4 }).toEqual({ n, err: true });
    const fb = await b.forward(xs, inputs);
    expect(relL2(fb, ra.y)).toBeLessThan(1e-4);
    tf.dispose([xs, gy, ra, rb, fb, inputs] as unknown as tf.TensorContainer);
  });

  it('leaves no tensors behind', async () => {
    const xs = x();
    const inputs = inputsOf();
    const gy = tf.ones([3, ...a.outputShape]);
    for (const net of [a, b]) {
      tf.dispose((await net.vjp(xs, gy, { x: true, params: true }, inputs)) as unknown as tf.TensorContainer);
      const before = numTensors();
      tf.dispose((await net.vjp(xs, gy, { x: true, params: true }, inputs)) as unknown as tf.TensorContainer);
      tf.dispose(await net.forward(xs, inputs));
      expect(numTensors()).toBe(before);
    }
    tf.dispose([xs, gy, inputs] as unknown as tf.TensorContainer);
  });
});

describe('named inputs', () => {
  const spec = netSpec([4, 4, 1], [{ type: 'conv2d', filters: 2, kernel: 3, stride: 2 }, { type: 'concat', input: 'label' }, ...head], undefined, { inputs: { label: [3] } });

  it('are version 2 and must be passed with the batch of x', async () => {
    expect(spec.version).toBe(2);
    expect(netSpec([3], [{ type: 'dense', units: 1 }]).version).toBe(1);
    const net = createNet(spec);
    const x = tf.zeros([2, 4, 4, 1]);
    expect(() => net.forward(x)).toThrow(/needs its extra input "label" \[batch, 3\]/);
    expect(() => net.forward(x, { label: tf.zeros([3, 3]) })).toThrow(/expects input "label" \[2, 3\], got \[3, 3\]/);
    expect(() => net.forward(x, { label: tf.zeros([2, 3]), other: tf.zeros([2]) })).toThrow(/has no extra input "other"/);
    net.dispose();
  });

  it('condition an energy, and the fused Langevin step takes them', async () => {
    const { langevin } = await import('../src');
    const a = createNet(spec, { seed: 2 });
    const b = createNet(spec, { seed: 2, runtime: 'onnx' });
    const label = tf.cast(tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3), 'float32');
    const x0 = tf.randomNormal([2, 4, 4, 1], 0, 1, 'float32', 3);
    const opts = { numSteps: 4, stepSize: 0.3, refSigma: 1, seed: 5 };
    const ra = await langevin(netEnergy(a, { inputs: { label } }), x0, opts);
    const rb = await langevin(netEnergy(b, { inputs: { label } }), x0, opts);
    expect(relL2(rb.x, ra.x)).toBeLessThan(1e-5);
    tf.dispose([label, x0, ra.x, rb.x]);
    [a, b].forEach((n) => n.dispose());
  });

  it('are refused where a concat names none', () => {
    expect(() => netSpec([3], [{ type: 'concat', input: 'label' }])).toThrow(/input must name an extra input of the net \(it has none\), got "label"/);
    expect(() => netSpec([4, 4, 1], [{ type: 'concat', input: 'c' }], undefined, { inputs: { c: [3, 4, 1] } })).toThrow(/must have only a channel axis or match the spatial axes/);
    expect(() => netSpec([3], [{ type: 'residual', layers: [{ type: 'dense', units: 2 }] }])).toThrow(/layer 0 \(residual\): the block's output \[2\] must have the shape of its input \[3\]/);
    expect(() => netSpec([4, 4, 1], [{ type: 'pad', pads: [[4, 0], [0, 0]], mode: 'reflect' }])).toThrow(/reflect padding of axis 0 must be smaller than its size 4/);
  });
});

describe('batch norm', () => {
  const spec = netSpec([5, 5, 2], [{ type: 'conv2d', filters: 3, kernel: 3 }, { type: 'batchNorm', momentum: 0.5 }, { type: 'relu' }, { type: 'residual', layers: [{ type: 'batchNorm' }] }, ...head]);

  it('keeps running statistics in train mode, on both runtimes alike', async () => {
    const a = createNet(spec, { seed: 3 });
    const b = createNet(spec, { seed: 3, runtime: 'onnx' });
    expect(Object.keys(a.state)).toEqual(['layers.1.runningMean', 'layers.1.runningVar', 'layers.3.layers.0.runningMean', 'layers.3.layers.0.runningVar']);
    const x = tf.randomNormal([4, 5, 5, 2], 1, 2, 'float32', 1);
    for (const net of [a, b]) {
      tf.dispose(await net.forward(x));
      tf.dispose((await net.vjp(x, tf.ones([4, 1]), { params: true })) as unknown as tf.TensorContainer);
    }
    // Two updates with momentum 0.5 from (0, 1): mean = 0.75·batch mean; var = 0.25 + 0.75·unbiased var.
    const h = tf.tidy(() => tf.add(tf.conv2d(x as tf.Tensor4D, a.params['layers.0.kernel'] as tf.Tensor4D, 1, 'same'), a.params['layers.0.bias']!));
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    const n = 4 * 25;
    expect(relL2(a.state['layers.1.runningMean']!, tf.mul(mean, 0.75))).toBeLessThan(1e-5);
    expect(relL2(a.state['layers.1.runningVar']!, tf.add(0.25, tf.mul(variance, (0.75 * n) / (n - 1))))).toBeLessThan(1e-5);
    for (const k of Object.keys(a.state)) expect(relL2(b.state[k]!, a.state[k]!)).toBeLessThan(1e-4);
    tf.dispose([x, h, mean, variance]);
    [a, b].forEach((net) => net.dispose());
  });

  it('uses the running statistics in eval mode, per example, and leaves them alone', async () => {
    const a = createNet(spec, { seed: 3, mode: 'eval' });
    const b = createNet(spec, { seed: 3, runtime: 'onnx', mode: 'eval' });
    const state = Object.fromEntries(Object.entries(await a.getState()).map(([k, v]) => [k, v.map((_, i) => (k.endsWith('Var') ? 0.5 + 0.1 * i : 0.2 * i - 0.3))]));
    a.setState(state);
    b.setState(state);
    await perturbed(a, 2);
    b.setWeights(await a.getWeights());
    const x = tf.randomNormal([3, 5, 5, 2], 0, 1, 'float32', 2);
    const gy = tf.randomNormal([3, 1], 0, 1, 'float32', 3);
    const ra = await a.vjp(x, gy, { x: true, params: true });
    const rb = await b.vjp(x, gy, { x: true, params: true });
    expect(relL2(rb.gx!, ra.gx!)).toBeLessThan(1e-4);
    for (const n of Object.keys(a.params)) expect(relL2(rb.gParams![n]!, ra.gParams![n]!)).toBeLessThan(1e-4);
    // Per example: the first example's output does not depend on the others.
    const one = await a.forward(tf.slice(x, [0], [1]));
    expect(Math.abs(one.dataSync()[0]! - ra.y.dataSync()[0]!)).toBeLessThan(1e-5);
    expect(netEnergy(a).perExample).toBe(true);
    a.mode = 'train';
    expect(netEnergy(a).perExample).toBe(false);
    expect(Array.from(a.state['layers.1.runningMean']!.dataSync())).toEqual(Array.from(state['layers.1.runningMean']!));
    tf.dispose([x, gy, one, ra, rb] as unknown as tf.TensorContainer);
    [a, b].forEach((net) => net.dispose());
  });
});
