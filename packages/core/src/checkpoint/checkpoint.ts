/**
 * Checkpoints are folders (ARCHITECTURE.md, "Checkpoints and runs"):
 *   model.json    format, NetSpec (when the model is one), parameter manifest, sampler settings,
 *                 data preprocessing, and the sha256 of every binary file
 *   weights.bin   float32 parameters, concatenated in manifest order
 *   train.json    + optimizer.bin, chains.bin: what resuming needs (step, seed, optimizer moments,
 *                 persistent chains); absent in a checkpoint saved for sampling only
 * A checkpoint is written to a temporary folder and renamed into place, so a crash never leaves a
 * half-written one under the real name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { NetSpec } from '../netspec/types';
import { CheckpointError } from '../errors';
import { parseNetSpec } from '../netspec/json';

declare const __EBM_VERSION__: string;

export interface TrainState {
  iteration: number;
  epoch: number;
  seed: number;
  learningRate: number;
  stepSize: number;
  /** Adam state: [step, m..., v...] (see `Adam.getState`). */
  optimizer: Float32Array[];
  /** Persistent chains / replay buffer bank, when the initialiser keeps one. */
  chains?: Float32Array;
}

export interface CheckpointData {
  /** Parameters by name with their shapes. */
  params: Record<string, { shape: number[]; values: Float32Array }>;
  /** The net, when the energy is a NetSpec net. */
  netSpec?: NetSpec;
  /** Sampler settings, so sampling a checkpoint reproduces the training-time chain. */
  sampler?: Record<string, unknown>;
  /** Data preprocessing: value range, mean subtracted, scaling. */
  preprocessing?: Record<string, unknown>;
  /** Anything else the caller wants kept (task, dataset name...). */
  meta?: Record<string, unknown>;
  /** Present when the checkpoint can resume training. */
  train?: TrainState;
}

interface BlobRef {
  file: string;
  bytes: number;
  sha256: string;
}

const FORMAT = 'ebm.checkpoint';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

async function writeBlob(dir: string, file: string, data: Float32Array): Promise<BlobRef> {
  const b = bytesOf(data);
  await writeFile(join(dir, file), b);
  return { file, bytes: b.byteLength, sha256: sha256(b) };
}

/** Writes a checkpoint folder atomically (temporary folder + rename). */
export async function saveCheckpoint(dir: string, data: CheckpointData): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    const names = Object.keys(data.params);
    const weights = await writeBlob(tmp, 'weights.bin', concat(names.map((n) => data.params[n]!.values)));
    const model = {
      format: FORMAT,
      version: 1,
      library: `@ebm/core@${__EBM_VERSION__}`,
      netSpec: data.netSpec,
      params: names.map((n) => ({ name: n, shape: data.params[n]!.shape, length: data.params[n]!.values.length })),
      weights,
      sampler: data.sampler,
      preprocessing: data.preprocessing,
      meta: data.meta,
    };
    await writeFile(join(tmp, 'model.json'), JSON.stringify(model, null, 2));
    if (data.train) {
      const t = data.train;
      const optimizer = await writeBlob(tmp, 'optimizer.bin', concat(t.optimizer));
      const chains = t.chains ? await writeBlob(tmp, 'chains.bin', t.chains) : undefined;
      const train = { ...t, optimizer: { ...optimizer, lengths: t.optimizer.map((a) => a.length) }, chains };
      await writeFile(join(tmp, 'train.json'), JSON.stringify(train, null, 2));
    }
    const old = `${tmp}.old`;
    const existed = await stat(dir).then(() => true, () => false);
    if (existed) await rename(dir, old);
    await rename(tmp, dir);
    if (existed) await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function readJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CheckpointError(path, 'file is missing or unreadable');
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new CheckpointError(path, `is not valid JSON (${(e as Error).message})`);
  }
}

async function readBlob(dir: string, ref: BlobRef | undefined, owner: string): Promise<Float32Array> {
  if (!ref || typeof ref.file !== 'string') throw new CheckpointError(join(dir, owner), 'has no binary file reference');
  const path = join(dir, ref.file);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    throw new CheckpointError(path, 'file is missing or unreadable');
  }
  if (buf.byteLength !== ref.bytes) throw new CheckpointError(path, `has ${buf.byteLength} bytes, ${owner} says ${ref.bytes} (truncated or damaged)`);
  if (sha256(buf) !== ref.sha256) throw new CheckpointError(path, `sha256 does not match ${owner} (damaged)`);
  // Copy into an aligned buffer: Buffer slices may start at any byte offset.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function split(flat: Float32Array, lengths: number[], file: string): Float32Array[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total !== flat.length) throw new CheckpointError(file, `holds ${flat.length} values, the manifest lists ${total}`);
  let o = 0;
  return lengths.map((n) => flat.slice(o, (o += n)));
}

/**
 * Reads a checkpoint folder, checking every file against its manifest.
 * @throws CheckpointError naming the file and what is wrong with it.
 */
export async function loadCheckpoint(dir: string): Promise<CheckpointData> {
  const modelPath = join(dir, 'model.json');
  const model = await readJson(modelPath);
  if (model.format !== FORMAT) throw new CheckpointError(modelPath, `format must be "${FORMAT}", got ${JSON.stringify(model.format)}`);
  if (model.version !== 1) throw new CheckpointError(modelPath, `version ${JSON.stringify(model.version)} is not supported`);
  const params = model.params as { name: string; shape: number[]; length: number }[] | undefined;
  if (!Array.isArray(params)) throw new CheckpointError(modelPath, 'has no parameter manifest');
  const flat = await readBlob(dir, model.weights as BlobRef, 'model.json');
  const parts = split(flat, params.map((p) => p.length), join(dir, 'weights.bin'));
  const data: CheckpointData = { params: {} };
  params.forEach((p, i) => (data.params[p.name] = { shape: p.shape, values: parts[i]! }));
  if (model.netSpec !== undefined) {
    try {
      data.netSpec = parseNetSpec(model.netSpec);
    } catch (e) {
      throw new CheckpointError(modelPath, (e as Error).message);
    }
  }
  for (const k of ['sampler', 'preprocessing', 'meta'] as const) if (model[k] !== undefined) data[k] = model[k] as Record<string, unknown>;
  const trainPath = join(dir, 'train.json');
  if (await stat(trainPath).then(() => true, () => false)) {
    const t = await readJson(trainPath);
    const optRef = t.optimizer as BlobRef & { lengths: number[] };
    const optFlat = await readBlob(dir, optRef, 'train.json');
    data.train = {
      iteration: t.iteration as number,
      epoch: t.epoch as number,
      seed: t.seed as number,
      learningRate: t.learningRate as number,
      stepSize: t.stepSize as number,
      optimizer: split(optFlat, optRef.lengths ?? [], join(dir, 'optimizer.bin')),
    };
    if (t.chains) data.train.chains = await readBlob(dir, t.chains as BlobRef, 'train.json');
    for (const k of ['iteration', 'epoch', 'seed', 'learningRate', 'stepSize'] as const) {
      if (typeof data.train[k] !== 'number' || !Number.isFinite(data.train[k])) throw new CheckpointError(trainPath, `${k} must be a number, got ${JSON.stringify(t[k])}`);
    }
  }
  return data;
}
