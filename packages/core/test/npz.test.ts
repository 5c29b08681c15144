import { decodeNpz, encodeNpy, FormatError } from '../src';
import { fuzzReader } from './mutate';
import { zip } from './zip';

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
