import { gaussianEnergy, langevin, tf, fromShortRun, fromSGLD, temperature, InvalidOptionError, gaussianReference, sumEnergies } from '../src';
import { moments, numTensors, setup } from './helpers';

beforeAll(setup);

const MEAN = [1, -2];
const COV = [
  [1, 0.8],
  [0.8, 2],
];

async function run(method: 'ula' | 'mala', stepSize: number, numSteps: number) {
  const energy = gaussianEnergy(2, { mean: MEAN, covariance: COV });
  const x0 = tf.randomNormal([4000, 2], 0, 1, 'float32', 7);
  const { x, stats } = await langevin(energy, x0, { numSteps, stepSize, method, seed: 11 });
  const rows = (await x.array()) as number[][];
  x0.dispose();
  x.dispose();
  energy.dispose();
  return { ...moments(rows), stats };
}

// Tolerances: 4000 chains give a ~2.2% standard error on a variance; ULA's discretisation bias at
// δ = 0.2 is below 2% here (stationary variance 1/(λ(1 − δ²λ/4)) per precision eigenvalue λ).
describe.each([
  ['ula', 0.2, 1000],
  ['mala', 0.6, 600],
] as const)('langevin %s δ=%s steps=%s on a 2D anisotropic Gaussian', (method, stepSize, numSteps) => {
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    result = await run(method, stepSize, numSteps);
  });

  it('reproduces the mean', () => {
    result.mean.forEach((m, i) => expect(Math.abs(m - MEAN[i]!)).toBeLessThan(0.08));
  });

  it('reproduces the covariance', () => {
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(result.cov[i]![j]! - COV[i]![j]!)).toBeLessThan(0.08 * Math.max(1, Math.abs(COV[i]![j]!)));
  });

  it('reports finite diagnostics', () => {
    expect(Number.isFinite(result.stats.meanGradNorm)).toBe(true);
    expect(result.stats.meanGradNorm).toBeGreaterThan(0);
    if (method === 'mala') {
      expect(result.stats.acceptRate).toBeGreaterThan(0.5);
      expect(result.stats.acceptRate).toBeLessThanOrEqual(1);
    } else expect(result.stats.acceptRate).toBeUndefined();
  });
});

describe('langevin options', () => {
  let energy: ReturnType<typeof gaussianEnergy>;
  beforeAll(() => {
    energy = gaussianEnergy(2);
  });
  afterAll(() => energy.dispose());

  it('refSigma adds the Gaussian reference term exactly like sumEnergies(U, gaussianReference(σ))', async () => {
    const x0 = tf.randomNormal([8, 2], 0, 1, 'float32', 3);
    const a = await langevin(energy, x0, { numSteps: 5, stepSize: 0.1, refSigma: 0.5, seed: 1 });
    const both = sumEnergies(gaussianEnergy(2), gaussianReference(0.5));
    const b = await langevin(both, x0, { numSteps: 5, stepSize: 0.1, seed: 1 });
    expect(tf.max(tf.abs(tf.sub(a.x, b.x))).dataSync()[0]).toBeLessThan(1e-5);
    [x0, a.x, b.x].forEach((t) => t.dispose());
    both.dispose();
  });

  it('keeps masked values fixed and clamps', async () => {
    const x0 = tf.tensor2d([
      [0.3, 5],
      [-0.2, 5],
    ]);
    const mask = tf.tensor2d([[1, 0]]);
    const { x } = await langevin(energy, x0, { numSteps: 20, stepSize: 0.5, mask, clamp: [-1, 1], seed: 2 });
    const v = (await x.array()) as number[][];
    expect(v[0]![0]).toBeCloseTo(0.3, 6);
    expect(v[1]![0]).toBeCloseTo(-0.2, 6);
    expect(Math.abs(v[0]![1]!)).toBeLessThanOrEqual(1);
    [x0, mask, x].forEach((t) => t.dispose());
  });

  it('is reproducible for a seed', async () => {
    const x0 = tf.zeros([4, 2]);
    const a = await langevin(energy, x0, { numSteps: 3, stepSize: 0.3, seed: 9 });
    const b = await langevin(energy, x0, { numSteps: 3, stepSize: 0.3, seed: 9 });
    const c = await langevin(energy, x0, { numSteps: 3, stepSize: 0.3, seed: 10 });
    expect(await a.x.data()).toEqual(await b.x.data());
    expect(await a.x.data()).not.toEqual(await c.x.data());
    [x0, a.x, b.x, c.x].forEach((t) => t.dispose());
  });

  it.each([
    [{ numSteps: 0, stepSize: 0.1 }, /numSteps must be an integer > 0, got 0/],
    [{ numSteps: 3, stepSize: -1 }, /stepSize must be a finite number > 0, got -1/],
    [{ numSteps: 3, stepSize: 0.1, method: 'hmc' }, /method must be one of 'ula', 'mala', got "hmc"/],
    [{ numSteps: 3, stepSize: 0.1, clamp: [1, 0] }, /clamp must be \[lo, hi\] with lo < hi, got \[1, 0\]/],
    [{ numSteps: 3, stepSize: 0.1, method: 'mala', gradClip: 1 }, /gradClip must be unset with method 'mala', got 1/],
  ])('rejects %j with a typed error', async (opts, msg) => {
    const x0 = tf.zeros([2, 2]);
    const p = langevin(energy, x0, opts as never);
    await expect(p).rejects.toThrow(InvalidOptionError);
    await expect(p).rejects.toThrow(msg);
    x0.dispose();
  });

  it('does not leak tensors over 100 steps (ULA and MALA)', async () => {
    const x0 = tf.randomNormal([16, 2]);
    for (const method of ['ula', 'mala'] as const) {
      const warm = await langevin(energy, x0, { numSteps: 2, stepSize: 0.1, method });
      warm.x.dispose();
      const before = numTensors();
      const r = await langevin(energy, x0, { numSteps: 100, stepSize: 0.1, method });
      r.x.dispose();
      expect(numTensors()).toBe(before);
    }
    x0.dispose();
  });
});

