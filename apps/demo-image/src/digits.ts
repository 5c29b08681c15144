/**
 * Scoring digits with the package's own classifier: trained once per mode on MNIST training digits
 * and cached on disk (node_modules/.cache/ebm-image of this app), its held-out test accuracy
 * reported beside every score it gives.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frechetDistance, gaussianStats, frechetFromStats, type GaussianStats } from '@ebm/core';
import { argmax, cachedClassifier, type Image, type ImageClassifier } from '@ebm/image';
import type { Mode } from '@ebm/demo-kit';
import { mnist, type Digits } from './data';
import { CLASSIFIER, FID_REFERENCE } from './settings';

export const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'ebm-image');

export interface DigitScorer {
  classifier: ImageClassifier;
  /** Accuracy on MNIST's 10k test digits (smoke: the first 1000). */
  testAccuracy: number;
  /** Features of held-out test digits, the real side of every Fréchet distance. */
  reference: GaussianStats;
  /** Test digits not used for the reference (for baselines). */
  heldOut: Digits;
  dispose(): void;
}

/** The digit classifier of this mode (trained and cached on first use) and the Fréchet reference. */
export async function digitScorer(mode: Mode, log: (s: string) => void): Promise<DigitScorer> {
  const c = CLASSIFIER[mode];
  const train = await mnist('train');
  const test = await mnist('test');
  const t0 = performance.now();
  const { classifier, cached } = await cachedClassifier(train.images.slice(0, c.images), train.labels.slice(0, c.images), {
    cacheDir: join(CACHE, `digit-classifier-${mode}`),
    epochs: c.epochs,
    seed: 0,
    onProgress: (d, t) => (d % 100 === 0 || d === t) && log(`digit classifier: batch ${d}/${t}`),
  });
  if (!cached) log(`digit classifier trained on ${c.images} digits in ${((performance.now() - t0) / 1000).toFixed(0)} s (cached for later runs)`);
  const nTest = mode === 'smoke' ? 1000 : test.images.length;
  const testAccuracy = await classifier.accuracy(test.images.slice(0, nTest), test.labels.slice(0, nTest));
  const r = FID_REFERENCE[mode];
  const reference = gaussianStats(await classifier.features(test.images.slice(0, r)));
  const heldOut = { images: test.images.slice(r, 2 * r), labels: test.labels.slice(r, 2 * r) };
  return { classifier, testAccuracy, reference, heldOut, dispose: () => classifier.dispose() };
}

export interface SampleScores {
  /** Share of samples the classifier assigns to some class (or to `wanted`) with p > 0.9. */
  confidentFraction: number;
  /** Classes predicted with p > 0.9 for at least one sample. */
  classesPresent: number;
  /** Samples per predicted class (all samples, confident or not). */
  classCounts: number[];
  /** Fréchet distance of the samples' features to the held-out test digits'. */
  fid: number;
}

/** Scores samples: confident share, classes present, class histogram and Fréchet distance. */
export async function scoreSamples(s: DigitScorer, images: readonly Image[], wanted?: number): Promise<SampleScores> {
  const probs = await s.classifier.probabilities(images);
  const counts = new Array<number>(s.classifier.classes).fill(0);
  const present = new Set<number>();
  let confident = 0;
  for (const p of probs) {
    const c = argmax(p);
    counts[c]!++;
    if (p[c]! > 0.9 && (wanted === undefined || c === wanted)) confident++;
    if (p[c]! > 0.9) present.add(c);
  }
  const fid = frechetFromStats(gaussianStats(await s.classifier.features(images)), s.reference);
  return { confidentFraction: confident / images.length, classesPresent: present.size, classCounts: counts, fid };
}

/** Fréchet distance between two image sets on the classifier's features. */
export async function fidBetween(s: DigitScorer, a: readonly Image[], b: readonly Image[]): Promise<number> {
  return frechetDistance(await s.classifier.features(a), await s.classifier.features(b));
}
