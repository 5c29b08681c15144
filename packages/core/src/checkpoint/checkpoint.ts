/**
 * Checkpoints are folders:
 *   model.json    format, NetSpec (when the model is one), parameter manifest, sampler settings,
 *                 data preprocessing, and the sha256 of every binary file
 *   weights.bin   float32 parameters (and state such as running statistics), in manifest order
 *   train.json    + optimizer.bin, chains.bin: what resuming needs (step, seed, optimizer moments,
 *                 persistent chains); absent in a checkpoint saved for sampling only
 * A save writes a temporary sibling folder (model.json last, so its presence marks a complete
 * save) and swaps it in with two renames. A crash between the renames leaves no folder under the
 * real name for an instant; the next load or save then recovers the newest complete sibling, so
 * the path always yields one complete save. Leftover temporary folders are removed by the next save.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors';
import { parseNetSpec } from '../netspec/json';
import { inferShapes } from '../netspec/shapes';
import type { NetSpec } from '../netspec/types';

declare const __EBM_VERSION__: string;

export interface TrainState {
  iteration: number;
  epoch: number;
  seed: number;
  learningRate: number;
  /** The divergence guard's accumulated shrink of the learning rate (trainMle); default derived. */
  learningRateScale?: number;
  stepSize: number;
  /** Optimizer state: [step, m..., v...] (see `Adam.getState`). */
  optimizer: Float32Array[];
  /** Persistent chains / replay buffer bank, when the initialiser keeps one. */
  chains?: Float32Array;
}