describe('converters', () => {
  it('maps the short-run rule x ← x + ∇f + ε·N to δ = √2, noiseScale = ε/√2', () => {
    const c = fromShortRun(0.01);
    expect(c.stepSize).toBeCloseTo(Math.SQRT2, 12);
    expect(c.stepSize * c.noiseScale).toBeCloseTo(0.01, 12);
    expect((c.stepSize * c.stepSize) / 2).toBeCloseTo(1, 12);
    expect(temperature(c)).toBeCloseTo(0.00005, 12);
  });

  it('maps SGLD (lr, std) so that δ²/2 = lr and δ·noiseScale = std', () => {
    const c = fromSGLD(10, 0.005);
    expect((c.stepSize * c.stepSize) / 2).toBeCloseTo(10, 10);
    expect(c.stepSize * c.noiseScale).toBeCloseTo(0.005, 12);
  });

  it('the converted canonical step reproduces the short-run update exactly', async () => {
    // f(x) = −‖x‖²/2, so ∇f = −x and the short-run rule gives x − x + ε·N = ε·N.
    const energy = gaussianEnergy(2);
    const x0 = tf.tensor2d([[1, 2]]);
    const c = fromShortRun(0.01);
    const { x } = await langevin(energy, x0, { numSteps: 1, ...c, seed: 5 });
    const noise = tf.mul(0.01, tf.tensor(gaussianArray(2, deriveFirst(5)), [1, 2]));
    expect(tf.max(tf.abs(tf.sub(x, noise))).dataSync()[0]).toBeLessThan(1e-6);
    [x0, x, noise].forEach((t) => t.dispose());
    energy.dispose();
  });
});

import { deriveSeed, gaussianArray } from '../src';
const deriveFirst = (seed: number) => deriveSeed(seed, 0);

// Sampling on the line x1 + x2 = 2 with the move projected onto it (move − mean(move)): for the
// Gaussian above, s = x1 + x2 and d = x1 − x2 have var(s) 4.6, var(d) 1.4, cov(s, d) −1, so
// d | s = 2 is Gaussian with mean 3 − (−1/4.6)(−3) = 2.3478 and variance 1.4 − 1/4.6 = 1.1826.
describe.each([
  ['ula', 0.2, 400],
  ['mala', 0.6, 250],
] as const)('langevin %s with a projection onto x1 + x2 = 2', (method, stepSize, numSteps) => {
  it('stays on the line and reproduces the conditional distribution', async () => {
    const energy = gaussianEnergy(2, { mean: MEAN, covariance: COV });
    const z = tf.randomNormal([4000, 1], 0, 1, 'float32', 5);
    const x0 = tf.concat([tf.add(1, z), tf.sub(1, z)], 1);
    const project = (m: tf.Tensor) => tf.sub(m, tf.mean(m, 1, true));
    const { x, stats } = await langevin(energy, x0, { numSteps, stepSize, method, project, seed: 4 });
    const rows = (await x.array()) as number[][];
    const s = rows.map(([a, b]) => a! + b!);
    const d = rows.map(([a, b]) => a! - b!);
    expect(Math.max(...s.map((v) => Math.abs(v - 2)))).toBeLessThan(1e-4);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
    expect(Math.abs(mean - 2.3478)).toBeLessThan(0.06);
    expect(Math.abs(variance / 1.1826 - 1)).toBeLessThan(0.08);
    if (method === 'mala') expect(stats.acceptRate).toBeGreaterThan(0.5);
    [z, x0, x].forEach((t) => t.dispose());
    energy.dispose();
  });
});
