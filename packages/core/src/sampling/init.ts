import { InvalidOptionError, ShapeMismatchError } from '../errors';
import { checkKeys, nonNegative, positiveInt, probability, seedOf } from '../options';
import { deriveSeed, gaussianArray, mulberry32, permutation, tfSeed } from '../random';
import type { Net } from '../netspec/net';
import { upsampleNearest } from '../netspec/layers/upsample';
import { tf, type Tensor } from '../tf';

/** Where fresh chains start. */
/**
 * Where fresh chains start. A Gaussian's `mean` and `std` may be arrays, one value per entry of the
 * last axis (per channel of an image, per coordinate of a point): chains that start with the
 * data's per-channel moments only have to shape the data, not also move and rescale it.
 */
export type NoiseSpec = { dist: 'uniform'; low?: number; high?: number } | { dist: 'gaussian'; mean?: number | readonly number[]; std?: number | readonly number[] };

/** Draws n fresh starting points of `shape` (without batch). Owned by the caller. */
export function sampleNoise(n: number, shape: number[], noise: NoiseSpec, seed: number): Tensor {
  if (noise.dist === 'uniform') {
    const lo = noise.low ?? -1;
    const hi = noise.high ?? 1;
    if (!(lo < hi)) throw new InvalidOptionError('sampleNoise', 'noise', noise, 'low < high');
    return tf.randomUniform([n, ...shape], lo, hi, 'float32', tfSeed(seed));
  }
  if (noise.dist === 'gaussian') {
    const { mean = 0, std = 1 } = noise;
    if (typeof mean === 'number' && typeof std === 'number') return tf.randomNormal([n, ...shape], mean, nonNegative('sampleNoise', 'noise.std', std), 'float32', tfSeed(seed));
    const channels = shape[shape.length - 1];
    const perChannel = (v: number | readonly number[], name: string, check: (x: number) => void) => {
      const a = typeof v === 'number' ? [v] : Array.from(v);
      if (a.length !== 1 && a.length !== channels) throw new InvalidOptionError('sampleNoise', name, `${a.length} values`, `one or one per entry of the last axis (${channels})`);
      a.forEach(check);
      return a;
    };
    const m = perChannel(mean, 'noise.mean', (x) => {
      if (!Number.isFinite(x)) throw new InvalidOptionError('sampleNoise', 'noise.mean', x, 'finite numbers');
    });
    const s = perChannel(std, 'noise.std', (x) => nonNegative('sampleNoise', 'noise.std', x));
    return tf.tidy(() => tf.add(tf.mul(tf.randomNormal([n, ...shape], 0, 1, 'float32', tfSeed(seed)), s), m));
  }
  throw new InvalidOptionError('sampleNoise', 'noise.dist', (noise as { dist: unknown }).dist, "'uniform' or 'gaussian'");
}

/** A batch of chain starting points and where they came from. */
export interface ChainStart {
  /** Starting points [n, ...shape]; owned by the caller. */
  x: Tensor;
  /** Rows of the bank they were read from (persistent / replay initialisers). */
  indices?: Int32Array;
  /** The latent codes z that a generator mapped to x (`fromGenerator`); owned by the caller. */
  latent?: Tensor;
  /**
   * The rows of a conditional model's mask that go with these starts (`fixedStarts` with a
   * `mask`; 1 = observed, held fixed); the trainer's chains use it instead of the sampler's.
   * Owned by the caller.
   */
  mask?: Tensor;
}

/**
 * How a trainer starts its chains each iteration. `finish` hands the chains' end points back
 * (persistent chains and replay buffers keep them); stateless initialisers ignore it.
 */
export interface ChainInitializer {
  readonly kind: 'noise' | 'persistent' | 'replay' | 'fixed' | 'generator' | 'coarser';
  /** n starting points; may run a net (then asynchronously). */
  start(n: number, seed: number): ChainStart | Promise<ChainStart>;
  finish(x: Tensor, start: ChainStart): Promise<void>;
  /** Serializable state (checkpoints); undefined when stateless. */
  state(): Float32Array | undefined;
  setState(bank: Float32Array): void;
  /** Forgets every stored chain (after a divergence rollback). */
  reset(seed: number): void;
}

