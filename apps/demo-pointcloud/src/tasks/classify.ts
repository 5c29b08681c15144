import { createNet, RunReport, type Net } from '@ebm/core';
import { fewLabelMetrics, majorityAccuracy, selectClassifier, type SelectedClassifier } from '@ebm/demo-kit';
import { cloudsToTensor, gpointnetCpu, pointFeatures, renderClouds, type PointCloud } from '@ebm/pointcloud';
import type { TaskContext, TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadClasses, type LabelledClouds } from '../data';
import { runConfig, trainPointNet } from '../model';
import { SETTINGS } from '../settings';

const L2 = [1e-4, 1e-3, 1e-2];

/**
 * Classification (GPointNet §5.4): one energy learned without labels on the training clouds of
 * every class; the mean- and max-pooled activations of its last per-point layer feed a linear
 * softmax. Baselines from the same run, with the same L2 chosen on the validation clouds: the
 * classifier on the raw coordinates with the points sorted (by x, then y, then z: a fixed order
 * for an unordered set), and on the features of the untrained net.
 */
export async function classify(ctx: TaskContext): Promise<TaskResult> {
  const s = SETTINGS[ctx.mode];
  const perClass = { train: s.clouds, val: s.heldOut, test: s.heldOut };
  const d = await loadClasses(ctx.data, perClass, s.points, ctx.seed, ctx);
  console.error(`demo-pointcloud classify: ${d.source}, ${s.points} points, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const report = new RunReport(ctx.out, { title: 'ebm demo-pointcloud: classify', task: 'classify', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, d.source, 'classify'), config: { ...runConfig(ctx, d.source, d.train), classes: d.classes.join(', ') } });
  const { net } = await trainPointNet(ctx, d.train, report, 'classify', d.source);
  const untrained = createNet(gpointnetCpu(s.points), { seed: ctx.seed, runtime: 'onnx' });
  const trained = await featureClassifier(net, d);
  const initial = await featureClassifier(untrained, d);
  [net, untrained].forEach((n) => n.dispose());
  const rows = (c: PointCloud[]) => ({ features: sortedCoordinates(c), numFeatures: 3 * s.points });
  const raw = selectClassifier([{ name: 'sorted coordinates', train: rows(d.train), val: rows(d.val), test: rows(d.test) }], d, L2);

  const metrics = {
    accuracy: trained.accuracy,
    accuracyRawBaseline: raw.accuracy,
    accuracyUntrainedNet: initial.accuracy,
    accuracyMajority: majorityAccuracy(d.testLabels),
    ...fewLabelMetrics({ trained, raw, untrained: initial }, d, ctx.seed),
    accuracyVal: trained.accuracyVal,
    numFeatures: trained.train.numFeatures,
    l2: trained.l2,
    l2Raw: raw.l2,
    classes: d.classes.length,
    trainClouds: d.train.length,
    valClouds: d.val.length,
    testClouds: d.test.length,
  };
  const predicted = trained.predicted;
  const shownPerClass = Math.min(4, ...d.classes.map((_, k) => d.testLabels.filter((l) => l === k).length));
  const shown = d.classes.flatMap((_, k) => d.testLabels.flatMap((l, i) => (l === k ? [i] : [])).slice(0, shownPerClass));
  await report.writePng(
    'classify.png',
    renderClouds(
      shown.map((i) => d.test[i]!),
      { size: 96, cols: Math.max(1, shownPerClass * 2), captions: shown.map((i) => `${predicted[i] === d.testLabels[i] ? '' : 'x '}${d.classes[predicted[i]!]}`) },
    ),
  );
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'classify.png', caption: `Test clouds (${shownPerClass} per class, by true class) captioned with the predicted class; "x" marks a mistake.` },
      { file: 'curves.png', caption: 'Training curves of the energy whose features are classified.' },
    ],
    all,
    INFO.classify,
  );
  return { html, metrics: all };
}

/** The mean- and max-pooled last-layer features, with the L2 penalty chosen on the validation clouds. */
async function featureClassifier(net: Net, d: LabelledClouds): Promise<SelectedClassifier> {
  const f = async (clouds: PointCloud[]) => {
    const x = cloudsToTensor(clouds);
    try {
      return await pointFeatures(net, x);
    } finally {
      x.dispose();
    }
  };
  return selectClassifier([{ name: 'pooled point features', train: await f(d.train), val: await f(d.val), test: await f(d.test) }], d, L2);
}

/** Rows of raw coordinates with each cloud's points sorted by x, then y, then z. */
function sortedCoordinates(clouds: PointCloud[]): Float32Array {
  const n = clouds[0]!.points.length;
  const out = new Float32Array(clouds.length * n);
  clouds.forEach((c, i) => {
    const idx = Array.from({ length: n / 3 }, (_, k) => k).sort((a, b) => c.points[3 * a]! - c.points[3 * b]! || c.points[3 * a + 1]! - c.points[3 * b + 1]! || c.points[3 * a + 2]! - c.points[3 * b + 2]!);
    idx.forEach((k, j) => out.set(c.points.subarray(3 * k, 3 * k + 3), i * n + 3 * j));
  });
  return out;
}