export interface CheckpointData {
  /** Parameters (and state tensors) by name with their shapes. */
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
const exists = (p: string) => stat(p).then(() => true, () => false);
const tmpPrefix = (dir: string) => `.${basename(dir)}.tmp-`;

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

/** Temporary sibling folders of a checkpoint left by saves that did not finish, newest save first. */
async function leftovers(dir: string): Promise<{ path: string; complete: boolean }[]> {
  const prefix = tmpPrefix(dir);
  const names = (await readdir(dirname(dir)).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const out = await Promise.all(names.map(async (n) => ({ path: join(dirname(dir), n), complete: await exists(join(dirname(dir), n, 'model.json')) })));
  // A finished new save (no .old suffix) is newer than the previous save it was replacing.
  return out.sort((a, b) => Number(a.path.endsWith('.old')) - Number(b.path.endsWith('.old')));
}

/** When a crash left no folder under the real name, moves the newest complete leftover there. */
async function recover(dir: string): Promise<void> {
  if (await exists(dir)) return;
  const best = (await leftovers(dir)).find((l) => l.complete);
  if (best) await rename(best.path, dir).catch(() => {});
}

/**
 * Writes a checkpoint folder atomically: a complete save, the previous one or (for an instant,
 * recovered by the next load) a complete temporary sibling is always there.
 */
export async function saveCheckpoint(dir: string, data: CheckpointData): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await recover(dir);
  for (const l of await leftovers(dir)) await rm(l.path, { recursive: true, force: true });
  const tmp = join(dirname(dir), `${tmpPrefix(dir)}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    const names = Object.keys(data.params);
    const weights = await writeBlob(tmp, 'weights.bin', concat(names.map((n) => data.params[n]!.values)));
    if (data.train) {
      const t = data.train;
      const optimizer = await writeBlob(tmp, 'optimizer.bin', concat(t.optimizer));
      const chains = t.chains ? await writeBlob(tmp, 'chains.bin', t.chains) : undefined;
      const train = { ...t, optimizer: { ...optimizer, lengths: t.optimizer.map((a) => a.length) }, chains };
      await writeFile(join(tmp, 'train.json'), JSON.stringify(train, null, 2));
    }
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
    // model.json appears last and whole: its presence marks the folder as a complete save.
    await writeFile(join(tmp, 'model.json.part'), JSON.stringify(model, null, 2));
    await rename(join(tmp, 'model.json.part'), join(tmp, 'model.json'));
    const old = `${tmp}.old`;
    const existed = await exists(dir);
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
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(path, `is not valid JSON (${(e as Error).message})`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new CheckpointError(path, 'does not hold a JSON object');
  return v as Record<string, unknown>;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

async function readBlob(dir: string, ref: unknown, owner: string): Promise<Float32Array> {
  const r = ref as Partial<BlobRef> | null;
  // A plain file name in the folder: never a path that leads elsewhere ("../outside.bin").
  if (!r || typeof r !== 'object' || typeof r.file !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(r.file)) {
    throw new CheckpointError(join(dir, owner), `has a bad binary file reference ${JSON.stringify(r?.file ?? r)}`);
  }
  if (!isCount(r.bytes) || r.bytes % 4 !== 0) throw new CheckpointError(join(dir, owner), `says ${r.file} has ${JSON.stringify(r.bytes)} bytes, not a whole number of float32 values`);
  if (typeof r.sha256 !== 'string') throw new CheckpointError(join(dir, owner), `has no sha256 for ${r.file}`);
  const path = join(dir, r.file);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch {
    throw new CheckpointError(path, 'file is missing or unreadable');
  }
  if (buf.byteLength !== r.bytes) throw new CheckpointError(path, `has ${buf.byteLength} bytes, ${owner} says ${r.bytes} (truncated or damaged)`);
  if (sha256(buf) !== r.sha256) throw new CheckpointError(path, `sha256 does not match ${owner} (damaged)`);
  // Copy into an aligned buffer: Buffer slices may start at any byte offset.
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new CheckpointError(path, `value ${bad} is ${out[bad]} (not finite)`);
  return out;
}

function split(flat: Float32Array, lengths: number[], file: string): Float32Array[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total !== flat.length) throw new CheckpointError(file, `holds ${flat.length} values, the manifest lists ${total}`);
  let o = 0;
  return lengths.map((n) => flat.slice(o, (o += n)));
}

/** Validates the parameter manifest; returns it typed. */
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

/**
 * Reads a checkpoint folder, checking every file against its manifest, the manifest against the
 * NetSpec, and every value for being finite. Recovers a save that a crash left half-swapped.
 * @throws CheckpointError naming the file and what is wrong with it.
 */
export async function loadCheckpoint(dir: string): Promise<CheckpointData> {
  await recover(dir);
  const modelPath = join(dir, 'model.json');
  const model = await readJson(modelPath);
  if (model.format !== FORMAT) throw new CheckpointError(modelPath, `format must be "${FORMAT}", got ${JSON.stringify(model.format)}`);
  if (model.version !== 1) throw new CheckpointError(modelPath, `version ${JSON.stringify(model.version)} is not supported`);
  const params = manifest(model.params, modelPath);
  const flat = await readBlob(dir, model.weights, 'model.json');
  const parts = split(flat, params.map((p) => p.length), join(dir, 'weights.bin'));
  const data: CheckpointData = { params: {} };
  params.forEach((p, i) => (data.params[p.name] = { shape: p.shape, values: parts[i]! }));
  if (model.netSpec !== undefined) {
    try {
      data.netSpec = parseNetSpec(model.netSpec);
    } catch (e) {
      throw new CheckpointError(modelPath, (e as Error).message);
    }
    // The manifest must hold exactly the net's parameters and state, with their shapes.
    const want = (({ params: ps, state }) => [...ps, ...state])(inferShapes(data.netSpec));
    for (const w of want) {
      const got = data.params[w.name];
      if (!got) throw new CheckpointError(modelPath, `lacks parameter "${w.name}" of its NetSpec`);
      if (got.shape.length !== w.shape.length || got.shape.some((d, j) => d !== w.shape[j])) throw new CheckpointError(modelPath, `parameter "${w.name}" has shape [${got.shape}], its NetSpec says [${w.shape}]`);
    }
    const names = new Set(want.map((w) => w.name));
    for (const n of Object.keys(data.params)) if (!names.has(n)) throw new CheckpointError(modelPath, `has parameter "${n}", which its NetSpec does not have`);
  }
  for (const k of ['sampler', 'preprocessing', 'meta'] as const) {
    const v = plainObject(model[k], k, modelPath);
    if (v) data[k] = v;
  }
  const trainPath = join(dir, 'train.json');
  if (await exists(trainPath)) {
    const t = await readJson(trainPath);
    const count = (k: string) => {
      if (!isCount(t[k])) throw new CheckpointError(trainPath, `${k} must be an integer >= 0, got ${JSON.stringify(t[k])}`);
      return t[k] as number;
    };
    const positive = (k: string) => {
      const v = t[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new CheckpointError(trainPath, `${k} must be a finite number > 0, got ${JSON.stringify(v)}`);
      return v;
    };
    const seed = count('seed');
    if (seed >= 2 ** 32) throw new CheckpointError(trainPath, `seed must be below 2^32, got ${seed}`);
    const optRef = t.optimizer as { lengths?: unknown } | null;
    const lengths = optRef?.lengths;
    if (!Array.isArray(lengths) || !lengths.every(isCount)) throw new CheckpointError(trainPath, `optimizer.lengths must be a list of counts, got ${JSON.stringify(lengths)}`);
    data.train = {
      iteration: count('iteration'),
      epoch: count('epoch'),
      seed,
      learningRate: positive('learningRate'),
      stepSize: positive('stepSize'),
      optimizer: split(await readBlob(dir, optRef, 'train.json'), lengths as number[], join(dir, 'optimizer.bin')),
    };
    if (t.learningRateScale !== undefined) data.train.learningRateScale = positive('learningRateScale');
    if (t.chains !== undefined) data.train.chains = await readBlob(dir, t.chains, 'train.json');
  }
  return data;
}