/** Fresh noise every iteration ("short-run" / non-persistent chains). */
export function noiseInit(shape: number[], noise: NoiseSpec = { dist: 'uniform' }): ChainInitializer {
  return {
    kind: 'noise',
    start: (n, seed) => ({ x: sampleNoise(n, shape, noise, seed) }),
    finish: async () => {},
    state: () => undefined,
    setState: () => {},
    reset: () => {},
  };
}

export interface ReplayBufferOptions {
  /** Number of stored chains. */
  capacity: number;
  /** Probability that a drawn chain restarts from noise (IGEBM / JEM use 0.05); default 0.05. */
  reinitProb?: number;
  /** Distribution of fresh chains; default uniform on [−1, 1]. */
  noise?: NoiseSpec;
  /** Seed of the bank's initial noise; default 0. */
  seed?: number;
}

/**
 * A bank of chains kept on the CPU as one Float32Array, so storing thousands of images costs no
 * tensor memory and no copies of the whole bank. Rows are filled with noise at creation.
 */
class ChainBank {
  readonly rowSize: number;
  bank: Float32Array;
  constructor(
    readonly shape: number[],
    readonly capacity: number,
    readonly noise: NoiseSpec,
    seed: number,
  ) {
    this.rowSize = shape.reduce((a, b) => a * b, 1);
    this.bank = new Float32Array(capacity * this.rowSize);
    this.fill(seed);
  }
  fill(seed: number): void {
    const t = sampleNoise(this.capacity, this.shape, this.noise, seed);
    this.bank.set(t.dataSync());
    t.dispose();
  }
  read(indices: Int32Array, fresh?: Uint8Array, seed = 0): Tensor {
    const out = new Float32Array(indices.length * this.rowSize);
    indices.forEach((r, i) => out.set(this.bank.subarray(r * this.rowSize, (r + 1) * this.rowSize), i * this.rowSize));
    if (fresh && fresh.some((f) => f)) {
      const noise = sampleNoise(indices.length, this.shape, this.noise, seed);
      const nd = noise.dataSync();
      noise.dispose();
      fresh.forEach((f, i) => f && out.set(nd.subarray(i * this.rowSize, (i + 1) * this.rowSize), i * this.rowSize));
    }
    return tf.tensor(out, [indices.length, ...this.shape]);
  }
  async write(x: Tensor, indices: Int32Array): Promise<void> {
    if (x.size !== indices.length * this.rowSize) throw new ShapeMismatchError(`chains of shape [${x.shape}] do not fit ${indices.length} bank rows of shape [${this.shape}]`);
    const d = (await x.data()) as Float32Array;
    indices.forEach((r, i) => this.bank.set(d.subarray(i * this.rowSize, (i + 1) * this.rowSize), r * this.rowSize));
  }
  setState(bank: Float32Array): void {
    if (bank.length !== this.bank.length) throw new ShapeMismatchError(`chain bank state has ${bank.length} values, expected ${this.bank.length}`);
    this.bank.set(bank);
  }
}

/**
 * Replay buffer (IGEBM, JEM): each iteration draws n stored chains at random, restarting each from
 * noise with probability `reinitProb`; the trainer writes the chains' end points back.
 */
export function replayBuffer(shape: number[], options: ReplayBufferOptions): ChainInitializer {
  const capacity = positiveInt('replayBuffer', 'capacity', options.capacity);
  const reinitProb = probability('replayBuffer', 'reinitProb', options.reinitProb ?? 0.05);
  const bank = new ChainBank(shape, capacity, options.noise ?? { dist: 'uniform' }, deriveSeed(seedOf('replayBuffer', options.seed), 0xba4c));
  return {
    kind: 'replay',
    start(n, seed) {
      const rand = mulberry32(seed);
      const indices = new Int32Array(n);
      const fresh = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        indices[i] = Math.floor(rand() * capacity);
        fresh[i] = rand() < reinitProb ? 1 : 0;
      }
      return { x: bank.read(indices, fresh, deriveSeed(seed, 1)), indices };
    },
    finish: (x, s) => bank.write(x, s.indices!),
    state: () => bank.bank,
    setState: (b) => bank.setState(b),
    reset: (seed) => bank.fill(seed),
  };
}

