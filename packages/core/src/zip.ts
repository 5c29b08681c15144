/**
 * ZIP archives, read through their central directory: .npz files (numpy's arrays), Sweet Home 3D's
 * .sh3f furniture libraries and the like. Entries are stored or deflated (node:zlib); ZIP64
 * archives (over 4 GB) and encrypted entries are refused.
 */
import { inflateRawSync } from 'node:zlib';
import { FormatError } from './errors';

/**
 * The files of a ZIP archive by their path inside it (folders left out), each read and inflated
 * when its function is called. `what` names the format in the error for bytes that are not an
 * archive ("is not an .npz file").
 * @throws FormatError naming the archive: no zip directory, a damaged or truncated entry, a
 * compression method other than stored or deflate.
 */
export function readZip(bytes: Uint8Array, name = 'zip data', what = 'a zip archive'): Map<string, () => Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: its signature within the last 64 KB + 22 bytes (a comment may follow it).
  let eocd = -1;
  for (let o = bytes.length - 22; o >= Math.max(0, bytes.length - 22 - 0xffff); o--)
    if (view.getUint32(o, true) === 0x06054b50) {
      eocd = o;
      break;
    }
  if (eocd < 0) throw new FormatError(name, `is not ${what} (no zip directory; truncated or another format)`);
  const entries = view.getUint16(eocd + 10, true);
  let o = view.getUint32(eocd + 16, true);
  if (o === 0xffffffff || entries === 0xffff) throw new FormatError(name, 'is a zip64 archive (over 4 GB), which is not supported');
  const out = new Map<string, () => Uint8Array>();
  for (let i = 0; i < entries; i++) {
    if (o + 46 > bytes.length || view.getUint32(o, true) !== 0x02014b50) throw new FormatError(name, `zip directory entry ${i + 1} is damaged`);
    const flags = view.getUint16(o + 8, true);
    const method = view.getUint16(o + 10, true);
    const packed = view.getUint32(o + 20, true);
    const size = view.getUint32(o + 24, true);
    const nameLen = view.getUint16(o + 28, true);
    const extraLen = view.getUint16(o + 30, true);
    const commentLen = view.getUint16(o + 32, true);
    const local = view.getUint32(o + 42, true);
    const entry = new TextDecoder().decode(bytes.subarray(o + 46, o + 46 + nameLen));
    o += 46 + nameLen + extraLen + commentLen;
    if (entry.endsWith('/')) continue;
    out.set(entry, () => {
      if (flags & 1) throw new FormatError(name, `entry ${entry} is encrypted`);
      if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new FormatError(name, `entry ${entry} is damaged`);
      // The local header's own name and extra lengths can differ from the directory's.
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
      return data;
    });
  }
  return out;
}
