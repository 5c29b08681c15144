/**
 * NumPy .npz: a zip archive of .npy files, one per array (`np.savez` stores them, `np.savez_compressed`
 * deflates them). Keras ships MNIST this way (`mnist.npz`: x_train, y_train, x_test, y_test).
 */
import { FormatError } from './errors';
import { decodeNpy, type NpyArray } from './npy';
import { readZip } from './zip';

/** The arrays of an .npz file by name (without the `.npy` of their entry). */
export function decodeNpz(bytes: Uint8Array, name = 'npz data'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [entry, read] of readZip(bytes, name, 'an .npz file')) if (entry.endsWith('.npy')) out.set(entry.slice(0, -4), decodeNpy(read(), `${name}:${entry}`));
  if (out.size === 0) throw new FormatError(name, 'holds no .npy arrays');
  return out;
}
