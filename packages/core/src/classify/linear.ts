import { InvalidOptionError, ShapeMismatchError } from '../errors';
import { nonNegative, positive, positiveInt } from '../options';

export interface LinearClassifierOptions {
  /** L2 penalty λ‖W‖² on the weights (not the biases); default 1e-3. */
  l2?: number;
  /** Full-batch Adam steps; default 300. */
  iterations?: number;
  /** Adam learning rate; default 0.05. */
  learningRate?: number;
}

/**
 * A multinomial logistic-regression (linear softmax) classifier on standardised features: the
 * linear read-out the descriptor papers put on pooled EBM features (3D DescriptorNet §4.5, GPointNet §5.4
 * use liblinear; logistic regression is the same model family), and the raw-input baseline.
 */
export class LinearClassifier {
  constructor(
    /** Feature means and standard deviations of the training set (standardisation). */
    readonly mean: Float32Array,
    readonly std: Float32Array,
    /** Weights [features × classes], row-major, and biases [classes]. */
    readonly weights: Float32Array,
    readonly bias: Float32Array,
    readonly numClasses: number,
  ) {}

  get numFeatures(): number {
    return this.mean.length;
  }

  /** Class scores [n × classes] for rows of features (row-major, n × numFeatures). */
  scores(features: Float32Array): Float32Array {
    const d = this.numFeatures;
    const k = this.numClasses;
    if (features.length % d !== 0) throw new ShapeMismatchError(`features of length ${features.length} are not rows of ${d} values`);
    const n = features.length / d;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) out[i * k + c] = this.bias[c]!;
      for (let j = 0; j < d; j++) {
        const v = (features[i * d + j]! - this.mean[j]!) / this.std[j]!;
        if (v === 0) continue;
        for (let c = 0; c < k; c++) out[i * k + c]! += v * this.weights[j * k + c]!;
      }
    }
    return out;
  }

  /** Predicted class of each row. */
  predict(features: Float32Array): Int32Array {
    const s = this.scores(features);
    const k = this.numClasses;
    return Int32Array.from({ length: s.length / k }, (_, i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (s[i * k + c]! > s[i * k + best]!) best = c;
      return best;
    });
  }

  /** Fraction of rows whose predicted class is the label. */
  accuracy(features: Float32Array, labels: ArrayLike<number>): number {
    const p = this.predict(features);
    if (p.length !== labels.length) throw new ShapeMismatchError(`${p.length} feature rows but ${labels.length} labels`);
    let right = 0;
    p.forEach((c, i) => (right += c === labels[i] ? 1 : 0));
    return right / p.length;
  }
}

const FN = 'fitLinearClassifier';

/**
 * Fits a linear softmax classifier by full-batch Adam on the cross-entropy plus λ‖W‖².
 * `features` holds one row of `numFeatures` values per example (row-major); labels are 0..K−1.
 * Constant features get a standard deviation of 1 so they are ignored rather than divided by 0.
 * @throws InvalidOptionError for bad options or labels, ShapeMismatchError for ragged features.
 */