/**
 * Persistent chains (PCD; the warm-started chains of the descriptor papers): n chains that each
 * continue where the previous iteration left them, starting from `noise` drawn with `options.seed`
 * (default 0). Asking for a different n than `count` throws.
 */
export function persistentChains(shape: number[], count: number, noise: NoiseSpec = { dist: 'uniform' }, options: { seed?: number } = {}): ChainInitializer {
  positiveInt('persistentChains', 'count', count);
  const bank = new ChainBank(shape, count, noise, deriveSeed(seedOf('persistentChains', options.seed), 0xba4c));
  const all = Int32Array.from({ length: count }, (_, i) => i);
  return {
    kind: 'persistent',
    start(n) {
      if (n !== count) throw new InvalidOptionError('persistentChains', 'n', n, `the chain count ${count}`);
      return { x: bank.read(all), indices: all };
    },
    finish: (x, s) => bank.write(x, s.indices!),
    state: () => bank.bank,
    setState: (b) => bank.setState(b),
    reset: (seed) => bank.fill(seed),
  };
}

/**
 * Chains that start from the same given points every iteration: the conditional models of the
 * descriptor papers, e.g. super-resolution chains that start at the upsampled low-resolution input
 * of each training example (3D DescriptorNet, sr_exp.py). With as many chains as starts every
 * iteration sees every start, in order; with fewer, each iteration takes a seeded random subset,
 * so a large training set costs `numSynthesized` chains an update, not one per example. A
 * recovery model's `mask` (one row per start, 1 = observed) then travels with its rows: the
 * trainer holds each chain's own observed entries fixed. With `fill`, the entries the mask hides
 * start as fresh noise of that distribution every time (seeded by the iteration), so that the
 * chains of one example differ from their first step: the short-run initialisation restricted to
 * the unknown part (inpainting from noise). `starts` and `mask` are copied.
 */
export function fixedStarts(starts: Tensor, options: { mask?: Tensor; fill?: NoiseSpec } = {}): ChainInitializer {
  const count = starts.shape[0] ?? 0;
  positiveInt('fixedStarts', 'starts.shape[0]', count);
  checkKeys('fixedStarts', 'options', options, ['mask', 'fill']);
  const mask = options.mask;
  if (options.fill && !mask) throw new InvalidOptionError('fixedStarts', 'fill', 'without a mask', "a mask: 'fill' is noise for the entries the mask hides");
  // One row per start; other axes as the starts' or 1 (a pixel mask shared by the channels).
  if (mask && (mask.shape.length !== starts.shape.length || mask.shape[0] !== count || mask.shape.some((d, i) => i > 0 && d !== 1 && d !== starts.shape[i])))
    throw new ShapeMismatchError(`fixedStarts: mask [${mask.shape}] must have one row per start and the starts' other axes (or 1) ([${starts.shape}])`);
  // Kept on the CPU side like the chain banks, so the initializer holds no tensor memory.
  const values = Float32Array.from(starts.dataSync());
  const maskValues = mask && Float32Array.from(mask.dataSync());
  const shape = starts.shape.slice();
  const rowsOf = (from: Float32Array, of: number[], rows: Int32Array) => {
    const size = from.length / count;
    const out = new Float32Array(rows.length * size);
    rows.forEach((r, i) => out.set(from.subarray(r * size, (r + 1) * size), i * size));
    return tf.tensor(out, [rows.length, ...of.slice(1)]);
  };
  return {
    kind: 'fixed',
    start(n, seed) {
      if (n > count) throw new InvalidOptionError('fixedStarts', 'n', n, `at most the number of starts ${count}`);
      const rows = n === count ? undefined : permutation(count, seed).subarray(0, n);
      const x = rows ? rowsOf(values, shape, rows) : tf.tensor(values, shape);
      const m = maskValues && (rows ? rowsOf(maskValues, mask!.shape, rows) : tf.tensor(maskValues, mask!.shape));
      const out: ChainStart = { x, ...(rows ? { indices: rows.slice() } : {}), ...(m ? { mask: m } : {}) };
      if (!options.fill) return out;
      // Hidden entries start as fresh noise each time: chains of one example differ from their
      // first step (the short-run initialisation, restricted to what the mask hides).
      out.x = tf.tidy(() => {
        const noise = sampleNoise(n, shape.slice(1), options.fill!, seed + 1);
        return tf.add(tf.mul(m!, x), tf.mul(tf.sub(1, m!), noise));
      });
      x.dispose();
      return out;
    },
    finish: async () => {},
    state: () => undefined,
    setState: () => {},
    reset: () => {},
  };
}

