/** What each task's metrics mean, for report.html (baselines are measured in the same run). */
import type { MetricInfos } from '@ebm/core';
import { fewLabelInfos } from '@ebm/demo-kit';

export const INFO: Record<'synthesize' | 'recover' | 'superres' | 'classify', MetricInfos> = {
  synthesize: {
    iouNearestTrain: { means: 'Mean IoU of each synthesized shape with its nearest training shape: how much the samples look like the category.', better: 'higher', baseline: 'iouNoise' },
    iouNearestSample: { means: 'Mean IoU of each synthesized shape with its nearest other sample: near 1 means the samples are copies of each other (no diversity).', baseline: 'iouNearestTrain' },
    iouNoise: { means: 'Baseline: the same IoU for Gaussian noise thresholded like the samples.' },
    occupancySamples: { means: 'Fraction of occupied voxels in the samples.', baseline: 'occupancyTrain' },
    occupancyTrain: { means: 'Fraction of occupied voxels in the training shapes.' },
  },
  recover: {
    errorRate: { means: 'Fraction of the hidden voxels of unseen shapes that the recovery gets wrong (recovered values over `threshold` are occupied).', better: 'lower', baseline: 'errorRateBaseline' },
    errorRateBaseline: { means: "Baseline: the same error when every hidden voxel takes the shape's observed occupancy rate, occupied over a threshold chosen like `threshold`." },
    errorRateNeighbours: { means: 'Baseline: the same error when each hidden voxel takes the share of occupied voxels among the observed ones around it (3×3×3), occupied over a threshold chosen like `threshold`.' },
    errorRateAtHalf: { means: 'The recovery error with its values thresholded at 0.5 instead of `threshold`.' },
    iouHidden: { means: 'IoU of the recovered (over `thresholdIou`) and the true occupied voxels among the hidden ones (1 when both are empty): only the shape counts, not the empty space around it.', better: 'higher', baseline: 'iouHiddenNeighbours' },
    iouHiddenNeighbours: { means: 'Baseline: the same IoU for the neighbourhood share (3×3×3), occupied over a threshold chosen like `thresholdIou`.' },
    threshold: { means: 'Occupancy threshold of the recovered values for the error rate: of 0.05, 0.075, …, 0.95, the one with the fewest wrong hidden voxels on the training shapes, recovered under fresh masks. Each baseline gets its own, chosen the same way.' },
    thresholdIou: { means: 'The same for the IoU: the candidate with the best IoU of the hidden voxels on the training shapes.' },
    hiddenFraction: { means: 'Fraction of voxels hidden from the recovery.' },
    shapes: { means: 'Unseen shapes recovered.' },
  },
  superres: {
    iou: { means: 'Mean IoU of the super-resolved unseen shapes (values over `threshold` occupied) with the true high-resolution shapes.', better: 'higher', baseline: 'iouUpsampleBaseline' },
    iouUpsampleBaseline: { means: 'Baseline: the same IoU for nearest-neighbour upsampling of the low-resolution input (block means over `thresholdBaseline` occupied).' },
    iouBlockCounts: { means: "Mean IoU of the super-resolved unseen shapes decoded by block counts: each block of the output holds as many voxels as the input's block mean says, placed at the chain's highest values (occupyBlocks). Scores only how the chain ranks the voxels inside each block.", better: 'higher', baseline: 'iouBlockCountsTrilinear' },
    iouBlockCountsTrilinear: { means: "Baseline: the same decoding of the trilinear upsampling of the input (a block's voxels ranked by the interpolated neighbourhood)." },
    iouAtHalf: { means: 'The super-resolution IoU with its values thresholded at 0.5 instead of `threshold`.' },
    threshold: { means: 'Occupancy threshold of the super-resolved values: of 0.05, 0.075, …, 0.95, the one with the best mean IoU on the training shapes.' },
    thresholdBaseline: { means: "The baseline's threshold on the block means, chosen the same way on the training shapes." },
    lowSize: { means: 'Grid size of the low-resolution input.' },
    size: { means: 'Grid size of the output.' },
    shapes: { means: 'Unseen shapes super-resolved.' },
  },
  classify: {
    accuracy: { means: "Test accuracy of a linear classifier on the trained descriptor's pooled conv features.", better: 'higher', baseline: ['accuracyRawBaseline', 'accuracyUntrainedNet', 'accuracyMajority'] },
    accuracyRawBaseline: { means: 'Baseline: the same classifier on the raw voxels.' },
    accuracyUntrainedNet: { means: "Baseline: the same classifier on an untrained net's features (what training adds)." },
    accuracyMajority: { means: 'Reference: the accuracy of always answering the commonest class of the test set (the floor when classes differ in size).' },
    ...fewLabelInfos('shape', 'the raw voxels'),
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
