/**
 * Damaged shapes for recovery (3D DescriptorNet §4.3, rec_exp.py): a random share of each shape's
 * voxels observed, the rest to be filled in by a chain that keeps the observed ones clamped.
 */
import { InvalidOptionError, permutation, tf, type ChainInitializer, type Tensor } from '@ebm/core';
import { neighbourhoodShare } from './fill';
import { gridsToTensor, type VoxelGrid, type VoxelScaling } from './grid';
import { RETRIEVAL_WEIGHT, retrievalShare } from './retrieve';

export interface RetrievalStart {
  /** Shapes whose nearest ones (on the observed voxels) inform the start: the training shapes. A shape that is itself one of them (the same object) is left out of its own retrieval. */
  references: readonly VoxelGrid[];
  /** How many nearest references are averaged (`retrievalShare`). */
  k: number;
}

export interface DamageOptions {
  /** Share of voxels observed (kept), each drawn independently; rec_exp.py keeps 0.3. */
  observed: number;
  /** The model's units (`gridsToTensor`); a number is a mean to subtract. */
  scaling: number | VoxelScaling;
  /** Seed of the masks. */
  seed: number;
  /**
   * Hidden voxels start at the even blend of the neighbourhood share and the share of the `k`
   * references nearest the shape on its observed voxels (`RETRIEVAL_WEIGHT`); without it, at the
   * neighbourhood share alone.
   */
  retrieval?: RetrievalStart;
}

export interface DamagedShapes {
  /** Chain starts [n, D, H, W, 1] in the model's units: observed voxels as they are, hidden ones at their guess. Owned by the caller. */
  start: Tensor;
  /** 1 = observed (held fixed by a masked chain), 0 = hidden; same shape. Owned by the caller. */
  mask: Tensor;
  /** Each shape's occupancy among its observed voxels. */
  rates: number[];
}

/**
 * Masked copies of shapes: a random `observed` share of the voxels kept (mask 1). rec_exp.py sets
 * the hidden ones to the observed occupancy rate; here each hidden voxel starts at the share of
 * occupied voxels among the observed ones around it (`neighbourhoodShare`; the rate where none is
 * observed), a local guess the chain refines (measured against the rate start in docs/voxel.md),
 * blended with the nearest references' shapes when `retrieval` is given.
 */
export function damageShapes(grids: readonly VoxelGrid[], options: DamageOptions): DamagedShapes {
  check('damageShapes', grids, options.observed);
  const r = options.retrieval;
  if (r && !(Number.isInteger(r.k) && r.k >= 1)) throw new InvalidOptionError('damageShapes', 'retrieval.k', r.k, 'an integer >= 1');
  if (!Number.isInteger(options.seed)) throw new InvalidOptionError('damageShapes', 'seed', options.seed, 'an integer');
  const { mean, scale } = typeof options.scaling === 'number' ? { mean: options.scaling, scale: 1 } : options.scaling;
  const x = gridsToTensor(grids, options.scaling);
  const mask = tf.tidy(() => tf.cast(tf.less(tf.randomUniform(x.shape, 0, 1, 'float32', options.seed), options.observed), 'float32'));
  const m = mask.dataSync();
  const n = grids[0]!.data.length;
  const rates = grids.map((g, i) => {
    let seen = 0;
    let on = 0;
    for (let j = 0; j < n; j++) if (m[i * n + j]) (seen++, (on += g.data[j]!));
    return seen ? on / seen : 0;
  });
  const guess = new Float32Array(grids.length * n);
  grids.forEach((g, i) => {
    const known = m.subarray(i * n, (i + 1) * n);
    const local = neighbourhoodShare(g, known, { fallback: rates[i]! }).data;
    const far = options.retrieval && retrievalShare(g, options.retrieval.references, { k: options.retrieval.k, known });
    guess.set(local.map((v, j) => ((far ? (1 - RETRIEVAL_WEIGHT) * v + RETRIEVAL_WEIGHT * far[j]! : v) - mean) * scale), i * n);
  });
  const start = tf.tidy(() => tf.add(tf.mul(mask, x), tf.mul(tf.sub(1, mask), tf.tensor(guess, x.shape))));
  x.dispose();
  return { start, mask, rates };
}

/**
 * Chain starts for learning recovery as a conditional model (`trainMle`'s `init`): each update
 * a seeded pick of `n` of the shapes, damaged under fresh masks. rec_exp.py draws one mask per
 * shape for the whole run, so the model sees each shape damaged one way only; with new masks
 * every update it learns to recover a shape whatever is hidden (measured in docs/voxel.md: error
 * rate −37% on procedural chairs, −8% on real ones). The trainer's observed batch is its own
 * pick: the likelihood gradient compares the two batches' mean energies, not pairs.
 */
export function recoveryStarts(grids: readonly VoxelGrid[], options: Omit<DamageOptions, 'seed'>): ChainInitializer {
  check('recoveryStarts', grids, options.observed);
  return {
    kind: 'fixed',
    start(n, seed) {
      if (n > grids.length) throw new InvalidOptionError('recoveryStarts', 'n', n, `at most the number of shapes ${grids.length}`);
      const rows = n === grids.length ? grids.map((_, i) => i) : Array.from(permutation(grids.length, seed).subarray(0, n));
      const { start, mask } = damageShapes(rows.map((r) => grids[r]!), { ...options, seed });
      return { x: start, mask, indices: Int32Array.from(rows) };
    },
    finish: async () => {},
    state: () => undefined,
    setState: () => {},
    reset: () => {},
  };
}

function check(fn: string, grids: readonly VoxelGrid[], observed: number): void {
  if (!(observed >= 0 && observed <= 1)) throw new InvalidOptionError(fn, 'observed', observed, 'a share in [0, 1]');
  if (grids.length === 0) throw new InvalidOptionError(fn, 'grids', 0, 'at least one grid');
}