/** The stateless parts of an initialiser whose starts come from a function. */
const stateless = { finish: async () => {}, state: () => undefined, setState: () => {}, reset: () => {} };

/**
 * Chains that start at a generator's output g(z), z ~ N(0, I) from the seed (CoopNets' MCMC
 * teaching: the descriptor revises the generator's proposals). The start records z in `latent`
 * for the generator's own update. The generator is borrowed and run in its current mode.
 */
export function fromGenerator(generator: Net): ChainInitializer {
  const latent = generator.inputShape;
  const size = latent.reduce((a, b) => a * b, 1);
  return {
    kind: 'generator',
    async start(n, seed) {
      const z = tf.tensor(gaussianArray(n * size, seed), [n, ...latent]);
      try {
        return { x: await generator.forward(z), latent: z };
      } catch (e) {
        z.dispose();
        throw e;
      }
    },
    ...stateless,
  };
}

/**
 * Chains that start at a coarser model's samples upsampled by nearest replication (multigrid
 * sampling, Gao et al. CVPR 2018: each grid's chain starts from the upsampled result of the coarser
 * grid). `coarse(n, seed)` returns n coarse samples [n, S..., C] (owned by the initialiser, which
 * disposes them); `factor` multiplies every spatial axis (one number, or one per axis).
 */
export function fromCoarser(coarse: (n: number, seed: number) => Promise<Tensor>, factor: number | number[]): ChainInitializer {
  const factors = (f: number) => (typeof factor === 'number' ? new Array<number>(f).fill(factor) : factor);
  if (typeof factor === 'number') positiveInt('fromCoarser', 'factor', factor);
  else factor.forEach((f, i) => positiveInt('fromCoarser', `factor[${i}]`, f));
  return {
    kind: 'coarser',
    async start(n, seed) {
      const c = await coarse(n, seed);
      const d = c.rank - 2;
      if (d < 1 || factors(d).length !== d) {
        c.dispose();
        throw new ShapeMismatchError(`fromCoarser: coarse samples [${c.shape}] need ${typeof factor === 'number' ? 'spatial axes' : `${factors(d).length} spatial axes`} and a channel axis`);
      }
      const x = tf.tidy(() => upsampleNearest(c, factors(d)));
      c.dispose();
      return { x };
    },
    ...stateless,
  };
}

/**
 * Starting points for recovery / inpainting: observed values where `mask` is 1, noise elsewhere.
 * Pass the same mask to `langevin` so observed values stay clamped. Owned by the caller.
 */
export function maskedStart(observed: Tensor, mask: Tensor, noise: NoiseSpec, seed: number): Tensor {
  return tf.tidy(() => {
    const m = tf.broadcastTo(mask, observed.shape);
    const z = sampleNoise(observed.shape[0]!, observed.shape.slice(1), noise, seed);
    return tf.add(tf.mul(m, observed), tf.mul(tf.sub(1, m), z));
  });
}

