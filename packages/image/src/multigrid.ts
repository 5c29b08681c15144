/**
 * Multigrid modeling and sampling (Gao, Lu, Zhou, Zhu, Wu, CVPR 2018; ruiqigao/Multigrid_learning):
 * one descriptor per grid (1×1 → … → full size), all updated every iteration. Training images are
 * shrunk to each grid by area averaging (the paper's Q); the coarsest grid's chains start from
 * the 1×1 versions of training images, and each finer grid's chains start from the coarser grid's
 * samples upsampled by pixel replication (Q⁻¹). Langevin is noise-free gradient ascent clipped to
 * the pixel range, as in the official code.
 */
import {
  createNet,
  createOptimizer,
  fromShortRun,
  deriveSeed,
  fromCoarser,
  InvalidOptionError,
  langevin,
  mleIteration,
  netEnergy,
  observedBatches,
  permutation,
  resolveLangevinOptions,
  resolveWatch,
  sampleNoise,
  tf,
  trainLoop,
  type ChainInitializer,
  type Energy,
  type LangevinOptions,
  type Net,
  type NetSpec,
  type Optimizer,
  type OptimizerOptions,
  type Tensor,
  type TrainEvent,
  type WatchOptions,
} from '@ebm/core';
import { resizeImage, toChannels, type Image, type PixelRange } from './image';
import { multigridNet, shortRunNet } from './nets';
import { fromNetRange, toNetRange } from './model';

/** A multigrid setting as data: one net per grid, coarse to fine, and what they share. */
export interface MultigridPreset {
  /** Grid sizes, coarse to fine; each divides the next. */
  sizes: number[];
  /** One net per grid, taking images of its size. */
  nets: NetSpec[];
  /** Langevin settings of every grid (the official code: 90 steps, δ 0.3, no noise, clipped). */
  sampler: Omit<LangevinOptions, 'mask' | 'project' | 'seed' | 'signal'>;
  /** Per grid, settings that replace the shared sampler's (e.g. more noise on a coarse grid). */
  gridSamplers?: readonly Partial<Omit<LangevinOptions, 'mask' | 'project' | 'seed' | 'signal'>>[];
  /** The pixel range the nets see. */
  range: PixelRange;
  train: {
    batchSize: number;
    iterations: number;
    optimizer: OptimizerOptions;
    /** Gaussian noise of this std added to every observed batch, as `trainMle`'s `dataNoise` (short-run MCMC: 0.03). */
    dataNoise?: number;
    /** The energy-magnitude penalty α (mean U² of both batches), as `trainMle`'s `energyL2`. */
    energyL2?: number;
  };
  source: string;
}

export interface MultigridOptions {
  preset: MultigridPreset;
  iterations?: number;
  seed?: number;
  runtime?: string;
  /**
   * The training watch on the finest grid's chains (on by default, 'warn'; `false` turns it off):
   * a warning when they are not reaching the data or have collapsed onto a few digits. See
   * `WatchOptions` in @ebm/core.
   */
  watch?: WatchOptions | false;
  signal?: AbortSignal;
}

export interface MultigridModel {
  nets: Net[];
  energies: Energy[];
  sizes: number[];
  /** The training images at each grid, in the nets' units. */
  data: Tensor[];
  /** Trains every grid as they are consumed (step events carry the finest grid's statistics). */
  events: AsyncGenerator<TrainEvent, void, undefined>;
  /** n images drawn coarse to fine (the chain of every grid in turn). */
  sample(n: number, seed?: number): Promise<Image[]>;
  dispose(): void;
}

/**
 * Rows of `data` picked by a seeded permutation: where the coarsest grid's chains start (the
 * paper's 1×1 images), or uniform noise over the pixel range when the coarsest grid is not 1×1
 * (a single-grid model, the baseline the paper compares with).
 */
function coarsestStart(data: Tensor, range: PixelRange): ChainInitializer {
  const shape = data.shape.slice(1);
  const fromData = shape[0] === 1 && shape[1] === 1;
  return {
    kind: fromData ? 'fixed' : 'noise',
    start(n, seed) {
      if (!fromData) return { x: sampleNoise(n, shape, { dist: 'uniform', low: range[0], high: range[1] }, seed) };
      const perm = permutation(data.shape[0]!, seed);
      const rows = Int32Array.from({ length: n }, (_, i) => perm[i % perm.length]!);
      return { x: tf.tidy(() => tf.gather(data, tf.tensor1d(rows, 'int32'))) };
    },
    finish: async () => {},
    state: () => undefined,
    setState: () => {},
    reset: () => {},
  };
}

