import { join } from 'node:path';
import { createNet, persistentChains, RunReport, type Net, type Tensor } from '@ebm/core';
import { fewLabelMetrics, majorityAccuracy, selectClassifier, type FeatureCandidate, type SelectedClassifier } from '@ebm/demo-kit';
import { convFeatureLayers, descriptor3dCpu, descriptorFeatures, gridsToTensor, renderGrids, voxelScaling, type VoxelGrid } from '@ebm/voxel';
import { type TaskContext, type TaskResult } from '../context';
import { INFO } from '../metric-info';
import { summary } from '../summary';
import { loadClasses, type LabelledShapes } from '../data';
import { CLASSIFY, CPU, SAMPLER, SYNTHESIS_FILTERS } from '../settings';
import { trainDescriptor } from '../train';

/** The classifier's L2 penalties tried, for the features and the raw baseline alike. */
const L2 = [1e-4, 1e-3, 1e-2];

/**
 * Classification (3D DescriptorNet §4.5, train_classification.py): one descriptor is learned
 * without labels on the training shapes of every class; its conv activations, max-pooled, are the
 * features of a linear softmax classifier. The pooling (2³ cells as in the paper's pool-by-4/2, or
 * global), the layers (the first two convs as in the paper, or all) and the L2 penalty are chosen
 * on the validation shapes; the raw-voxel baseline gets the same choice of L2, and the untrained
 * (initial) net the same choices, so the three accuracies on the test shapes compare like for like.
 */
export async function classify(ctx: TaskContext): Promise<TaskResult> {
  const s = CLASSIFY[ctx.mode];
  const d = await loadClasses(ctx.data, s.perClass, s.size, ctx.seed, ctx);
  console.error(`demo-voxel classify: ${d.source} at ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  // The descriptor is trained as synthesis trains it: the voxels' spread matched to the chains' σ
  // (voxelScaling) and chains from the preset's start. Unscaled (mean subtracted only), the chains on
  // aircraft, ships and cars (occupancy ~4%) never came near the data during the noise phase
  // (nearest-data ratio ~5, energy gap ~1000) and collapsed after it (diversity 0.2).
  // The synthesis net, too: with 32 → 64 → 128 channels instead of 16 → 32 → 64 its features
  // lifted FlightGear aircraft / ships / cars from 0.857 to 0.943 (4 labels a class: 0.657 to 0.860).
  const scaling = voxelScaling(d.train, SAMPLER.refSigma);
  const spec = descriptor3dCpu(s.size, SYNTHESIS_FILTERS);
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: classify', task: 'classify', seed: ctx.seed, quick: ctx.mode === 'quick', mode: ctx.mode, summary: summary(ctx, d.source, 'classify'), config: { mode: ctx.mode, data: d.source, classes: d.classes.join(', '), net: spec, sampler: SAMPLER, ...s, backend: ctx.backend } });

  const x = { train: gridsToTensor(d.train, scaling), val: gridsToTensor(d.val, scaling), test: gridsToTensor(d.test, scaling) };
  const { net } = await trainDescriptor(
    {
      label: 'classify',
      data: x.train,
      spec,
      init: persistentChains([s.size, s.size, s.size, 1], s.chains, CPU.init.noise),
      numSynthesized: s.chains,
      sampler: SAMPLER,
      iterations: s.iterations,
      noiseUntil: s.noiseUntil,
      learningRate: s.learningRate,
      energyL2: s.energyL2,
      checkpointDir: join(ctx.out, 'checkpoint'),
      preprocessing: { meanVoxel: scaling.mean, scale: scaling.scale, size: s.size },
      meta: { task: 'classify', source: d.source, classes: d.classes },
      seed: ctx.seed,
      signal: ctx.signal,
    },
    report,
  );
  const untrained = createNet(spec, { seed: ctx.seed, runtime: 'onnx' });
  const trainedResult = await featureClassifier(net, x, d);
  const untrainedResult = await featureClassifier(untrained, x, d);
  [net, untrained].forEach((n) => n.dispose());
  Object.values(x).forEach((t) => t.dispose());

  const raw = (gs: VoxelGrid[]) => ({ features: rawVoxels(gs), numFeatures: gs[0]!.data.length });
  const rawResult = selectClassifier([{ name: 'raw voxels', train: raw(d.train), val: raw(d.val), test: raw(d.test) }], d, L2);

  // With every label, raw voxels have matched the learned features; with a few per class the
  // features have to carry the classes themselves.
  const fewLabels = fewLabelMetrics({ trained: trainedResult, raw: rawResult, untrained: untrainedResult }, d, ctx.seed);
  const predicted = trainedResult.predicted;
  const metrics = {
    accuracy: trainedResult.accuracy,
    accuracyRawBaseline: rawResult.accuracy,
    accuracyUntrainedNet: untrainedResult.accuracy,
    accuracyMajority: majorityAccuracy(d.testLabels),
    ...fewLabels,
    accuracyVal: trainedResult.accuracyVal,
    accuracyTrain: trainedResult.classifier.accuracy(trainedResult.train.features, d.trainLabels),
    features: trainedResult.name,
    numFeatures: trainedResult.train.numFeatures,
    l2: trainedResult.l2,
    l2Raw: rawResult.l2,
    classes: d.classes.length,
    trainShapes: d.train.length,
    valShapes: d.val.length,
    testShapes: d.test.length,
  };
  const perClass = Math.min(4, ...d.classes.map((_, k) => d.testLabels.filter((l) => l === k).length));
  const shown = d.classes.flatMap((_, k) => d.testLabels.flatMap((l, i) => (l === k ? [i] : [])).slice(0, perClass));
  await report.writePng(
    'classify.png',
    renderGrids(
      shown.map((i) => d.test[i]!),
      { size: 96, cols: Math.max(1, perClass * 2), captions: shown.map((i) => `${predicted[i] === d.testLabels[i] ? '' : 'x '}${d.classes[predicted[i]!]}`) },
    ),
  );
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'classify.png', caption: `Test shapes (${perClass} per class, by true class) captioned with the predicted class; "x" marks a mistake.` },
      { file: 'curves.png', caption: 'Training curves of the descriptor whose features are classified.' },
    ],
    all,
    INFO.classify,
  );
  return { html, metrics: all };
}

/** Pooled conv features of a net under each pooling choice, the best on the validation shapes. */
async function featureClassifier(net: Net, x: Record<'train' | 'val' | 'test', Tensor>, d: LabelledShapes): Promise<SelectedClassifier> {
  const convs = convFeatureLayers(net);
  const layerSets = [
    { name: 'conv1+conv2', layers: convs.slice(0, 2) },
    { name: 'all convs', layers: convs },
  ];
  const candidates: FeatureCandidate[] = [];
  for (const cells of [2, 1])
    for (const { name, layers } of layerSets) {
      const f = (t: Tensor) => descriptorFeatures(net, t, { layers, cells });
      candidates.push({ name: `${name}, max-pooled to ${cells}³`, train: await f(x.train), val: await f(x.val), test: await f(x.test) });
    }
  return selectClassifier(candidates, d, L2);
}

function rawVoxels(gs: VoxelGrid[]): Float32Array {
  const n = gs[0]!.data.length;
  const out = new Float32Array(gs.length * n);
  gs.forEach((g, i) => out.set(g.data, i * n));
  return out;
}
