/**
 * Checkpoints are folders holding any number of named models (`descriptor`, `generator`, …):
 *   checkpoint.json        format 2: per model its NetSpec (when it is one), parameter manifest
 *                          and learning rate; the sampler settings (data only), the data
 *                          preprocessing, what resuming needs (iteration, seed, step size, the
 *                          guard's shrink) and the sha256 of every binary file
 *   <model>.weights.bin    float32 parameters and state (batch-norm running statistics), in
 *                          manifest order
 *   <model>.optimizer.bin  the model's optimizer state (step, moments), when training can resume
 *   chains.bin             persistent chains / replay buffer, when the chain initialiser keeps one
 * Format 1 folders (model.json, weights.bin, train.json: one model) still load, as one model
 * named `energy`. Saves are atomic (see ./files).
 */
import { join } from 'node:path';
import { CheckpointError } from '../errors';
import { parseNetSpec } from '../netspec/json';
import { inferShapes } from '../netspec/shapes';
import type { NetSpec } from '../netspec/types';
import { concat, isCount, MANIFESTS, readBlob, readJson, recover, split, writeBlob, writeFolderAtomically, writeManifest, exists, type BlobRef } from './files';
import { checkSamplerData, type SamplerData } from './sampler-data';

declare const __EBM_VERSION__: string;

/** Parameters (and state tensors) by name with their shapes. */
export type ParamValues = Record<string, { shape: number[]; values: Float32Array }>;

/** One model of a checkpoint. */
export interface ModelState {
  /** The net, when the model is a NetSpec net. */
  netSpec?: NetSpec;
  params: ParamValues;
  /** Optimizer state, positional (see `Optimizer.getState`); present when training can resume. */
  optimizer?: Float32Array[];
  /** The learning rate of the last update (informative: resuming recomputes it). */
  learningRate?: number;
}

/** What resuming training needs besides the models. */
export interface TrainState {
  iteration: number;
  epoch: number;
  seed: number;
  /** The Langevin step size, after any shrinks of the divergence guard. */
  stepSize: number;
  /** The divergence guard's accumulated shrink of every learning rate; default 1. */
  learningRateScale?: number;
  /** The training watch's accumulated multiplier of the chains' Langevin steps; default 1. */
  chainStepsScale?: number;
  /** Persistent chains / replay buffer bank, when the initialiser keeps one. */
  chains?: Float32Array;
}

export interface CheckpointData {
  /** The models by name; a trainer of one energy saves it as `energy`. */
  models: Record<string, ModelState>;
  /** Sampler settings as data (see `samplerData`), so sampling a checkpoint reproduces the training-time chain. */
  sampler?: SamplerData;
  /** Data preprocessing: value range, mean subtracted, scaling. */
  preprocessing?: Record<string, unknown>;
  /** Anything else the caller wants kept (task, dataset name...). */
  meta?: Record<string, unknown>;
  /** Present when the checkpoint can resume training. */
  train?: TrainState;
}

const FORMAT = 'ebm.checkpoint';
const MODEL_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Whether `name` can name a model in a checkpoint (it names files: a letter, then letters, digits, _ or -). */
export const isModelName = (name: string): boolean => MODEL_NAME.test(name);

/**
 * Writes a checkpoint folder atomically: a complete save, the previous one or (for an instant,
 * recovered by the next load) a complete temporary sibling is always there.
 * @throws CheckpointError for a bad model name or sampler settings that are not data.
 */
