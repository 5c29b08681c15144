/**
 * The metrics with known answers: the Fréchet distance against closed forms and a SciPy value,
 * the Jacobi eigen-solver against its definition, and the Gram texture distance on textures
 * whose answer is obvious (the same texture, a shifted copy, noise).
 */
import { frechetDistance, frechetFromStats, gaussianArray, gaussianStats, gramDistance, gramFeatures, InvalidOptionError, mulberry32, symmetricEigen, tf, type GaussianStats } from '../src';
import { numTensors, setup } from './helpers';

beforeAll(setup);

const stats = (mean: number[], cov: number[][]): GaussianStats => ({ mean: Float64Array.from(mean), cov: Float64Array.from(cov.flat()), dim: mean.length, count: 1000 });

describe('symmetricEigen', () => {
  it('decomposes a symmetric matrix: A v = λ v, V orthonormal', () => {
    const n = 6;
    const r = gaussianArray(n * n, 3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r[i * n + j]! + r[j * n + i]!;
    const { values, vectors: v } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j * n + k]!;
        expect(av).toBeCloseTo(values[k]! * v[i * n + k]!, 10);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i * n + k]! * v[i * n + l]!;
        expect(dot).toBeCloseTo(k === l ? 1 : 0, 10);
      }
    }
  });
});

describe('frechetDistance', () => {
  it('is ‖μ₁ − μ₂‖² + Σ(σ₁ − σ₂)² for diagonal covariances', () => {
    const d = frechetFromStats(stats([0, 1, 2], [[4, 0, 0], [0, 1, 0], [0, 0, 9]]), stats([1, 1, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 4]]));
    expect(d).toBeCloseTo(1 + 4 + (2 - 1) ** 2 + 0 + (3 - 2) ** 2, 10);
  });

  it('matches scipy.linalg.sqrtm for general covariances', () => {
    const a = stats([0, 1, -1], [[2, 0.5, 0.1], [0.5, 1, 0.3], [0.1, 0.3, 0.7]]);
    const b = stats([0.5, 0.5, 0], [[1, -0.2, 0], [-0.2, 2, 0.4], [0, 0.4, 0.5]]);
    // numpy: ((m1-m2)**2).sum() + trace(A + B - 2 sqrtm(A @ B)) = 2.0389837023194337
    expect(frechetFromStats(a, b)).toBeCloseTo(2.0389837023194337, 9);
    expect(frechetFromStats(b, a)).toBeCloseTo(2.0389837023194337, 9);
    expect(frechetFromStats(a, a)).toBeCloseTo(0, 9);
  });

  it('estimates the population distance from samples', () => {
    const rnd = gaussianArray(2 * 4000 * 2, 7);
    const a = Array.from({ length: 4000 }, (_, i) => [rnd[2 * i]!, rnd[2 * i + 1]!]);
    // N((2, 0), diag(4, 1)): d² = 4 + (2 − 1)² = 5.
    const b = Array.from({ length: 4000 }, (_, i) => [2 + 2 * rnd[8000 + 2 * i]!, rnd[8000 + 2 * i + 1]!]);
    expect(frechetDistance(a, b)).toBeCloseTo(5, 0);
    expect(Math.abs(frechetDistance(a, b) - 5)).toBeLessThan(0.3);
  });

  it('refuses sets that cannot be summarised', () => {
    expect(() => frechetDistance([[1, 2]], [[1, 2], [3, 4]])).toThrow(InvalidOptionError);
    expect(() => gaussianStats([[1, 2], [3]])).toThrow(/features\[1\]/);
    expect(() => frechetDistance([[1], [2]], [[1, 2], [3, 4]])).toThrow(/dimensions/);
  });
});

describe('gramDistance', () => {
  // A striped texture with random phase jitter, and its copy shifted by a few pixels.
  const stripes = (n: number, shift: number, seed: number) => {
    const r = mulberry32(seed);
    const v = new Float32Array(n * n * 3);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) for (let c = 0; c < 3; c++) v[(y * n + x) * 3 + c] = 0.5 + 0.4 * Math.sin((x + shift + y * 0.5) * 0.8 + c) + 0.05 * (r() - 0.5);
    return tf.tensor4d(v, [1, n, n, 3]);
  };

  it('is 0 on the reference, small on a shifted copy, large on noise of the same mean and variance', async () => {
    const before = numTensors();
    const ref = stripes(48, 0, 1);
    const shifted = stripes(48, 5, 2);
    const noise = tf.tidy(() => {
      const { mean, variance } = tf.moments(ref);
      return tf.add(tf.mul(tf.randomNormal([1, 48, 48, 3], 0, 1, 'float32', 3), tf.sqrt(variance)), mean);
    });
    expect(await gramDistance(ref, ref)).toBeCloseTo(0, 6);
    const dShift = await gramDistance(shifted, ref);
    const dNoise = await gramDistance(noise, ref);
    expect(dShift).toBeLessThan(0.1);
    expect(dNoise).toBeGreaterThan(5 * dShift);
    tf.dispose([ref, shifted, noise]);
    expect(numTensors()).toBe(before);
  });

  it('has one Gram matrix per scale and refuses images too small for its scales', () => {
    const x = tf.zeros([2, 40, 40, 1]);
    const g = gramFeatures(x, { filters: 4, scales: 2 });
    expect(g.shape).toEqual([2, 2 * 16]);
    expect(() => gramFeatures(x, { scales: 5 })).toThrow(InvalidOptionError);
    tf.dispose([x, g]);
  });
});
