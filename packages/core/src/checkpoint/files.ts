/**
 * The file layer of checkpoints: checksummed float32 blobs, JSON files that name what is wrong
 * with them, and the atomic swap of a whole folder.
 *
 * A save writes a temporary sibling folder (its manifest last, so the manifest's presence marks a
 * complete save) and swaps it in with two renames. A crash between the renames leaves no folder
 * under the real name for an instant; the next load or save then recovers the newest complete
 * sibling, so the path always yields one complete save. Leftover temporary folders are removed by
 * the next save.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CheckpointError } from '../errors';

export interface BlobRef {
  file: string;
  bytes: number;
  sha256: string;
}

/** Manifest file names, newest format first: the presence of either marks a complete save. */
export const MANIFESTS = ['checkpoint.json', 'model.json'] as const;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
export const exists = (p: string) => stat(p).then(() => true, () => false);
const tmpPrefix = (dir: string) => `.${basename(dir)}.tmp-`;
const complete = async (dir: string) => (await Promise.all(MANIFESTS.map((m) => exists(join(dir, m))))).some(Boolean);

export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export function split(flat: Float32Array, lengths: number[], file: string): Float32Array[] {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total !== flat.length) throw new CheckpointError(file, `holds ${flat.length} values, the manifest lists ${total}`);
  let o = 0;
  return lengths.map((n) => flat.slice(o, (o += n)));
}

export async function writeBlob(dir: string, file: string, data: Float32Array): Promise<BlobRef> {
  const b = bytesOf(data);
  await writeFile(join(dir, file), b);
  return { file, bytes: b.byteLength, sha256: sha256(b) };
}

/** Reads a blob a manifest (`owner`) refers to, checking its size, checksum and values. */
export async function readBlob(dir: string, ref: unknown, owner: string): Promise<Float32Array> {
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

export async function readJson(path: string): Promise<Record<string, unknown>> {
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

/** Temporary sibling folders of a checkpoint left by saves that did not finish, newest save first. */
async function leftovers(dir: string): Promise<{ path: string; complete: boolean }[]> {
  const prefix = tmpPrefix(dir);
  const names = (await readdir(dirname(dir)).catch(() => [] as string[])).filter((n) => n.startsWith(prefix));
  const out = await Promise.all(names.map(async (n) => ({ path: join(dirname(dir), n), complete: await complete(join(dirname(dir), n)) })));
  // A finished new save (no .old suffix) is newer than the previous save it was replacing.
  return out.sort((a, b) => Number(a.path.endsWith('.old')) - Number(b.path.endsWith('.old')));
}

/** When a crash left no folder under the real name, moves the newest complete leftover there. */
export async function recover(dir: string): Promise<void> {
  if (await exists(dir)) return;
  const best = (await leftovers(dir)).find((l) => l.complete);
  if (best) await rename(best.path, dir).catch(() => {});
}

/**
 * Replaces folder `dir` atomically with what `fill` writes into a fresh temporary folder; `fill`
 * must write the manifest last (whole, by rename), as it marks the save complete.
 */
export async function writeFolderAtomically(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await recover(dir);
  for (const l of await leftovers(dir)) await rm(l.path, { recursive: true, force: true });
  const tmp = join(dirname(dir), `${tmpPrefix(dir)}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    await fill(tmp);
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

/** Writes a JSON manifest whole: first under a `.part` name, then renamed. */
export async function writeManifest(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(join(dir, `${name}.part`), JSON.stringify(value, null, 2));
  await rename(join(dir, `${name}.part`), join(dir, name));
}
