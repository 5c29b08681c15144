import { fitLinearClassifierByValidation, type LinearClassifier } from '@ebm/core';
import type { ClassSplit } from './class-folders';

/** Features of the examples of one part of a split, row-major [examples × numFeatures]. */
export interface FeatureRows {
  features: Float32Array;
  numFeatures: number;
}

/** One way of turning examples into features (a layer choice, a pooling, raw values...). */
export interface FeatureCandidate {
  name: string;
  train: FeatureRows;
  val: FeatureRows;
  test: FeatureRows;
}

export interface SelectedClassifier extends FeatureCandidate {
  l2: number;
  classifier: LinearClassifier;
  accuracyVal: number;
  /** Accuracy on the test examples (never used for the choice). */
  accuracy: number;
  predicted: ArrayLike<number>;
}

/**
 * Classifier selection by validation: for each candidate feature set a linear softmax with each
 * L2 penalty of `l2s` is fitted on the training examples; the candidate and penalty with the best
 * validation accuracy (the first on ties) are kept and only then scored on the test examples.
 */
export function selectClassifier(candidates: FeatureCandidate[], split: Pick<ClassSplit<unknown>, 'trainLabels' | 'valLabels' | 'testLabels'>, l2s: number[]): SelectedClassifier {
  let best: SelectedClassifier | undefined;
  for (const c of candidates) {
    const { classifier, l2, accuracyVal } = fitLinearClassifierByValidation({ features: c.train.features, labels: split.trainLabels }, { features: c.val.features, labels: split.valLabels }, c.train.numFeatures, { l2s });
    if (!best || accuracyVal > best.accuracyVal) best = { ...c, l2, classifier, accuracyVal, accuracy: classifier.accuracy(c.test.features, split.testLabels), predicted: classifier.predict(c.test.features) };
  }
  if (!best) throw new Error('selectClassifier: no candidates');
  return best;
}
