import { createNet, inferShapes, netEnergy, netSpec, netSpecToJSON, NetSpecError, paramCount, parseNetSpec, ShapeMismatchError, tf, type LayerSpec, type NetSpec } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const image: NetSpec = netSpec([16, 16, 3], [
  { type: 'conv2d', filters: 8, kernel: 5, stride: 2 },
  { type: 'leakyRelu', alpha: 0.2 },
  { type: 'conv2d', filters: 4, kernel: 3, stride: 2, padding: 'valid' },
  { type: 'swish' },
  { type: 'flatten' },
  { type: 'dense', units: 1 },
]);

describe('NetSpec shapes', () => {
  it('infers every layer shape and the parameters', () => {
    const { shapes, params } = inferShapes(image);
    expect(shapes).toEqual([[16, 16, 3], [8, 8, 8], [8, 8, 8], [3, 3, 4], [3, 3, 4], [36], [1]]);
    expect(params.map((p) => [p.name, p.shape])).toEqual([
      ['layers.0.kernel', [5, 5, 3, 8]],
      ['layers.0.bias', [8]],
      ['layers.2.kernel', [3, 3, 8, 4]],
      ['layers.2.bias', [4]],
      ['layers.5.kernel', [36, 1]],
      ['layers.5.bias', [1]],
    ]);
    expect(paramCount(image)).toBe(5 * 5 * 3 * 8 + 8 + 3 * 3 * 8 * 4 + 4 + 36 + 1);
  });

  it('handles 3-D convolutions, transposes, point sets and pooling', () => {
    const vox = inferShapes(netSpec([32, 32, 32, 1], [{ type: 'conv3d', filters: 4, kernel: 16, stride: 3 }, { type: 'conv3dTranspose', filters: 2, kernel: 4, stride: 2 }]));
    expect(vox.shapes.slice(1)).toEqual([[11, 11, 11, 4], [22, 22, 22, 2]]);
    const pts = inferShapes(netSpec([128, 3], [{ type: 'dense', units: 16 }, { type: 'layerNorm', axes: [0] }, { type: 'relu' }, { type: 'pool', op: 'max', axis: 0 }, { type: 'dense', units: 1 }]));
    expect(pts.shapes.slice(1)).toEqual([[128, 16], [128, 16], [128, 16], [16], [1]]);
  });

  it.each<[string, number[], LayerSpec[], RegExp]>([
    ['a conv on the wrong rank', [10, 3], [{ type: 'conv2d', filters: 2, kernel: 3 }], /layer 0 \(conv2d\): expects a rank-3 input \(H, W, C\) per example, got \[10, 3\]/],
    ['a valid conv larger than its input', [4, 4, 1], [{ type: 'conv2d', filters: 2, kernel: 5, padding: 'valid' }], /layer 0 \(conv2d\): input \[4, 4, 1\] is smaller than kernel \[5, 5\]/],
    ['a reshape that loses values', [4, 4, 1], [{ type: 'reshape', shape: [3, 5] }], /layer 0 \(reshape\): cannot reshape \[4, 4, 1\] \(16 values\) to \[3,5\]/],
    ['a pool over a missing axis', [8, 3], [{ type: 'relu' }, { type: 'pool', op: 'max', axis: 2 }], /layer 1 \(pool\): axis must be an integer in \[0, 2\)/],
    ['an unknown layer', [3], [{ type: 'gelu' } as never], /layer 0 \(gelu\): unknown layer type "gelu"/],
    ['a bad kernel', [8, 8, 1], [{ type: 'conv2d', filters: 2, kernel: [3, 0] }], /kernel must be a positive integer or 2 positive integers, got \[3,0\]/],
  ])('rejects %s with a NetSpecError naming the layer and shapes', (_, input, layers, msg) => {
    expect(() => netSpec(input, layers)).toThrow(NetSpecError);
    expect(() => netSpec(input, layers)).toThrow(msg);
  });

  it('round-trips through JSON and rejects broken JSON', () => {
    const back = parseNetSpec(netSpecToJSON(image));
    expect(back).toEqual(image);
    expect(() => parseNetSpec('{"format":"ebm.netspec"')).toThrow(/not valid JSON/);
    expect(() => parseNetSpec({ ...image, version: 3 })).toThrow(/version 3 is not supported/);
  });
});

