/** The settings of a run in words, for the top of report.html. */
import type { TaskContext } from './context';
import { CLASSIFY, CPU, RECOVER, SETTINGS, SUPERRES } from './settings';

export function summary(ctx: TaskContext, source: string, task: string): string {
  const l = CPU.sampler;
  const train = (energyL2: number) => `Adam with learning rate ${CPU.train.optimizer.learningRate} (β1 ${CPU.train.optimizer.beta1}) and an energy-magnitude penalty of ${energyL2}, on the onnx runtime (settings: @ebm/voxel presets.descriptor3dCpu, sized for this ${ctx.mode} run)${task === 'synthesize' || task === 'superres' || task === 'classify' ? '; voxels enter the net minus their mean occupancy, scaled so their spread equals σ (voxelScaling)' : ''}`;
  const chains = (steps: number, delta: number) => `${steps} Langevin steps of δ = ${delta} with the reference σ = ${l.refSigma}`;
  switch (task) {
    case 'recover': {
      const s = RECOVER[ctx.mode];
      return `Data: ${source}. A 3D descriptor net at ${s.size}³ learns to fill in shapes with ${Math.round(100 * (1 - s.observed))}% of their voxels hidden: each iteration its chains start from training shapes under fresh random masks (each hidden voxel at the even blend of the occupied share of its observed neighbours and of the k training shapes nearest the shape on its observed voxels, the shape itself left out) and run ${chains(s.steps, s.stepSize)}, noise-free, with the observed voxels held fixed; ${s.iterations} updates with ${train(s.energyL2)}. Unseen shapes are then recovered by the same chain, stopped after the quarter of its steps that recovers the training shapes best.`;
    }
    case 'superres': {
      const s = SUPERRES[ctx.mode];
      return `Data: ${source}. A 3D descriptor net learns to upsample ${s.size / s.factor}³ shapes to ${s.size}³: its chains start at the even blend of the input's trilinear upsampling and the k training shapes with the nearest block means (each training shape left out of its own; block means kept) and run ${chains(s.steps, s.stepSize)}, noise-free, with every move keeping the ${s.factor}³ block means of the input; ${s.iterations} updates with ${train(s.energyL2)}. Unseen shapes are then super-resolved by the same chain, stopped after the quarter of its steps that does best on the training shapes.`;
    }
    case 'classify': {
      const s = CLASSIFY[ctx.mode];
      return `Data: ${source}. One 3D descriptor net at ${s.size}³ learns the training shapes of every class with ${s.chains} persistent chains of ${chains(l.numSteps, l.stepSize)} (noise for the first ${s.noiseUntil} of ${s.iterations} updates), ${train(s.energyL2)}; a linear classifier on its pooled conv features classifies the test shapes.`;
    }
    default: {
      const s = SETTINGS[ctx.mode];
      const decay = s.schedule?.kind === 'cosine' ? `, the learning rate decaying along a cosine to ${s.schedule.min ?? 0} of itself by update ${s.schedule.iterations}` : '';
      return `Data: ${source}, at ${s.size}³. A 3D descriptor net learns them by maximum likelihood with ${s.chains} persistent chains of ${chains(l.numSteps, l.stepSize)} per update (noise for the first ${s.noiseUntil} of ${s.iterations} updates, as the paper anneals it), ${train(s.energyL2)}${decay}. The chains are the synthesized shapes: every ${s.checkEvery} updates after the noise they are scored against the held-out shapes, and the best-scoring state is the one shown; training stops when that score has not improved in ${s.patience} updates.`;
    }
  }
}
