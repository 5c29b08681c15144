// Reproduces the pre-scaling airplane run (mean subtracted, scale 1) to see what the watch says.
import { persistentChains, RunReport, tf } from '@ebm/core';
import { trainWithReport, readDataFolder } from '@ebm/demo-kit';
import { descriptor3dCpu, gridsToTensor, loadGrid, occupancy, presets } from '@ebm/voxel';
const CPU = presets.descriptor3dCpu;
const d = await readDataFolder(process.argv[2], ['.off'], (p) => loadGrid(p, { size: 16 }), {});
const train = d.items;
const mean = train.reduce((a, g) => a + occupancy(g), 0) / train.length;
const data = gridsToTensor(train, mean);
const spec = descriptor3dCpu(16);
const chains = persistentChains([16, 16, 16, 1], 16, CPU.init.noise);
const report = new RunReport('/tmp/unscaled', { title: 'unscaled', task: 'synthesize', seed: 0, quick: true });
await trainWithReport({ label: 'unscaled', spec, data, train: { sampler: CPU.sampler, init: chains, batchSize: train.length, numSynthesized: 16, iterations: 700, optimizer: { learningRate: CPU.train.optimizer.learningRate, beta1: 0.5 }, energyL2: CPU.train.energyL2, noiseAnneal: { kind: 'step', until: 280 }, seed: 0 } }, report);
await report.writeCurves();
console.log(report.warnings);
