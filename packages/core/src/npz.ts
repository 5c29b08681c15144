/**
 * NumPy .npz: a zip archive of .npy files, one per array (`np.savez` stores them, `np.savez_compressed`
 * deflates them). Keras ships MNIST this way (`mnist.npz`: x_train, y_train, x_test, y_test). Read
 * through the zip's central directory; entries are stored or deflated (node:zlib). Zip64 archives
 * (over 4 GB) are refused.
 */
import { inflateRawSync } from 'node:zlib';
import { FormatError } from './errors';
import { decodeNpy, type NpyArray } from './npy';

/** The arrays of an .npz file by name (without the `.npy` of their entry). */
export function decodeNpz(bytes: Uint8Array, name = 'npz data'): Map<string, NpyArray> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: its signature within the last 64 KB + 22 bytes (a comment may follow it).
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--)
    if (view.getUint32(o, true) === 0x06054b50) {
      eocd = o;
      break;
    }
  if (eocd < 0) throw new FormatError(name, 'is not an .npz file (no zip directory; truncated or another format)');
  const entries = view.getUint16(eocd + 10, true);
  let o = view.getUint32(eocd + 16, true);
  if (o === 0xffffffff || entries === 0xffff) throw new FormatError(name, 'is a zip64 archive (over 4 GB), which is not supported');
  const out = new Map<string, NpyArray>();
  for (let i = 0; i < entries; i++) {
    if (o + 46 > bytes.length || view.getUint32(o, true) !== 0x02014b50) throw new FormatError(name, `zip directory entry ${i + 1} is damaged`);
    const method = view.getUint16(o + 10, true);
    const packed = view.getUint32(o + 20, true);
    const size = view.getUint32(o + 24, true);
    const nameLen = view.getUint16(o + 28, true);
    const extraLen = view.getUint16(o + 30, true);
    const commentLen = view.getUint16(o + 32, true);
    const local = view.getUint32(o + 42, true);
    const entry = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLen));
    o += 46 + nameLen + extraLen + commentLen;
    if (!entry.endsWith('.npy')) continue;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new FormatError(name, `entry ${entry} is damaged`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + packed > bytes.length) throw new FormatError(name, `entry ${entry} runs past the end of the file (truncated)`);
    const raw = bytes.subarray(start, start + packed);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = new Uint8Array(inflateRawSync(raw, { maxOutputLength: Math.max(1, size) }));
      } catch (e) {
        throw new FormatError(name, `entry ${entry} cannot be inflated (${(e as Error).message})`);
      }
    } else throw new FormatError(name, `entry ${entry} uses zip compression method ${method} (stored and deflated are supported)`);
    if (data.length !== size) throw new FormatError(name, `entry ${entry} holds ${data.length} bytes, its directory says ${size} (damaged)`);
    out.set(entry.slice(0, -4), decodeNpy(data, `${name}:${entry}`));
  }
  if (out.size === 0) throw new FormatError(name, 'holds no .npy arrays');
  return out;
}
