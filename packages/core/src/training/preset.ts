/**
 * Presets as data: a paper's setting (or its CPU-sized variant) as plain, serialisable values
 * under exactly the trainer's option names, so that
 *   trainMle(energy, data, { ...preset.train, sampler: preset.sampler, init: chainInit(shape, preset.init) })
 * means what the preset says. Modality packages export them (`presets` in @ebm/voxel and
 * @ebm/pointcloud).
 */
import { InvalidOptionError } from '../errors';
import type { NetSpec } from '../netspec/types';
import { checkKeys } from '../options';
import { noiseInit, persistentChains, replayBuffer, type ChainInitializer, type NoiseSpec } from '../sampling/init';
import type { LangevinOptions } from '../sampling/langevin';
import type { Projection } from '../sampling/projection';
import type { TrainCoopOptions } from './train-coop';
import type { TrainMleOptions } from './train-mle';

/** Where chains start, as data (see `chainInit`). */
export type ChainInitSpec =
  | { kind: 'noise'; noise?: NoiseSpec }
  | { kind: 'persistent'; count: number; noise?: NoiseSpec; seed?: number }
  | { kind: 'replay'; capacity: number; reinitProb?: number; noise?: NoiseSpec; seed?: number };

export interface Preset {
  /** The energy net. */
  net: NetSpec;
  /** Langevin settings (`langevin` / `trainMle`'s `sampler`), data only: a projection is a named one. */
  sampler: Omit<LangevinOptions, 'mask' | 'project' | 'seed' | 'signal'> & { project?: Projection };
  init: ChainInitSpec;
  /** The rest of `trainMle`'s options. */
  train: Omit<TrainMleOptions, 'sampler' | 'init' | 'checkpoint' | 'resume' | 'signal'>;
  /** Where the setting comes from, and for a CPU-sized variant what was scaled down and why. */
  source: string;
}

/**
 * A cooperative-learning setting as data (CoopNets, conditional CoopNets):
 *   trainCoop(createNet(p.descriptor), createNet(p.generator), data, { ...p.train, sampler: p.sampler })
 */
export interface CoopPreset {
  /** The descriptor net (its score f: U = −f). */
  descriptor: NetSpec;
  /** The generator net: latent z (with a label input when class-conditional) or a condition image → example. */
  generator: NetSpec;
  /** The descriptor's revision of the proposals. */
  sampler: Omit<LangevinOptions, 'mask' | 'project' | 'seed' | 'signal'>;
  /** The rest of `trainCoop`'s options. */
  train: Omit<TrainCoopOptions, 'sampler' | 'labels' | 'conditions' | 'mask' | 'checkpoint' | 'resume' | 'signal'>;
  source: string;
}

/** The chain initialiser a spec describes, for examples of `shape` (without batch). */
export function chainInit(shape: number[], spec: ChainInitSpec): ChainInitializer {
  switch ((spec as { kind?: unknown } | null)?.kind) {
    case 'noise':
      checkKeys('chainInit', 'init', spec, ['kind', 'noise']);
      return noiseInit(shape, spec.noise);
    case 'persistent': {
      checkKeys('chainInit', 'init', spec, ['kind', 'count', 'noise', 'seed']);
      const s = spec as Extract<ChainInitSpec, { kind: 'persistent' }>;
      return persistentChains(shape, s.count, s.noise, { seed: s.seed });
    }
    case 'replay': {
      checkKeys('chainInit', 'init', spec, ['kind', 'capacity', 'reinitProb', 'noise', 'seed']);
      const { kind: _, ...o } = spec as Extract<ChainInitSpec, { kind: 'replay' }>;
      return replayBuffer(shape, o);
    }
    default:
      throw new InvalidOptionError('chainInit', 'init.kind', (spec as { kind?: unknown } | null)?.kind, "'noise', 'persistent' or 'replay'");
  }
}