export function fitLinearClassifier(features: Float32Array, labels: ArrayLike<number>, numFeatures: number, options: LinearClassifierOptions = {}): LinearClassifier {
  const d = positiveInt(FN, 'numFeatures', numFeatures);
  const n = labels.length;
  if (n === 0) throw new InvalidOptionError(FN, 'labels', '[]', 'at least one example');
  if (features.length !== n * d) throw new ShapeMismatchError(`${FN}: ${n} labels need ${n * d} feature values (${d} per row), got ${features.length}`);
  const l2 = nonNegative(FN, 'l2', options.l2 ?? 1e-3);
  const iterations = positiveInt(FN, 'iterations', options.iterations ?? 300);
  const learningRate = positive(FN, 'learningRate', options.learningRate ?? 0.05);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0) throw new InvalidOptionError(FN, `labels[${i}]`, c, 'a class index 0, 1, 2, …');
    k = Math.max(k, c + 1);
  }
  if (k < 2) throw new InvalidOptionError(FN, 'labels', `${k} class`, 'at least two classes');

  const mean = new Float32Array(d);
  const std = new Float32Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += features[i * d + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j]! += (features[i * d + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = std[j]! > 1e-12 ? Math.sqrt(std[j]!) : 1;
  const z = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) z[i * d + j] = (features[i * d + j]! - mean[j]!) / std[j]!;

  // Full-batch Adam (tfjs's defaults: β1 0.9, β2 0.999, ε 1e-7) on mean cross-entropy + λ‖W‖²,
  // on plain arrays: the same fit as tf.train.adam on tensors (test/classify.test.ts checks the
  // two against each other), without a tensor round trip per step, which made a fit on 4096 raw
  // voxels take 3–4 s whatever the number of rows.
  const w = new Float64Array(k * d); // [classes × features]
  const b = new Float64Array(k);
  const mw = new Float64Array(d * k);
  const vw = new Float64Array(d * k);
  const mb = new Float64Array(k);
  const vb = new Float64Array(k);
  const gw = new Float64Array(d * k);
  const gb = new Float64Array(k);
  const logits = new Float64Array(k);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7];
  for (let t = 1; t <= iterations; t++) {
    gw.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let c = 0; c < k; c++) {
        let v = b[c]!;
        for (let j = 0, o = c * d; j < d; j++, o++) v += z[row + j]! * w[o]!;
        logits[c] = v;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, logits[c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += (logits[c] = Math.exp(logits[c]! - max));
      // ∂(mean cross-entropy)/∂logits = (softmax − onehot) / n
      for (let c = 0; c < k; c++) {
        const g = (logits[c]! / sum - (labels[i] === c ? 1 : 0)) / n;
        gb[c]! += g;
        for (let j = 0, o = c * d; j < d; j++, o++) gw[o]! += g * z[row + j]!;
      }
    }
    // tfjs's form: bias-corrected moments, ε added to the corrected root.
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const adam = (p: Float64Array, m: Float64Array, v: Float64Array, o: number, g: number) => {
      m[o] = beta1 * m[o]! + (1 - beta1) * g;
      v[o] = beta2 * v[o]! + (1 - beta2) * g * g;
      p[o]! -= (learningRate * (m[o]! / c1)) / (Math.sqrt(v[o]! / c2) + eps);
    };
    for (let o = 0; o < d * k; o++) adam(w, mw, vw, o, gw[o]! + 2 * l2 * w[o]!);
    for (let c = 0; c < k; c++) adam(b, mb, vb, c, gb[c]!);
  }
  // The classifier keeps W as [features × classes]; it was [classes × features] here for row-long inner loops.
  const weights = new Float32Array(d * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) weights[j * k + c] = w[c * d + j]!;
  return new LinearClassifier(mean, std, weights, Float32Array.from(b), k);
}

/**
 * Fits one classifier per L2 penalty on the training rows and keeps the one most accurate on the
 * validation rows (the first on ties): the usual choice of the regularisation, made on data the
 * classifier was not fitted to.
 */
export function fitLinearClassifierByValidation(
  train: { features: Float32Array; labels: ArrayLike<number> },
  val: { features: Float32Array; labels: ArrayLike<number> },
  numFeatures: number,
  options: Omit<LinearClassifierOptions, 'l2'> & { l2s?: readonly number[] } = {},
): { classifier: LinearClassifier; l2: number; accuracyVal: number } {
  const l2s = options.l2s ?? [1e-4, 1e-3, 1e-2];
  if (l2s.length === 0) throw new InvalidOptionError('fitLinearClassifierByValidation', 'l2s', '[]', 'at least one penalty');
  let best: { classifier: LinearClassifier; l2: number; accuracyVal: number } | undefined;
  for (const l2 of l2s) {
    const classifier = fitLinearClassifier(train.features, train.labels, numFeatures, { ...options, l2 });
    const accuracyVal = classifier.accuracy(val.features, val.labels);
    if (!best || accuracyVal > best.accuracyVal) best = { classifier, l2, accuracyVal };
  }
  return best!;
}
