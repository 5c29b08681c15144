import { decodeNpy, encodeNpy, FormatError } from '../src';

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

describe('npy', () => {
  it('round-trips uint8 and float32 arrays', () => {
    const u = Uint8Array.from([0, 1, 1, 0, 1, 0]);
    const a = decodeNpy(encodeNpy(u, [1, 2, 3]));
    expect(a).toEqual({ shape: [1, 2, 3], data: Float32Array.from(u), dtype: '|u1' });
    const f = Float32Array.from([0.5, -2, 3.25]);
    expect(decodeNpy(encodeNpy(f, [3]))).toEqual({ shape: [3], data: f, dtype: '<f4' });
    // The header is padded so the data starts on a 64-byte boundary, as numpy writes it.
    expect((encodeNpy(f, [3]).length - 12) % 64).toBe(0);
  });

  /** A .npy file as numpy writes it: v1.0 header padded so the data starts on a 64-byte boundary. */
  const npyBytes = (descr: string, fortran: string, shape: string, body: Uint8Array) => {
    const head = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (${shape}), }`;
    const padded = head + ' '.repeat((64 - ((10 + head.length + 1) % 64)) % 64) + '\n';
    return cat(Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 255, padded.length >> 8]), new TextEncoder().encode(padded), body);
  };

  it('reads Fortran-ordered arrays into C order', () => {
    // np.asfortranarray(np.arange(6).reshape(2, 3)) is stored column by column: 0 3 1 4 2 5.
    const body = new Uint8Array(new Float32Array([0, 3, 1, 4, 2, 5]).buffer);
    expect(decodeNpy(npyBytes('<f4', 'True', '2, 3', body)).data).toEqual(Float32Array.from([0, 1, 2, 3, 4, 5]));
    // (2, 2, 2): C index (i, j, k) = 4i + 2j + k sits at Fortran position i + 2j + 4k.
    const f = new Float32Array(8);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) f[i + 2 * j + 4 * k] = 4 * i + 2 * j + k;
    expect(Array.from(decodeNpy(npyBytes('<f4', 'True', '2, 2, 2', new Uint8Array(f.buffer))).data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('reads integers, half floats and big-endian data', () => {
    const be = new DataView(new ArrayBuffer(8));
    be.setFloat32(0, 1.25, false);
    be.setFloat32(4, -2, false);
    expect(decodeNpy(npyBytes('>f4', 'False', '2,', new Uint8Array(be.buffer))).data).toEqual(Float32Array.from([1.25, -2]));
    expect(decodeNpy(npyBytes('<i4', 'False', '2,', new Uint8Array(new Int32Array([-7, 300]).buffer))).data).toEqual(Float32Array.from([-7, 300]));
    expect(decodeNpy(npyBytes('<i8', 'False', '1,', new Uint8Array(new BigInt64Array([-5n]).buffer))).data).toEqual(Float32Array.from([-5]));
    expect(decodeNpy(npyBytes('<u2', 'False', '1,', new Uint8Array(new Uint16Array([65535]).buffer))).data).toEqual(Float32Array.from([65535]));
    // float16: 0x3c00 = 1, 0xc000 = −2, 0x3555 ≈ 0.33325, 0x0001 = 2^−24 (subnormal).
    const h = decodeNpy(npyBytes('<f2', 'False', '4,', new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001]).buffer))).data;
    expect(Array.from(h.slice(0, 2))).toEqual([1, -2]);
    expect(h[2]).toBeCloseTo(0.33325, 5);
    expect(h[3]).toBeCloseTo(2 ** -24, 12);
  });

  it('reads float64 and bool arrays written by numpy', () => {
    expect(decodeNpy(npyBytes('<f8', 'False', '2,', new Uint8Array(new Float64Array([1.5, -3]).buffer)))).toEqual({ shape: [2], data: Float32Array.from([1.5, -3]), dtype: '<f8' });
    expect(decodeNpy(npyBytes('|b1', 'False', '1, 3', Uint8Array.from([1, 0, 1])))).toEqual({ shape: [1, 3], data: Float32Array.from([1, 0, 1]), dtype: '|b1' });
  });

  it('rejects bad magic, unknown dtypes and truncated data with a FormatError naming the file', () => {
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'v.npy')).toThrow(FormatError);
    expect(() => decodeNpy(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 'v.npy')).toThrow('v.npy: not a .npy file (bad magic)');
    expect(() => decodeNpy(npyBytes('<c8', 'False', '2,', new Uint8Array(16)), 'v.npy')).toThrow('v.npy: dtype <c8 is not supported');
    expect(() => decodeNpy(npyBytes('<f4', 'False', '4, 4', new Uint8Array(20)), 'v.npy')).toThrow('v.npy: holds 20 data bytes, shape (4, 4) of <f4 needs 64 (truncated)');
  });
});

