import { join } from 'node:path';
import { createNet, fitLinearClassifier, persistentChains, RunReport, type Net, type Tensor } from '@ebm/core';
import { descriptor3dCpu, descriptorFeatures, gridsToTensor, occupancy, renderGrid, type VoxelGrid } from '@ebm/voxel';
import { avg, type TaskContext, type TaskResult } from '../context';
import { loadClasses } from '../data';
import { CLASSIFY, SAMPLER } from '../settings';
import { trainDescriptor } from '../train';

/**
 * Classification (3D DescriptorNet §4.5, train_classification.py): one descriptor is learned
 * without labels on the training shapes of every class; its conv activations, max-pooled, are the
 * features of a linear softmax classifier. Baselines from the same run: the same classifier on the
 * raw voxels, and on the features of the untrained (initial) net.
 */
export async function classify(ctx: TaskContext): Promise<TaskResult> {
  const s = CLASSIFY[ctx.mode];
  const d = await loadClasses(ctx.data, s.perClassTrain, s.perClassTest, s.size, ctx.seed);
  console.error(`demo-voxel classify: ${d.source} at ${s.size}³, ${ctx.mode} run, onnx runtime, writing ${ctx.out}`);
  const mean = avg(d.train.map(occupancy));
  const spec = descriptor3dCpu(s.size);
  const report = new RunReport(ctx.out, { title: 'ebm demo-voxel: classify', task: 'classify', seed: ctx.seed, quick: ctx.mode === 'quick', config: { mode: ctx.mode, data: d.source, classes: d.classes.join(', '), net: spec, sampler: SAMPLER, ...s, backend: ctx.backend } });

  const trainX = gridsToTensor(d.train, mean);
  const testX = gridsToTensor(d.test, mean);
  const shape = [s.size, s.size, s.size, 1];
  const { net } = await trainDescriptor(
    {
      label: 'classify',
      data: trainX,
      spec,
      init: persistentChains(shape, s.chains, { dist: 'gaussian', std: 0.3 }),
      numSynthesized: s.chains,
      sampler: SAMPLER,
      iterations: s.iterations,
      noiseUntil: s.noiseUntil,
      learningRate: s.learningRate,
      energyL2: s.energyL2,
      checkpointDir: join(ctx.out, 'checkpoint'),
      preprocessing: { meanVoxel: mean, size: s.size },
      meta: { task: 'classify', source: d.source, classes: d.classes },
      seed: ctx.seed,
    },
    report,
  );
  const untrained = createNet(spec, { seed: ctx.seed, runtime: 'onnx' });
  const accuracy = await featureAccuracy(net, trainX, d.trainLabels, testX, d.testLabels);
  const accuracyUntrainedNet = await featureAccuracy(untrained, trainX, d.trainLabels, testX, d.testLabels);
  [net, untrained].forEach((n) => n.dispose());
  [trainX, testX].forEach((t) => t.dispose());

  const raw = (gs: VoxelGrid[]) => {
    const n = gs[0]!.data.length;
    const out = new Float32Array(gs.length * n);
    gs.forEach((g, i) => out.set(g.data, i * n));
    return out;
  };
  const rawClf = fitLinearClassifier(raw(d.train), d.trainLabels, d.train[0]!.data.length);
  const accuracyRawBaseline = rawClf.accuracy(raw(d.test), d.testLabels);

  const { predicted } = accuracy;
  const metrics = {
    accuracy: accuracy.test,
    accuracyTrain: accuracy.train,
    accuracyRawBaseline,
    accuracyUntrainedNet: accuracyUntrainedNet.test,
    numFeatures: accuracy.numFeatures,
    classes: d.classes.length,
    trainShapes: d.train.length,
    testShapes: d.test.length,
  };
  const perClass = Math.min(4, ...d.classes.map((_, k) => d.testLabels.filter((l) => l === k).length));
  const shown = d.classes.flatMap((_, k) => d.testLabels.flatMap((l, i) => (l === k ? [i] : [])).slice(0, perClass));
  await report.writePng(
    'classify.png',
    renderGrid(
      shown.map((i) => d.test[i]!),
      { size: 96, cols: Math.max(1, perClass * 2), captions: shown.map((i) => `${predicted[i] === d.testLabels[i] ? '' : 'x '}${d.classes[predicted[i]!]}`) },
    ),
  );
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'classify.png', caption: `Held-out shapes (${perClass} per class, by true class) captioned with the predicted class; "x" marks a mistake.` },
      { file: 'curves.png', caption: 'Training curves of the descriptor whose features are classified.' },
    ],
    all,
  );
  return { html, metrics: all };
}

async function featureAccuracy(net: Net, trainX: Tensor, trainLabels: number[], testX: Tensor, testLabels: number[]): Promise<{ train: number; test: number; numFeatures: number; predicted: Int32Array }> {
  const tr = await descriptorFeatures(net, trainX);
  const te = await descriptorFeatures(net, testX);
  const clf = fitLinearClassifier(tr.features, trainLabels, tr.numFeatures);
  return { train: clf.accuracy(tr.features, trainLabels), test: clf.accuracy(te.features, testLabels), numFeatures: tr.numFeatures, predicted: clf.predict(te.features) };
}