/** Builds the grids' descriptors for `images` and starts (lazily) their joint training. */
export function multigridTraining(images: readonly Image[], options: MultigridOptions): MultigridModel {
  const fn = 'multigridTraining';
  const { preset } = options;
  const { sizes } = preset;
  if (sizes.length === 0 || sizes.length !== preset.nets.length) throw new InvalidOptionError(fn, 'preset.nets', `${preset.nets.length} nets for ${sizes.length} grids`, 'one net per grid size');
  sizes.forEach((s, i) => {
    if (i > 0 && s % sizes[i - 1]! !== 0) throw new InvalidOptionError(fn, 'preset.sizes', sizes, 'sizes that each divide the next');
    if (preset.nets[i]!.input[0] !== s || preset.nets[i]!.input[1] !== s) throw new InvalidOptionError(fn, `preset.nets[${i}]`, preset.nets[i]!.input, `a net taking ${s}×${s} images`);
  });
  for (const key of ['dataNoise', 'energyL2'] as const) {
    const v = preset.train[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new InvalidOptionError(fn, `preset.train.${key}`, v, 'a finite number ≥ 0');
  }
  const channels = preset.nets[0]!.input[2] as 1 | 3;
  const seed = options.seed ?? 0;
  const full = sizes.at(-1)!;
  const base = images.map((i) => toChannels(resizeImage(i, full, full), channels));
  const data = sizes.map((s) => toNetRange(base.map((i) => resizeImage(i, s, s)), preset.range));
  const nets = preset.nets.map((spec, g) => createNet(spec, { seed: deriveSeed(seed, g), runtime: options.runtime ?? 'onnx' }));
  const energies = nets.map((n) => netEnergy(n));
  const optimizers: Optimizer[] = nets.map(() => createOptimizer(preset.train.optimizer, fn));
  const samplers = sizes.map((_, g) => resolveLangevinOptions({ ...preset.sampler, ...preset.gridSamplers?.[g] } as LangevinOptions, fn));
  const sampler = samplers.at(-1)!;
  const batchSize = Math.min(preset.train.batchSize, images.length);
  // Each grid's chains start from the previous grid's samples of this iteration.
  const coarse: (Tensor | undefined)[] = sizes.map(() => undefined);
  const inits = sizes.map((s, g) =>
    g === 0
      ? coarsestStart(data[0]!, preset.range)
      : fromCoarser(async () => {
          const c = coarse[g - 1]!;
          coarse[g - 1] = undefined;
          return c;
        }, s / sizes[g - 1]!),
  );
  const perEpoch = Math.floor(images.length / batchSize);
  const steps = sizes.map((_, g) => {
    const batches = observedBatches(data[g]!, { batchSize, seed, dataNoise: preset.train.dataNoise });
    return mleIteration({ energy: energies[g]!, optimizer: optimizers[g]!, batches, batchesOf: (it) => [it % perEpoch], init: inits[g]!, numSynthesized: batchSize, sampler: samplers[g]!, energyL2: preset.train.energyL2, seed: deriveSeed(seed, g) });
  });
  const iterations = options.iterations ?? preset.train.iterations;
  const watch = resolveWatch(options.watch, fn);
  async function* run(): AsyncGenerator<TrainEvent, void, undefined> {
    try {
      yield* trainLoop({
        fn,
        models: nets.map((n, g) => ({ name: `grid${sizes[g]}`, energy: energies[g]!, optimizer: optimizers[g]!, netSpec: n.spec })),
        step: async (ctx) => {
          for (let g = 0; g < sizes.length; g++) {
            const r = await steps[g]!(ctx);
            if (!r.ok) return r;
            if (g === sizes.length - 1) return r;
            coarse[g]?.dispose();
            coarse[g] = r.samples;
          }
          throw new Error('unreachable');
        },
        iterations,
        epochOf: (it) => Math.floor(it / perEpoch),
        stepSize: sampler.stepSize,
        learningRateSchedule: { kind: 'constant' },
        watch,
        samplesEvery: 0,
        seed,
        signal: options.signal,
      });
    } finally {
      coarse.forEach((c) => c?.dispose());
      optimizers.forEach((o) => o.dispose());
    }
  }
  return {
    nets,
    energies,
    sizes,
    data,
    events: run(),
    async sample(n, s = 0) {
      let x = (await coarsestStart(data[0]!, preset.range).start(n, deriveSeed(s, 0x5a))).x;
      for (let g = 0; g < sizes.length; g++) {
        if (g > 0) {
          const up = await fromCoarser(async () => x, sizes[g]! / sizes[g - 1]!).start(n, 0);
          x = up.x;
        }
        const r = await langevin(energies[g]!, x, { ...samplers[g]!, seed: deriveSeed(s, g) });
        x.dispose();
        x = r.x;
      }
      try {
        return await fromNetRange(x, preset.range);
      } finally {
        x.dispose();
      }
    },
    dispose() {
      nets.forEach((n) => n.dispose());
      data.forEach((d) => d.dispose());
    },
  };
}

/**
 * The CPU-sized digits setting's nets: a dense score on a 1×1 grid, the short-run net (n_f 8)
 * on every larger one.
 */
export function multigridCpuNets(sizes: readonly number[], channels: number): NetSpec[] {
  return sizes.map((s) => (s <= 1 ? multigridNet(1, channels, 0.25) : shortRunNet(s, channels, 8)));
}

/**
 * Multigrid settings. `paper`: the official code's 1 → 4 → 16 → 64 grids on 64×64 RGB.
 * `digits`: scaled down for 28×28 gray digits on 2 CPU cores.
 */
export const multigridPresets = {
  paper: {
    sizes: [1, 4, 16, 64],
    nets: [1, 4, 16, 64].map((s) => multigridNet(s, 3)),
    sampler: { numSteps: 90, stepSize: 0.3, noiseScale: 0, clamp: [0, 255] },
    range: [0, 255],
    train: { batchSize: 100, iterations: 70000, optimizer: { learningRate: 0.3, beta1: 0.5 } },
    source: 'Gao et al., CVPR 2018 (ruiqigao/Multigrid_learning main.py, model.py): grids 1/4/16/64, pixels in [0, 255], T = 90 noise-free Langevin steps of δ 0.3 per grid, clipped to [0, 255]; batch norm, leaky-ReLU 0.2; Adam 0.3 β1 0.5, batch 100, 700 epochs (70000 iterations on 10k images). The official L2 weight decay 1e-4 is not applied.',
  },
  digits: {
    sizes: [1, 7, 28],
    nets: multigridCpuNets([1, 7, 28], 1),
    sampler: { numSteps: 20, ...fromShortRun(0.01), clamp: [-1, 1] },
    // The 7×7 grid's chains start from constant images (the 1×1 grid): with the short-run noise
    // ε = 0.01 every sample became the same thin stroke (FID 149 against 38 for one grid from
    // noise); ε = 0.2 there makes the coarse layouts differ.
    gridSamplers: [{}, { noiseScale: fromShortRun(0.2).noiseScale }, {}],
    range: [-1, 1],
    train: { batchSize: 32, iterations: 400, optimizer: { learningRate: 5e-4, beta1: 0.9, beta2: 0.999 } },
    source: 'Scaled down from paper for 28×28 gray digits on 2 CPU cores: grids 1 → 7 → 28 (factors 7 and 4 instead of 4, 4, 4); the 7 and 28 px grids use the short-run net (n_f 8, no batch norm), the 1 px grid a dense layer; 20 steps per grid of the short-run rule (x += ∂f/∂x + 0.01·N, clamped to [−1, 1]) with its Adam 5e-4 β (0.9, 0.999), batch 32. The official sampler (90 noise-free steps of δ 0.3 in [0, 255] with batch-norm nets and Adam 0.3) learned nothing digit-like in the 150 updates a 5-minute run allows (FID 225 against 190 for one grid from noise), and its noise-free chains make every sample a deterministic function of its 1×1 start, which for digits is nearly the same grey for all.',
  },
} as const satisfies Record<string, MultigridPreset>;
