/**
 * The ring task: learn the 8-Gaussian ring (or the user's 2-D points) with a small MLP energy by
 * maximum likelihood with Langevin synthesis, then sample it, score it and write the run folder.
 */
import { join } from 'node:path';
import { createNet, langevin, netEnergy, netSpec, noiseInit, Progress, RunReport, sampleNoise, tf, trainMle } from '@ebm/core';
import { followTraining, type RunContext, type TaskResult } from '@ebm/demo-kit';
import { readPoints } from './data';
import { INFO } from './metric-info';
import { samplesFigure } from './plots';
import { mmd2, modeMetrics, ringModes, sampleRing } from './ring';
import { SETTINGS } from './settings';

const BOX = 3;
const NOISE = { dist: 'uniform', low: -BOX, high: BOX } as const;
const GRID = 120;

export async function ring(ctx: RunContext): Promise<TaskResult> {
  const { task, mode, seed, out } = ctx;
  const s = SETTINGS[mode];
  const userData = ctx.data !== undefined;
  const points = ctx.data !== undefined ? await readPoints(ctx.data) : sampleRing(4000, seed);
  const modes = userData ? undefined : ringModes();
  console.error(`demo-toy ${task}: ${points.length / 2} points${userData ? ` from ${ctx.data}` : ' (built-in 8-Gaussian ring)'}, ${mode} run, backend ${ctx.backend}, writing ${out}`);

  const spec = netSpec([2], [{ type: 'dense', units: s.hidden }, { type: 'swish' }, { type: 'dense', units: s.hidden }, { type: 'swish' }, { type: 'dense', units: 1 }], 'toy-mlp');
  const net = createNet(spec, { seed });
  const energy = netEnergy(net);
  const data = tf.tensor2d(points, [points.length / 2, 2]);
  const report = new RunReport(out, {
    title: `ebm demo-toy: ${task}`,
    task,
    seed,
    quick: mode === 'quick',
    mode,
    summary: `Data: ${userData ? `${points.length / 2} points from ${ctx.data}` : '4000 points of the 8-Gaussian ring (radius 2, std 0.1)'}. An MLP energy (${s.hidden} hidden units, swish) learns them by maximum likelihood on the ${ctx.backend} tfjs backend: every update starts fresh chains from uniform noise on the box and runs ${s.sampler.numSteps} Langevin steps of δ = ${s.sampler.stepSize} with a weak reference term σ = ${s.sampler.refSigma}; ${s.iterations} updates of Adam with learning rate ${s.learningRate}. The model is sampled with the same short run.`,
    config: { mode, net: spec, ...s, backend: ctx.backend, data: userData ? ctx.data : '8-Gaussian ring, radius 2, std 0.1' },
  });
  const events = trainMle(energy, data, {
    sampler: s.sampler,
    init: noiseInit([2], NOISE),
    batchSize: Math.min(s.batchSize, points.length / 2),
    iterations: s.iterations,
    optimizer: { learningRate: s.learningRate },
    guard: { varianceBound: 2 * BOX * BOX },
    checkpoint: { dir: join(out, 'checkpoint'), every: Math.max(1, Math.floor(s.iterations / 4)), netSpec: spec, meta: { task } },
    seed,
    signal: ctx.signal,
  });
  await followTraining(events, report, new Progress({ total: s.iterations, label: task }));

  // Samples from the model: fresh chains from uniform noise, run with the training sampler.
  const x0 = sampleNoise(s.finalChains, [2], NOISE, seed + 1);
  const { x, stats } = await langevin(energy, x0, { ...s.sampler, seed: seed + 2 });
  const samples = (await x.data()) as Float32Array;
  const logDensity = await logDensityGrid(energy, s.sampler.refSigma!);
  [x0, x, data].forEach((t) => t.dispose());

  const noise = sampleNoise(s.finalChains, [2], NOISE, seed + 3);
  const noisePts = (await noise.data()) as Float32Array;
  noise.dispose();
  const sub = (p: Float32Array, n: number) => p.subarray(0, 2 * Math.min(n, p.length / 2));
  const metrics: Record<string, number> = {
    mmd: mmd2(sub(samples, 1000), sub(points, 1000), 0.2),
    mmdNoise: mmd2(sub(noisePts, 1000), sub(points, 1000), 0.2),
    finalChainGradNorm: stats.meanGradNorm,
  };
  if (modes) {
    const m = modeMetrics(samples, modes);
    Object.assign(metrics, {
      modeCoverage: m.modeCoverage,
      meanDistToMode: m.meanDistToMode,
      modeSpacing: m.modeSpacing,
      meanDistToModeData: modeMetrics(points, modes).meanDistToMode,
      meanDistToModeNoise: modeMetrics(noisePts, modes).meanDistToMode,
      minModeShare: Math.min(...m.modeShares),
      maxModeShare: Math.max(...m.modeShares),
    });
  }
  await report.writePng('samples.png', samplesFigure({ data: points, samples, logDensity, grid: GRID, box: BOX, modes }));
  await report.writeCurves();
  const all = await report.writeMetrics(metrics);
  const html = await report.writeHtml(
    [
      { file: 'samples.png', caption: `Left: training data. Middle: ${s.finalChains} model samples (short-run Langevin, ${s.sampler.numSteps} steps from uniform noise, as in training). Right: the learned log-density -U (reference term included; 30 nats shown) with the samples.` },
      { file: 'curves.png', caption: 'Training curves: loss, energy gap, gradient norms and the variance of synthesized points.' },
    ],
    all,
    INFO,
  );
  net.dispose();
  return { html, metrics: all };
}

/** The learned log-density −U on a GRID × GRID lattice over the box (row 0 at the top), floored 30 nats below its maximum. */
async function logDensityGrid(energy: ReturnType<typeof netEnergy>, refSigma: number): Promise<Float32Array> {
  const pts = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      pts[2 * (r * GRID + c)] = -BOX + ((c + 0.5) / GRID) * 2 * BOX;
      pts[2 * (r * GRID + c) + 1] = BOX - ((r + 0.5) / GRID) * 2 * BOX;
    }
  }
  const g = tf.tensor2d(pts, [GRID * GRID, 2]);
  const u = await energy.energy(g);
  const d = tf.tidy(() => {
    const total = tf.add(u, tf.div(tf.sum(tf.square(g), 1), 2 * refSigma * refSigma));
    return tf.maximum(tf.neg(tf.sub(total, tf.min(total))), -30);
  });
  const out = (await d.data()) as Float32Array;
  [g, u, d].forEach((t) => t.dispose());
  return out;
}

