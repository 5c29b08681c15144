import { deflateRawSync } from 'node:zlib';
import { decodeNpz, encodeNpy, FormatError } from '../src';
import { fuzzReader } from './mutate';

/** A zip archive as np.savez (stored) or np.savez_compressed (deflated) writes it. */
function zip(files: Record<string, Uint8Array>, deflate: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, body] of Object.entries(files)) {
    const packed = deflate ? new Uint8Array(deflateRawSync(body)) : body;
    const nameBytes = new TextEncoder().encode(name);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(8, deflate ? 8 : 0, true);
    local.setUint32(18, packed.length, true);
    local.setUint32(22, body.length, true);
    local.setUint16(26, nameBytes.length, true);
    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(10, deflate ? 8 : 0, true);
    dir.setUint32(20, packed.length, true);
    dir.setUint32(24, body.length, true);
    dir.setUint16(28, nameBytes.length, true);
    dir.setUint32(42, offset, true);
    parts.push(new Uint8Array(local.buffer), nameBytes, packed);
    central.push(new Uint8Array(dir.buffer), nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const dirSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, Object.keys(files).length, true);
  end.setUint16(10, Object.keys(files).length, true);
  end.setUint32(12, dirSize, true);
  end.setUint32(16, offset, true);
  const all = [...parts, ...central, new Uint8Array(end.buffer)];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of all) (out.set(p, o), (o += p.length));
  return out;
}

const arrays = { 'x_train.npy': encodeNpy(Uint8Array.from([0, 128, 255, 7, 8, 9]), [2, 1, 3]), 'y_train.npy': encodeNpy(Float32Array.from([3, 1]), [2]) };

it.each([false, true])('reads the arrays of an .npz archive (deflated: %s)', (deflate) => {
  const m = decodeNpz(zip(arrays, deflate), 'mnist.npz');
  expect([...m.keys()]).toEqual(['x_train', 'y_train']);
  expect(m.get('x_train')).toEqual({ shape: [2, 1, 3], data: Float32Array.from([0, 128, 255, 7, 8, 9]), dtype: '|u1' });
  expect(Array.from(m.get('y_train')!.data)).toEqual([3, 1]);
});

it('refuses what is not an archive of arrays, naming the file', () => {
  expect(() => decodeNpz(new TextEncoder().encode('not a zip at all, just text that is long enough'), 'a.npz')).toThrow(FormatError);
  expect(() => decodeNpz(new TextEncoder().encode('not a zip at all, just text that is long enough'), 'a.npz')).toThrow('a.npz: is not an .npz file');
  const whole = zip(arrays, true);
  // Cutting bytes out of the first entry's data leaves the directory pointing past it.
  const cut = Uint8Array.from([...whole.subarray(0, 40), ...whole.subarray(60)]);
  expect(() => decodeNpz(cut, 'a.npz')).toThrow(/^a\.npz: (entry|zip directory entry)/);
  expect(() => decodeNpz(zip({ 'readme.txt': new Uint8Array(3) }, false), 'a.npz')).toThrow('a.npz: holds no .npy arrays');
});

it('an .npz under 300 seeded mutations gives arrays or a FormatError naming the file, quickly', () => {
  fuzzReader(zip(arrays, true), (b, n) => decodeNpz(b, n), { seed: 11, errorClass: FormatError, validate: (m) => m.forEach((a) => expect(a.data.length).toBe(a.shape.reduce((x, d) => x * d, 1))) });
});