export async function saveCheckpoint(dir: string, data: CheckpointData): Promise<void> {
  const names = Object.keys(data.models ?? {});
  if (names.length === 0) throw new CheckpointError(dir, 'nothing to save: `models` holds no model');
  for (const n of names) if (!MODEL_NAME.test(n)) throw new CheckpointError(dir, `model name ${JSON.stringify(n)} must be a letter then letters, digits, _ or - (it names files)`);
  const sampler = data.sampler && checkSamplerData(data.sampler, `saving ${dir}`);
  await writeFolderAtomically(dir, async (tmp) => {
    const models: Record<string, unknown> = {};
    for (const name of names) {
      const m = data.models[name]!;
      const params = Object.keys(m.params);
      models[name] = {
        netSpec: m.netSpec,
        params: params.map((p) => ({ name: p, shape: m.params[p]!.shape, length: m.params[p]!.values.length })),
        weights: await writeBlob(tmp, `${name}.weights.bin`, concat(params.map((p) => m.params[p]!.values))),
        optimizer: m.optimizer && { ...(await writeBlob(tmp, `${name}.optimizer.bin`, concat(m.optimizer))), lengths: m.optimizer.map((a) => a.length) },
        learningRate: m.learningRate,
      };
    }
    const t = data.train;
    const train = t && { ...t, chains: t.chains ? await writeBlob(tmp, 'chains.bin', t.chains) : undefined };
    await writeManifest(tmp, MANIFESTS[0], { format: FORMAT, version: 2, library: `@ebm/core@${__EBM_VERSION__}`, models, sampler, preprocessing: data.preprocessing, meta: data.meta, train });
  });
}

/**
 * Reads a checkpoint folder (format 2, or format 1 as one model named `energy`), checking every
 * file against its manifest, every manifest against its NetSpec, and every value for being
 * finite. Recovers a save that a crash left half-swapped.
 * @throws CheckpointError naming the file and what is wrong with it.
 */
export async function loadCheckpoint(dir: string): Promise<CheckpointData> {
  await recover(dir);
  const path = join(dir, MANIFESTS[0]);
  if (!(await exists(path)) && (await exists(join(dir, MANIFESTS[1])))) return loadV1(dir);
  const c = await readJson(path);
  if (c.format !== FORMAT) throw new CheckpointError(path, `format must be "${FORMAT}", got ${JSON.stringify(c.format)}`);
  if (c.version !== 2) throw new CheckpointError(path, `version ${JSON.stringify(c.version)} is not supported`);
  const models = plainObject(c.models, 'models', path);
  if (!models || Object.keys(models).length === 0) throw new CheckpointError(path, 'holds no models');
  const data: CheckpointData = { models: {} };
  for (const [name, m] of Object.entries(models)) {
    if (!MODEL_NAME.test(name)) throw new CheckpointError(path, `model name ${JSON.stringify(name)} is not allowed`);
    const where = `${path} (model "${name}")`;
    const o = plainObject(m, `models.${name}`, path)!;
    const model = await readModel(dir, o, where, 'checkpoint.json');
    if (o.optimizer !== undefined) model.optimizer = await readOptimizer(dir, o.optimizer, where, 'checkpoint.json');
    if (o.learningRate !== undefined) model.learningRate = positiveNumber(o.learningRate, 'learningRate', where);
    data.models[name] = model;
  }
  readExtras(c, data, path);
  const t = plainObject(c.train, 'train', path);
  if (t) data.train = await readTrain(dir, t, path, 'checkpoint.json');
  return data;
}

