import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidOptionError } from '../errors';
import type { Net } from '../netspec/net';
import { compileGraph } from './compile';

export interface ExportOnnxOptions {
  /** How the net's output enters the energy, as in `netEnergy`; default 'descriptor' (U = −Σ y). */
  output?: 'descriptor' | 'energy';
}

export interface ExportedOnnx {
  /** `x [batch, ...input] → energy [batch]`. */
  energy: string;
  /** `x → energy, gx` with gx = ∇x U, the Langevin hot path. */
  energyGrad: string;
}

/**
 * Writes a net as standalone ONNX models (opset 17) with its current weights (and batch-norm
 * running statistics) as initializers, in the net's mode; extra inputs stay graph inputs `in:<name>`;
 * loadable by any ONNX Runtime: `energy.onnx` and `energy_grad.onnx` in `dir`. The Gaussian
 * reference term is not included (add ‖x‖²/(2σ²) and x/σ² outside, as the sampler does).
 */
export async function exportOnnx(net: Net, dir: string, options: ExportOnnxOptions = {}): Promise<ExportedOnnx> {
  const output = options.output ?? 'descriptor';
  if (output !== 'descriptor' && output !== 'energy') throw new InvalidOptionError('exportOnnx', 'output', output, "'descriptor' or 'energy'");
  // Running statistics are baked in beside the weights; the graphs run in the net's mode.
  const weights = { ...(await net.getWeights()), ...(await net.getState()) };
  const mode = net.mode;
  const sign = output === 'descriptor' ? -1 : 1;
  await mkdir(dir, { recursive: true });
  const files: ExportedOnnx = { energy: join(dir, 'energy.onnx'), energyGrad: join(dir, 'energy_grad.onnx') };
  await writeFile(files.energy, compileGraph(net.spec, { wrt: { x: false, params: false }, upstream: { kind: 'energy', sign }, weights, mode }).model);
  await writeFile(files.energyGrad, compileGraph(net.spec, { wrt: { x: true, params: false }, upstream: { kind: 'energy', sign }, weights, mode }).model);
  return files;
}

/**
 * Writes a generator (any net read as a map x → y, such as CoopNets' z → image) as a standalone
 * ONNX model (opset 17), `generator.onnx` in `dir`: input `x` [batch, ...input] (and `in:<name>`
 * for extra inputs such as a one-hot label), output `y` [batch, ...output]. Weights and batch-norm
 * running statistics are baked in; the graph runs in the net's mode (set `net.mode = 'eval'` to
 * sample with the running statistics). Returns the file's path.
 */
export async function exportGeneratorOnnx(net: Net, dir: string): Promise<string> {
  const weights = { ...(await net.getWeights()), ...(await net.getState()) };
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'generator.onnx');
  await writeFile(file, compileGraph(net.spec, { wrt: { x: false, params: false }, upstream: { kind: 'input' }, weights, mode: net.mode }).model);
  return file;
}
