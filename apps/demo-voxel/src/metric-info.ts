/** What each task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';

export const INFO: Record<'synthesize' | 'recover' | 'superres' | 'classify', MetricInfos> = {
  synthesize: {
    iouNearestTrain: { means: 'Mean IoU of each synthesized shape with its nearest training shape: how much the samples look like the category.', better: 'higher', baseline: 'iouNoise' },
    iouNearestSample: { means: 'Mean IoU of each synthesized shape with its nearest other sample: near 1 means the samples are copies of each other (no diversity).', baseline: 'iouNearestTrain' },
    iouNoise: { means: 'Baseline: the same IoU for Gaussian noise thresholded like the samples.' },
    occupancySamples: { means: 'Fraction of occupied voxels in the samples.', baseline: 'occupancyTrain' },
    occupancyTrain: { means: 'Fraction of occupied voxels in the training shapes.' },
  },
  recover: {
    errorRate: { means: 'Fraction of the hidden voxels of unseen shapes that the recovery gets wrong.', better: 'lower', baseline: 'errorRateBaseline' },
    errorRateBaseline: { means: "Baseline: the same error when every hidden voxel is set to the shape's observed occupancy rate, rounded." },
    iouHidden: { means: 'IoU of the recovered and the true occupied voxels among the hidden ones (1 when both are empty): only the shape counts, not the empty space around it.', better: 'higher', baseline: 'iouHiddenNeighbours' },
    iouHiddenNeighbours: { means: 'Baseline: the same IoU when each hidden voxel takes the majority of the observed voxels around it (3×3×3).' },
    hiddenFraction: { means: 'Fraction of voxels hidden from the recovery.' },
    shapes: { means: 'Unseen shapes recovered.' },
  },
  superres: {
    iou: { means: 'Mean IoU of the super-resolved unseen shapes with the true high-resolution shapes.', better: 'higher', baseline: 'iouUpsampleBaseline' },
    iouUpsampleBaseline: { means: 'Baseline: the same IoU for nearest-neighbour upsampling of the low-resolution input.' },
    lowSize: { means: 'Grid size of the low-resolution input.' },
    size: { means: 'Grid size of the output.' },
    shapes: { means: 'Unseen shapes super-resolved.' },
  },
  classify: {
    accuracy: { means: "Test accuracy of a linear classifier on the trained descriptor's pooled conv features.", better: 'higher', baseline: ['accuracyRawBaseline', 'accuracyUntrainedNet', 'accuracyMajority'] },
    accuracyRawBaseline: { means: 'Baseline: the same classifier on the raw voxels.' },
    accuracyUntrainedNet: { means: "Baseline: the same classifier on an untrained net's features (what training adds)." },
    accuracyMajority: { means: 'Reference: the accuracy of always answering the commonest class of the test set (the floor when classes differ in size).' },
    accuracyVal: { means: 'Validation accuracy that chose the L2 penalty (not a test number).' },
    accuracyTrain: { means: 'Training accuracy of the same classifier (a gap to the test accuracy shows overfitting).' },
    features: { means: 'Which features were pooled.' },
    l2: { means: 'L2 penalty chosen on validation (trained features).' },
    l2Raw: { means: 'L2 penalty chosen on validation (raw baseline).' },
    numFeatures: { means: 'Number of features per shape.' },
    classes: { means: 'Number of classes.' },
    trainShapes: { means: 'Training shapes.' },
    valShapes: { means: 'Validation shapes.' },
    testShapes: { means: 'Test shapes.' },
  },
};
