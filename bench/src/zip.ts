import { inflateRawSync } from 'node:zlib';

/**
 * The files of a ZIP archive (Sweet Home 3D's .sh3f furniture libraries are ZIPs), read from its
 * central directory: name → a function that returns the file's bytes (stored or deflated).
 * ZIP64 and encrypted entries are refused: the catalogue's archives use neither.
 */
export function readZip(bytes: Uint8Array, name: string): Map<string, () => Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${name}: not a ZIP archive (no end-of-central-directory record)`);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new Error(`${name}: ZIP64 archives are not read`);
  const files = new Map<string, () => Uint8Array>();
  const text = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (view.getUint32(at, true) !== 0x02014b50) throw new Error(`${name}: damaged central directory (entry ${k})`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const file = text.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    if (file.endsWith('/')) continue;
    files.set(file, () => {
      if (flags & 1) throw new Error(`${name}: ${file} is encrypted`);
      // The local header's own name and extra lengths can differ from the central directory's.
      const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
      const data = bytes.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: ${file} uses compression method ${method} (stored and deflate are read)`);
    });
  }
  return files;
}
