/**
 * The video models' settings as data (core's `Preset`: net, sampler, chain start and trainMle
 * options under the trainer's names): the official ones read from STGConvNet's code (research:
 * papers.md §2.2) and CPU-sized ones with their scale-down in `source`.
 */
import type { Preset } from '@ebm/core';
import { fcsLargeNet, fcsNet, fcsNetCpu, stNet, stNetCpu } from './nets';

const SAMPLER = { numSteps: 20, stepSize: 0.3, refSigma: 1 } as const;
/** Persistent chains from N(0, 1) in [0, 255] minus the mean colour: all but at the mean. */
const INIT = { kind: 'persistent', count: 3, noise: { dist: 'gaussian', mean: 0, std: 1 } } as const;
/** The divergence guard's bound in [0, 255] units: twice the largest variance pixels in that range can have. */
const GUARD = { varianceBound: 2 * 127.5 ** 2 } as const;
const PAPER_TRAIN = { batchSize: 1, numSynthesized: 3, iterations: 500, accumulate: 'epoch', optimizer: { learningRate: 1e-3, beta1: 0.5 }, guard: GUARD } as const;
const PAPER = 'STGConvNet (Xie, Zhu, Wu, CVPR 2017; zilongzheng/STGConvNet src/model.py): one video in [0, 255] minus its mean colour, 3 persistent chains from N(0, 1), Langevin 20 steps δ 0.3 σ 1 with noise, Adam 1e-3 β1 0.5, 500 epochs with gradients accumulated over the epoch';

export const presets = {
  st: { net: stNet(70, 100, 3), sampler: SAMPLER, init: INIT, train: PAPER_TRAIN, source: `${PAPER}; the ST net at 70 × 100×100.` },
  fcs: { net: fcsNet(70, 100, 3), sampler: SAMPLER, init: INIT, train: PAPER_TRAIN, source: `${PAPER}; the FC_S net at 70 × 100×100.` },
  fcsLarge: { net: fcsLargeNet(70, 224, 3), sampler: SAMPLER, init: INIT, train: PAPER_TRAIN, source: `${PAPER}; the FC_S_large net at 70 × 224×224 (the paper's figures).` },
  stCpu: {
    net: stNetCpu(16, 32, 3),
    sampler: SAMPLER,
    init: INIT,
    train: { ...PAPER_TRAIN, iterations: 300 },
    source: 'Scaled down from st for 2 CPU cores: 16 × 32×32 clips (temporal crops of the video, up to 4 of them per update) and the stNetCpu net (32/48/32 filters of 5/3/(2,3,3) instead of 120/40/20 of 15/7/(2,3,3)); 300 updates instead of 500 (0.7 s each on 2 cores); same units, chains, sampler and optimizer.',
  },
  fcsCpu: {
    net: fcsNetCpu(16, 32, 3),
    sampler: SAMPLER,
    init: INIT,
    train: { ...PAPER_TRAIN, iterations: 300 },
    source: 'Scaled down from fcs for 2 CPU cores: 16 × 32×32 clips and the fcsNetCpu net (24/24/5 filters, first kernel 5 instead of 7); 300 updates; same units, chains, sampler and optimizer.',
  },
} as const satisfies Record<string, Preset>;
