import { deriveSeed, fitLinearClassifier, fitLinearClassifierByValidation, permutation, type LinearClassifier, type MetricInfos } from '@ebm/core';
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

/**
 * Mean test accuracy of a linear softmax fitted on only `perClass` labelled training examples of
 * each class (all of a class that has fewer), over `draws` seeded draws of those examples. This is
 * where features learned without labels have to show: with every label a linear classifier on raw
 * inputs can match them, with one or a few per class it cannot lean on the labels alone (the
 * semi-supervised use of learned features). `l2` is fixed, as a handful of examples cannot choose it.
 */
export function fewLabelAccuracy(
  rows: Pick<FeatureCandidate, 'train' | 'test'>,
  split: Pick<ClassSplit<unknown>, 'trainLabels' | 'testLabels'>,
  options: { perClass: number; draws: number; l2: number; seed: number },
): number {
  const d = rows.train.numFeatures;
  const classes = [...new Set(split.trainLabels)].sort((a, b) => a - b);
  const byClass = classes.map((c) => split.trainLabels.flatMap((l, i) => (l === c ? [i] : [])));
  let sum = 0;
  for (let draw = 0; draw < options.draws; draw++) {
    // A seeded shuffle of each class's examples per draw; the first perClass are labelled.
    const picked = byClass.flatMap((idx, c) => Array.from(permutation(idx.length, deriveSeed(options.seed, draw, c)).subarray(0, options.perClass), (k) => idx[k]!));
    const features = new Float32Array(picked.length * d);
    picked.forEach((i, r) => features.set(rows.train.features.subarray(i * d, (i + 1) * d), r * d));
    const classifier = fitLinearClassifier(features, picked.map((i) => split.trainLabels[i]!), d, { l2: options.l2 });
    sum += classifier.accuracy(rows.test.features, split.testLabels);
  }
  return sum / options.draws;
}

/** Labelled training examples per class in the demos' few-label scores, and the seeded draws averaged. */
export const FEW_LABELS = [1, 4] as const;
export const FEW_LABEL_DRAWS = 10;

/**
 * The few-label accuracies of a classification demo: `accuracy{k}Label` for the trained net's
 * features, `…RawBaseline` and `…UntrainedNet` for the baselines, each with the L2 its full-label
 * classifier chose on validation.
 */
export function fewLabelMetrics(
  results: Record<'trained' | 'raw' | 'untrained', SelectedClassifier>,
  split: Pick<ClassSplit<unknown>, 'trainLabels' | 'testLabels'>,
  seed: number,
): Record<string, number> {
  const few = (r: SelectedClassifier, perClass: number) => fewLabelAccuracy(r, split, { perClass, draws: FEW_LABEL_DRAWS, l2: r.l2, seed });
  return Object.fromEntries(
    FEW_LABELS.flatMap((k) => [
      [`accuracy${k}Label`, few(results.trained, k)],
      [`accuracy${k}LabelRawBaseline`, few(results.raw, k)],
      [`accuracy${k}LabelUntrainedNet`, few(results.untrained, k)],
    ]),
  );
}

/** Report entries for fewLabelMetrics: `example` names one labelled item ('shape', 'cloud'), `raw` the raw baseline's input. */
export function fewLabelInfos(example: string, raw: string): MetricInfos {
  return Object.fromEntries(
    FEW_LABELS.flatMap((k) => {
      const n = k === 1 ? `one labelled training ${example}` : `${k} labelled training ${example}s`;
      return [
        [`accuracy${k}Label`, { means: `Test accuracy with ${n} per class (mean of ${FEW_LABEL_DRAWS} seeded draws) on the trained net's features: where features learned without labels have to show.`, better: 'higher', baseline: [`accuracy${k}LabelRawBaseline`, `accuracy${k}LabelUntrainedNet`, 'accuracyMajority'] }],
        [`accuracy${k}LabelRawBaseline`, { means: `Baseline: the same classifiers with ${n} per class on ${raw}.` }],
        [`accuracy${k}LabelUntrainedNet`, { means: `Baseline: the same classifiers with ${n} per class on an untrained net's features.` }],
      ];
    }),
  );
}