/** Format 1: model.json + weights.bin (+ train.json, optimizer.bin, chains.bin), one model. */
async function loadV1(dir: string): Promise<CheckpointData> {
  const path = join(dir, MANIFESTS[1]);
  const m = await readJson(path);
  if (m.format !== FORMAT) throw new CheckpointError(path, `format must be "${FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== 1) throw new CheckpointError(path, `version ${JSON.stringify(m.version)} is not supported`);
  const model = await readModel(dir, m, path, 'model.json');
  const data: CheckpointData = { models: { energy: model } };
  readExtras(m, data, path);
  const trainPath = join(dir, 'train.json');
  if (await exists(trainPath)) {
    const t = await readJson(trainPath);
    model.optimizer = await readOptimizer(dir, t.optimizer, trainPath, 'train.json');
    model.learningRate = positiveNumber(t.learningRate, 'learningRate', trainPath);
    data.train = await readTrain(dir, t, trainPath, 'train.json');
    // Format 1 kept the current learning rate, not the guard's shrink: the scale is derived on resume.
    if (data.train.learningRateScale === undefined) delete data.train.learningRateScale;
  }
  return data;
}

async function readModel(dir: string, o: Record<string, unknown>, where: string, owner: string): Promise<ModelState> {
  const params = manifest(o.params, where);
  const flat = await readBlob(dir, o.weights, owner);
  const file = join(dir, (o.weights as BlobRef).file);
  const parts = split(flat, params.map((p) => p.length), file);
  const model: ModelState = { params: {} };
  params.forEach((p, i) => (model.params[p.name] = { shape: p.shape, values: parts[i]! }));
  if (o.netSpec !== undefined) {
    try {
      model.netSpec = parseNetSpec(o.netSpec);
    } catch (e) {
      throw new CheckpointError(where, (e as Error).message);
    }
    // The manifest must hold exactly the net's parameters and state, with their shapes.
    const want = (({ params: ps, state }) => [...ps, ...state])(inferShapes(model.netSpec));
    for (const w of want) {
      const got = model.params[w.name];
      if (!got) throw new CheckpointError(where, `lacks parameter "${w.name}" of its NetSpec`);
      if (got.shape.length !== w.shape.length || got.shape.some((d, j) => d !== w.shape[j])) throw new CheckpointError(where, `parameter "${w.name}" has shape [${got.shape}], its NetSpec says [${w.shape}]`);
    }
    const names = new Set(want.map((w) => w.name));
    for (const n of Object.keys(model.params)) if (!names.has(n)) throw new CheckpointError(where, `has parameter "${n}", which its NetSpec does not have`);
  }
  return model;
}

async function readOptimizer(dir: string, ref: unknown, where: string, owner: string): Promise<Float32Array[]> {
  const lengths = (ref as { lengths?: unknown } | null)?.lengths;
  if (!Array.isArray(lengths) || !lengths.every(isCount)) throw new CheckpointError(where, `optimizer.lengths must be a list of counts, got ${JSON.stringify(lengths)}`);
  return split(await readBlob(dir, ref, owner), lengths as number[], join(dir, (ref as BlobRef).file));
}

async function readTrain(dir: string, t: Record<string, unknown>, where: string, owner: string): Promise<TrainState> {
  const count = (k: string) => {
    if (!isCount(t[k])) throw new CheckpointError(where, `${k} must be an integer >= 0, got ${JSON.stringify(t[k])}`);
    return t[k] as number;
  };
  const seed = count('seed');
  if (seed >= 2 ** 32) throw new CheckpointError(where, `seed must be below 2^32, got ${seed}`);
  const train: TrainState = { iteration: count('iteration'), epoch: count('epoch'), seed, stepSize: positiveNumber(t.stepSize, 'stepSize', where) };
  if (t.learningRateScale !== undefined) train.learningRateScale = positiveNumber(t.learningRateScale, 'learningRateScale', where);
  if (t.chainStepsScale !== undefined) train.chainStepsScale = positiveNumber(t.chainStepsScale, 'chainStepsScale', where);
  if (t.chains !== undefined) train.chains = await readBlob(dir, t.chains, owner);
  return train;
}

function readExtras(o: Record<string, unknown>, data: CheckpointData, where: string): void {
  for (const k of ['sampler', 'preprocessing', 'meta'] as const) {
    const v = plainObject(o[k], k, where);
    if (v) data[k] = v;
  }
}

function positiveNumber(v: unknown, key: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new CheckpointError(where, `${key} must be a finite number > 0, got ${JSON.stringify(v)}`);
  return v;
}

/** Validates a parameter manifest; returns it typed. */
function manifest(params: unknown, where: string): { name: string; shape: number[]; length: number }[] {
  if (!Array.isArray(params)) throw new CheckpointError(where, 'has no parameter manifest');
  const seen = new Set<string>();
  return params.map((p: { name?: unknown; shape?: unknown; length?: unknown } | null, i) => {
    const name = p?.name;
    if (typeof name !== 'string' || !name || seen.has(name)) throw new CheckpointError(where, `parameter ${i} has a missing or repeated name ${JSON.stringify(name)}`);
    seen.add(name);
    const shape = p!.shape;
    if (!Array.isArray(shape) || !shape.every((d) => isCount(d) && d <= 2 ** 31)) throw new CheckpointError(where, `parameter "${name}" has a bad shape ${JSON.stringify(shape)}`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!isCount(p!.length) || p!.length !== size) throw new CheckpointError(where, `parameter "${name}" has length ${JSON.stringify(p!.length)}, its shape [${shape}] needs ${size}`);
    return { name, shape: shape as number[], length: size };
  });
}

function plainObject(v: unknown, key: string, where: string): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CheckpointError(where, `${key} must be an object, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}
