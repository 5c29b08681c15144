import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { linePanel, Raster, type RunReport, type StepEvent } from '@ebm/core';
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
 * Early stopping for persistent chains, judged on shapes the model never trained on. Every
 * `every` updates after update `from` (the end of the noise phase: until then the chains are the
 * reference's noise) the chains are thresholded and scored by their mean IoU to the nearest
 * held-out shape, and the state that scored best is kept. Long runs need it: the full 32³ run on
 * real chairs learnt chairs by its 500th update and had lost most of them by its 2000th, as the
 * energy gap ran back up to the cap the penalty sets (docs/voxel.md). When no check has beaten the
 * best for `patience` updates, `signal` aborts the training (early stopping; the trainer saves a
 * checkpoint where it stopped).
 */
export class HeldOutSelection {
  readonly curve: HeldOutPoint[] = [];
  private bestState: Float32Array | undefined;
  private bestPoint: HeldOutPoint | undefined;
  private readonly controller = new AbortController();
  /** For the trainer's `signal`: aborted when the checks stop improving. */
  readonly signal: AbortSignal = this.controller.signal;
  /** The update after which the checks stopped the run, if they did. */
  stoppedAt: number | undefined;

  constructor(
    private readonly held: readonly VoxelGrid[],
    private readonly state: () => Float32Array | undefined,
    private readonly scaling: VoxelScaling,
    private readonly options: { every: number; from: number; last: number; patience: number },
  ) {
    if (held.length === 0) throw new RangeError('HeldOutSelection: needs at least one held-out shape');
  }

  /** For trainWithReport's `onStep`. */
  readonly onStep = (e: StepEvent): void => {
    const { every, from, last } = this.options;
    if (e.iteration <= from || (e.iteration % every !== 0 && e.iteration !== last)) return;
    const state = this.state();
    if (!state) return;
    const iou = meanNearestIou(stateToGrids(state, this.held[0]!.dims, this.scaling), this.held);
    const point = { update: e.iteration, iou };
    this.curve.push(point);
    if (!this.bestPoint || iou > this.bestPoint.iou) {
      this.bestPoint = point;
      this.bestState = state.slice();
    } else if (e.iteration - this.bestPoint.update >= this.options.patience && this.stoppedAt === undefined) {
      this.stoppedAt = e.iteration;
      this.controller.abort(new Error(`early stop: the held-out score has not improved since update ${this.bestPoint.update}`));
    }
  };

  /** The best-scoring state and its update; undefined before the first check. */
  get best(): (HeldOutPoint & { state: Float32Array }) | undefined {
    return this.bestPoint && { ...this.bestPoint, state: this.bestState! };
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