describe('Net on the tfjs runtime', () => {
  it('initialises deterministically from a seed', async () => {
    const a = createNet(image, { seed: 3 });
    const b = createNet(image, { seed: 3 });
    const c = createNet(image, { seed: 4 });
    const wa = await a.getWeights();
    expect(wa['layers.0.kernel']).toEqual((await b.getWeights())['layers.0.kernel']);
    expect(wa['layers.0.kernel']).not.toEqual((await c.getWeights())['layers.0.kernel']);
    expect(Array.from(wa['layers.0.bias']!)).toEqual(new Array(8).fill(0));
    [a, b, c].forEach((n) => n.dispose());
  });

  it('rejects inputs of the wrong shape', async () => {
    const net = createNet(image);
    const x = tf.zeros([2, 8, 8, 3]);
    expect(() => net.forward(x)).toThrow(ShapeMismatchError);
    expect(() => net.forward(x)).toThrow(/expects input \[batch, 16, 16, 3\], got \[2, 8, 8, 3\]/);
    x.dispose();
    net.dispose();
  });

  // Directional finite differences in float64-free land: compare ⟨∇, v⟩ with (U(x+εv) − U(x−εv)) / 2ε.
  it('vjp matches finite differences for the input and the weights', async () => {
    const net = createNet(netSpec([6, 6, 2], [{ type: 'conv2d', filters: 3, kernel: 3, stride: 2 }, { type: 'softplus' }, { type: 'flatten' }, { type: 'dense', units: 1 }]), { seed: 1 });
    const energy = netEnergy(net);
    const x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 2);
    const v = tf.randomNormal(x.shape, 0, 1, 'float32', 3);
    const { grad } = await energy.energyAndGrad(x);
    const eps = 1e-2;
    const up = await energy.energy(tf.add(x, tf.mul(eps, v)));
    const dn = await energy.energy(tf.sub(x, tf.mul(eps, v)));
    const fd = (tf.sum(tf.sub(up, dn)).dataSync()[0]!) / (2 * eps);
    const an = tf.sum(tf.mul(grad, v)).dataSync()[0]!;
    expect(Math.abs(fd - an)).toBeLessThan(2e-2 * Math.max(1, Math.abs(an)));

    const w = tf.tensor1d([1, -0.5, 2]);
    const { grads } = await energy.paramGrads(x, w);
    const k = net.params['layers.0.kernel']!;
    const dir = tf.randomNormal(k.shape, 0, 1, 'float32', 4);
    const k0 = tf.clone(k);
    const weighted = async () => tf.sum(tf.mul(await energy.energy(x), w)).dataSync()[0]!;
    k.assign(tf.add(k0, tf.mul(eps, dir)));
    const wu = await weighted();
    k.assign(tf.sub(k0, tf.mul(eps, dir)));
    const wd = await weighted();
    k.assign(k0);
    const fdw = (wu - wd) / (2 * eps);
    const anw = tf.sum(tf.mul(grads['layers.0.kernel']!, dir)).dataSync()[0]!;
    expect(Math.abs(fdw - anw)).toBeLessThan(2e-2 * Math.max(1, Math.abs(anw)));
    net.dispose();
  });

  it('a descriptor energy is the negated sum of the outputs', async () => {
    const net = createNet(netSpec([4], [{ type: 'dense', units: 3 }]), { seed: 5 });
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 6);
    const y = await net.forward(x);
    const u = await netEnergy(net).energy(x);
    const u2 = await netEnergy(net, { output: 'energy' }).energy(x);
    const s = tf.sum(y, 1);
    expect(tf.max(tf.abs(tf.add(u, s))).dataSync()[0]).toBeLessThan(1e-6);
    expect(tf.max(tf.abs(tf.sub(u2, s))).dataSync()[0]).toBeLessThan(1e-6);
    [x, y, u, u2, s].forEach((t) => t.dispose());
    net.dispose();
  });

  it('does not leak tensors in forward, vjp and dispose', async () => {
    const x = tf.randomNormal([2, 16, 16, 3]);
    const gy = tf.ones([2, 1]);
    const before = numTensors();
    const net = createNet(image);
    for (let i = 0; i < 5; i++) {
      (await net.forward(x)).dispose();
      const r = await net.vjp(x, gy);
      r.y.dispose();
      r.gx!.dispose();
      Object.values(r.gParams!).forEach((t) => t.dispose());
    }
    net.dispose();
    expect(numTensors()).toBe(before);
    x.dispose();
    gy.dispose();
  });
});
