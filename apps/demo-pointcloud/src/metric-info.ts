/** What each task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';

export const INFO: Record<'generate' | 'reconstruct' | 'interpolate' | 'classify', MetricInfos> = {
  generate: {
    mmdCD: { means: 'MMD-CD (GPointNet): mean Chamfer distance from each held-out cloud to its nearest generated cloud — fidelity.', better: 'lower', baseline: ['mmdCDNoise', 'mmdCDTrain'] },
    covCD: { means: 'COV-CD: fraction of held-out clouds that are the nearest match of some generated cloud — coverage of the shapes.', better: 'higher', baseline: ['covCDNoise', 'covCDTrain'] },
    nna: { means: '1-NNA: leave-one-out 1-nearest-neighbour accuracy telling generated from held-out clouds; 0.5 is ideal, 1 means always told apart.', better: 'lower', baseline: ['nnaNoise', 'nnaTrain'] },
    mmdCDNoise: { means: "Baseline: MMD-CD of Gaussian clouds (the chains' starting distribution)." },
    covCDNoise: { means: 'Baseline: COV-CD of the Gaussian clouds.' },
    nnaNoise: { means: 'Baseline: 1-NNA of the Gaussian clouds.' },
    mmdCDTrain: { means: 'Reference: MMD-CD of training clouds (the best a model of this data can expect).' },
    covCDTrain: { means: 'Reference: COV-CD of training clouds.' },
    nnaTrain: { means: 'Reference: 1-NNA of training clouds.' },
    points: { means: 'Points per cloud.' },
    generated: { means: 'Clouds generated.' },
    references: { means: 'Held-out clouds compared against.' },
  },
  reconstruct: {
    chamfer: { means: 'Mean Chamfer distance of each reconstruction to its held-out target.', better: 'lower', baseline: ['chamferNoise', 'chamferUntrainedNet'] },
    chamferNoise: { means: "Baseline: the same distance for the chains' starting noise." },
    chamferUntrainedNet: { means: 'Baseline: reconstruction by the same procedure with an untrained net.' },
    mse: { means: 'Mean squared error of the inferred chains against the targets (the objective of the inference).', better: 'lower' },
    clouds: { means: 'Clouds reconstructed.' },
    points: { means: 'Points per cloud.' },
  },
  interpolate: {
    meanFrameChamfer: { means: 'Mean Chamfer distance between neighbouring frames: small and even means a smooth walk.', better: 'lower', baseline: 'endpointChamfer' },
    maxFrameChamfer: { means: 'Largest Chamfer distance between neighbouring frames (a jump shows here).', better: 'lower', baseline: 'endpointChamfer' },
    endpointChamfer: { means: 'Chamfer distance between the two ends of the walk.' },
    meanNearestTrainChamfer: { means: 'Mean Chamfer distance of each frame to its nearest training cloud: frames that stay shapes of the category.', better: 'lower' },
    frames: { means: 'Frames in the walk.' },
    points: { means: 'Points per cloud.' },
  },
  classify: {
    accuracy: { means: "Test accuracy of a linear classifier on the trained energy's pooled point features.", better: 'higher', baseline: ['accuracyRawBaseline', 'accuracyUntrainedNet'] },
    accuracyRawBaseline: { means: 'Baseline: the same classifier on sorted raw coordinates.' },
    accuracyUntrainedNet: { means: "Baseline: the same classifier on an untrained net's features." },
    accuracyVal: { means: 'Validation accuracy that chose the L2 penalty (not a test number).' },
    numFeatures: { means: 'Number of features per cloud.' },
    l2: { means: 'L2 penalty chosen on validation (trained features).' },
    l2Raw: { means: 'L2 penalty chosen on validation (raw baseline).' },
    classes: { means: 'Number of classes.' },
    trainClouds: { means: 'Training clouds.' },
    valClouds: { means: 'Validation clouds.' },
    testClouds: { means: 'Test clouds.' },
  },
};
