import { fitLinearClassifier, fitLinearClassifierByValidation, gaussianArray, InvalidOptionError, ShapeMismatchError, tf } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

/** Two classes N(±1, 1) in the first coordinate, plus `extra` pure-noise coordinates. */
function blobs(n: number, extra: number, seed: number) {
  const d = 1 + extra;
  const noise = gaussianArray(n * d, seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = noise[i * d + j]! + (j === 0 ? (labels[i] ? 1 : -1) : 0);
  return { x, labels, d };
}

describe('fitLinearClassifier', () => {
  it('reaches the Bayes accuracy Φ(1) = 0.841 on two unit Gaussians 2 apart', () => {
    const train = blobs(2000, 3, 1);
    const test = blobs(20000, 3, 2);
    const clf = fitLinearClassifier(train.x, train.labels, train.d, { iterations: 200 });
    expect(Math.abs(clf.accuracy(test.x, test.labels) - 0.8413)).toBeLessThan(0.012);
  });

  it('separates three classes and ignores a constant feature', () => {
    const centres = [
      [0, 4],
      [4, 0],
      [-4, -4],
    ];
    const n = 300;
    const noise = gaussianArray(n * 2, 3);
    const x = new Float32Array(n * 3);
    const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
    for (let i = 0; i < n; i++) {
      x[i * 3] = centres[labels[i]!]![0]! + noise[2 * i]!;
      x[i * 3 + 1] = centres[labels[i]!]![1]! + noise[2 * i + 1]!;
      x[i * 3 + 2] = 7;
    }
    const clf = fitLinearClassifier(x, labels, 3);
    expect(clf.numClasses).toBe(3);
    expect(clf.accuracy(x, labels)).toBeGreaterThan(0.99);
    expect(Array.from(clf.predict(Float32Array.of(0, 4, 7, 4, 0, 7, -4, -4, 7)))).toEqual([0, 1, 2]);
  });

  it('takes the steps tf.train.adam takes on the same loss', () => {
    // The reference: the loss as tensors, minimised by tfjs's Adam on the standardised rows.
    const n = 40;
    const d = 6;
    const k = 3;
    const x = Float32Array.from(gaussianArray(n * d, 7));
    const labels = Int32Array.from({ length: n }, (_, i) => i % k);
    for (let i = 0; i < n; i++) x[i * d + (labels[i]! % d)]! += 1.5;
    const [l2, learningRate, iterations] = [1e-2, 0.05, 25];
    const clf = fitLinearClassifier(x, labels, d, { l2, learningRate, iterations });
    const want = tf.tidy(() => {
      const raw = tf.tensor2d(x, [n, d]);
      const { mean, variance } = tf.moments(raw, 0);
      const z = tf.div(tf.sub(raw, mean), tf.sqrt(variance));
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), k);
      const w = tf.variable(tf.zeros([d, k]));
      const b = tf.variable(tf.zeros([k]));
      const opt = tf.train.adam(learningRate);
      for (let t = 0; t < iterations; t++)
        opt.minimize(() => tf.add(tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(z, w), b)), tf.mul(l2, tf.sum(tf.square(w)))) as tf.Scalar, false, [w, b]);
      const out = { w: w.dataSync().slice(), b: b.dataSync().slice() };
      [w, b].forEach((v) => v.dispose());
      opt.dispose();
      return out;
    });
    const close = (a: ArrayLike<number>, e: ArrayLike<number>) => Array.from(a).every((v, i) => Math.abs(v - e[i]!) < 1e-4 * (1 + Math.abs(e[i]!)));
    expect(close(clf.weights, want.w)).toBe(true);
    expect(close(clf.bias, want.b)).toBe(true);
  });

  it('leaves no tensors behind', () => {
    const before = numTensors();
    const { x, labels, d } = blobs(50, 1, 4);
    fitLinearClassifier(x, labels, d, { iterations: 5 });
    expect(numTensors()).toBe(before);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => fitLinearClassifier(new Float32Array(5), [0, 1], 3)).toThrow(ShapeMismatchError);
    expect(() => fitLinearClassifier(new Float32Array(4), [0, 0], 2)).toThrow(/at least two classes/);
    expect(() => fitLinearClassifier(new Float32Array(4), [0, 1.5], 2)).toThrow(InvalidOptionError);
  });

  it('chooses the L2 penalty on validation rows: a crushing penalty loses to a mild one', () => {
    const train = blobs(400, 20, 5);
    const val = blobs(2000, 20, 6);
    const r = fitLinearClassifierByValidation({ features: train.x, labels: train.labels }, { features: val.x, labels: val.labels }, train.d, { l2s: [100, 1e-3], iterations: 100 });
    expect(r.l2).toBe(1e-3);
    expect(r.accuracyVal).toBeGreaterThan(0.8);
    expect(r.accuracyVal).toBe(r.classifier.accuracy(val.x, val.labels));
    expect(() => fitLinearClassifierByValidation({ features: train.x, labels: train.labels }, { features: val.x, labels: val.labels }, train.d, { l2s: [] })).toThrow(/at least one penalty/);
  });
});
