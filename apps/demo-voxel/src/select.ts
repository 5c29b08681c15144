import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EarlyStopping, linePanel, Raster, type RunReport, type StepEvent } from '@ebm/core';
import { meanNearestIou, type VoxelGrid, type VoxelScaling } from '@ebm/voxel';

/** The persistent chains' state thresholded into grids, in the data's units (the inverse of gridsToTensor). */
export function stateToGrids(state: Float32Array, dims: [number, number, number], scaling: VoxelScaling, at = 0.5): VoxelGrid[] {
  const size = dims[0] * dims[1] * dims[2];
  return Array.from({ length: state.length / size }, (_, i) => ({ dims, data: Uint8Array.from(state.subarray(i * size, (i + 1) * size), (v) => (v / scaling.scale + scaling.mean > at ? 1 : 0)) }));
}

export interface HeldOutPoint {
  update: number;
  iou: number;
}

/**
 * Early stopping for persistent chains, judged on shapes the model never trained on (core's
 * `EarlyStopping` with a voxel score). Every `every` updates after update `from` (the end of the
 * noise phase: until then the chains are the reference's noise) the chains are thresholded and
 * scored by their mean IoU to the nearest held-out shape, and a copy of the state that scored
 * best is kept. Long runs need it: the full 32³ run on real chairs learnt chairs by its 500th
 * update and had lost most of them by its 2000th, as the energy gap ran back up to the cap the
 * penalty sets (docs/voxel.md). When no check has beaten the best for `patience` updates,
 * `signal` aborts the training (the trainer saves a checkpoint where it stopped).
 */
export class HeldOutSelection {
  private readonly stop: EarlyStopping<Float32Array>;
  /** For the trainer's `signal`: aborted when the checks stop improving. */
  readonly signal: AbortSignal;

  constructor(
    held: readonly VoxelGrid[],
    private readonly state: () => Float32Array | undefined,
    scaling: VoxelScaling,
    options: { every: number; from: number; last: number; patience: number },
  ) {
    if (held.length === 0) throw new RangeError('HeldOutSelection: needs at least one held-out shape');
    this.stop = new EarlyStopping({ ...options, score: () => meanNearestIou(stateToGrids(this.current(), held[0]!.dims, scaling), held), keep: () => this.current().slice() });
    this.signal = this.stop.signal;
  }

  private current(): Float32Array {
    const s = this.state();
    if (!s) throw new Error('HeldOutSelection: the chains have no state yet (check after the first update)');
    return s;
  }

  /** For trainWithReport's `onStep`: runs the checks, and logs each one's score. */
  readonly onStep = async (e: StepEvent, log?: (line: string) => void): Promise<void> => {
    const check = await this.stop.observe(e);
    if (!log || !check) return;
    const { iteration, score } = check;
    const best = this.stop.best!;
    log(`held-out check at update ${iteration}: IoU to the nearest held-out shape ${score.toFixed(3)}${best.iteration === iteration ? ' (best so far)' : `, best ${best.score.toFixed(3)} at update ${best.iteration}`}`);
  };

  /** Every check, in order. */
  get curve(): HeldOutPoint[] {
    return this.stop.curve.map((p) => ({ update: p.iteration, iou: p.score }));
  }

  /** The update after which the checks stopped the run, if they did. */
  get stoppedAt(): number | undefined {
    return this.stop.stoppedAt;
  }

  /** The best-scoring state and its update; undefined before the first check. */
  get best(): (HeldOutPoint & { state: Float32Array }) | undefined {
    const b = this.stop.best;
    return b && { update: b.iteration, iou: b.score, state: b.kept };
  }

  /** `heldout.csv` and `heldout.png`: the held-out score at every check. */
  async write(report: RunReport): Promise<void> {
    if (this.curve.length === 0) return;
    await writeFile(join(report.dir, 'heldout.csv'), `update,iouNearestHeldOut\n${this.curve.map((p) => `${p.update},${p.iou}`).join('\n')}\n`);
    const r = new Raster(450, 280);
    linePanel(r, { x: 0, y: 0, w: 450, h: 280 }, { title: 'chains: IoU to the nearest held-out shape', xLabel: 'iteration', smooth: 0, series: [{ label: 'iouNearestHeldOut', xs: this.curve.map((p) => p.update), ys: this.curve.map((p) => p.iou) }] });
    await report.writePng('heldout.png', r);
  }
}
