import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createNet, exportGeneratorOnnx, exportOnnx, netEnergy, netSpec, onnxRuntime, tf, InvalidOptionError, runtimeByName } from '../src';
import { setup } from './helpers';

beforeAll(setup);

it('exported energy and energy+grad graphs load in plain onnxruntime and match the tfjs runtime', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ebm-onnx-'));
  try {
    const spec = netSpec([8, 8, 2], [{ type: 'conv2d', filters: 4, kernel: 3, stride: 2 }, { type: 'leakyRelu' }, { type: 'flatten' }, { type: 'dense', units: 1 }], 'tiny-descriptor');
    const net = createNet(spec, { seed: 3 });
    const files = await exportOnnx(net, dir);
    const x = tf.randomNormal([5, 8, 8, 2], 0, 1, 'float32', 4);
    const want = await netEnergy(net).energyAndGrad(x);
    const feeds = { x: new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape) };
    const e = await (await ort.InferenceSession.create(files.energy)).run(feeds);
    const eg = await (await ort.InferenceSession.create(files.energyGrad)).run(feeds);
    const close = (got: ort.Tensor, t: tf.Tensor) => {
      expect(got.dims).toEqual(t.shape);
      const d = Float32Array.from(got.data as Float32Array);
      const w = t.dataSync();
      const err = Math.hypot(...d.map((v, i) => v - w[i]!)) / Math.hypot(...w);
      expect(err).toBeLessThan(1e-5);
    };
    close(e.energy!, want.energy);
    close(eg.energy!, want.energy);
    close(eg.gx!, want.grad);
    net.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('an exported generator (label input, batch norm in eval mode) runs in plain onnxruntime like the tfjs net', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ebm-onnx-'));
  try {
    const spec = netSpec([3], [{ type: 'concat', input: 'label' }, { type: 'dense', units: 12 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'reshape', shape: [2, 2, 3] }, { type: 'conv2dTranspose', filters: 1, kernel: 3, stride: 2 }, { type: 'tanh' }], 'tiny-generator', { inputs: { label: [2] } });
    const net = createNet(spec, { seed: 5 });
    // Running statistics away from 0 and 1, as after training.
    const z = tf.randomNormal([16, 3], 0, 1, 'float32', 6);
    const label = tf.tensor2d(Array.from({ length: 16 }, (_, i) => (i % 2 ? [0, 1] : [1, 0])));
    (await net.forward(z, { label })).dispose();
    net.mode = 'eval';
    const file = await exportGeneratorOnnx(net, dir);
    const want = await net.forward(z, { label });
    const got = (await (await ort.InferenceSession.create(file)).run({ x: new ort.Tensor('float32', z.dataSync() as Float32Array, z.shape), 'in:label': new ort.Tensor('float32', label.dataSync() as Float32Array, label.shape) })).y!;
    expect(got.dims).toEqual([16, 4, 4, 1]);
    const w = want.dataSync();
    const d = got.data as Float32Array;
    expect(Math.hypot(...Array.from(d, (v, i) => v - w[i]!)) / Math.hypot(...w)).toBeLessThan(1e-5);
    tf.dispose([z, label, want]);
    net.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('selects runtimes by name', () => {
  expect(runtimeByName('tfjs').name).toBe('tfjs');
  expect(runtimeByName('onnx').name).toBe('onnx');
  // No GPU tfjs backend here: 'auto' is the onnx runtime.
  expect(runtimeByName('auto').name).toBe('onnx');
  expect(() => runtimeByName('wasm' as never)).toThrow(InvalidOptionError);
  const net = createNet(netSpec([2], [{ type: 'dense', units: 1 }]), { runtime: 'auto' });
  expect(net.runtime).toBe('onnx');
  net.dispose();
  expect(onnxRuntime({ threads: 1 }).name).toBe('onnx');
});
