/**
 * Where the time goes inside one onnx graph: runs the fused Langevin step and the parameter
 * gradient graph of a reference net with onnxruntime's profiler and sums node time by op type.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGraph, gaussianArray, inferShapes, type OnnxRuntimeOptions } from '@ebm/core';
import * as ort from 'onnxruntime-node';
import type { BenchNet } from './nets';

interface ProfileEvent {
  cat: string;
  name: string;
  dur: number;
  args?: { op_name?: string };
}

export async function profileNet(bench: BenchNet, threads: number, lowering: Pick<OnnxRuntimeOptions, 'convInputGrad' | 'convWeightGrad'> = {}): Promise<Record<string, Record<string, number>>> {
  const params = inferShapes(bench.spec).params;
  const shape = [bench.batch, ...bench.spec.input];
  const size = shape.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor('float32', gaussianArray(size, 1), shape);
  const feeds: Record<string, ort.Tensor> = { x };
  for (const p of params) feeds[`p:${p.name}`] = new ort.Tensor('float32', gaussianArray(p.shape.reduce((a, b) => a * b, 1), 2).map((v) => v * 0.05), p.shape);
  const out: Record<string, Record<string, number>> = {};
  const graphs = {
    langevin: compileGraph(bench.spec, { wrt: { x: true, params: false }, upstream: { kind: 'langevin', sign: -1 }, ...lowering }),
    param: compileGraph(bench.spec, { wrt: { x: false, params: true }, upstream: { kind: 'input' }, ...lowering }),
  };
  for (const [name, g] of Object.entries(graphs)) {
    const prefix = `ebm-profile-${process.pid}-${bench.name}-${name}`;
    const sess = await ort.InferenceSession.create(g.model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      enableProfiling: true,
      profileFilePrefix: join(tmpdir(), prefix),
    });
    const f: Record<string, ort.Tensor> = { ...feeds };
    if (name === 'langevin') {
      f.noise = new ort.Tensor('float32', gaussianArray(size, 3), shape);
      f.coef = new ort.Tensor('float32', Float32Array.from([5e-5, 0.01, 1, -3e38, 3e38]), [5]);
    } else f.gy = new ort.Tensor('float32', new Float32Array(bench.batch).fill(-1 / bench.batch), [bench.batch, 1]);
    for (let i = 0; i < 3; i++) await sess.run(f);
    sess.endProfiling();
    const found = (await readdir(tmpdir())).find((f) => f.startsWith(prefix));
    if (!found) throw new Error(`onnxruntime wrote no profile for ${bench.name} ${name}`);
    const file = join(tmpdir(), found);
    const events = JSON.parse(await readFile(file, 'utf8')) as ProfileEvent[];
    await rm(file, { force: true });
    const byOp: Record<string, number> = {};
    for (const e of events) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) byOp[e.args?.op_name ?? '?'] = (byOp[e.args?.op_name ?? '?'] ?? 0) + e.dur / 1000 / 3;
    out[name] = Object.fromEntries(Object.entries(byOp).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Number(v.toFixed(1))]));
    await sess.release();
  }
  return out;
}
