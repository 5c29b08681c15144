/**
 * Files that hold named arrays, HDF5 (.h5, .hdf5) and NumPy's .npz, behind one interface, and the
 * rule the modality loaders use to pick the array that holds their shapes.
 */
import { FormatError } from './errors';
import { decodeH5, isH5 } from './h5';
import { decodeNpy, viewNpy, type NpyArray } from './npy';
import { readZip } from './zip';

/** One named array of a file: where it is, its shape and stored type, and its values on demand. */
export interface StoredArray {
  /** Name or path inside the file, without a leading slash (`data`, `group/points`, `x_train`). */
  path: string;
  shape: number[];
  /** The stored type in NumPy's notation (`<f4`, `|u1`, `>f8`). */
  dtype: string;
  /** The values as float32 in C order. @throws FormatError when they cannot be read. */
  read(): NpyArray;
}

/** Extensions of files that `decodeArrays` reads. */
export const ARRAY_FILE_EXTENSIONS = ['.h5', '.hdf5', '.npz'] as const;

/**
 * The numeric arrays of an HDF5 file (`decodeH5`) or an .npz archive (`np.savez`, compressed or
 * not; each entry's header is read at once, its values on demand), told apart by their bytes.
 * @throws FormatError naming the file when it is neither, or damaged.
 */
export async function decodeArrays(bytes: Uint8Array, name = 'array data'): Promise<StoredArray[]> {
  if (isH5(bytes)) return decodeH5(bytes, name);
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw new FormatError(name, 'is neither an HDF5 file nor an .npz archive');
  const out: StoredArray[] = [];
  for (const [entry, read] of readZip(bytes, name, 'an .npz file')) {
    if (!entry.endsWith('.npy')) continue;
    const at = `${name}:${entry}`;
    const npy = read();
    const v = viewNpy(npy, at);
    out.push({ path: entry.slice(0, -4), shape: v.shape, dtype: v.dtype, read: () => decodeNpy(npy, at) });
  }
  if (out.length === 0) throw new FormatError(name, 'holds no .npy arrays');
  return out;
}

export interface PickArrayOptions {
  /** Preferred names (the last part of a path, case-insensitive), in order. */
  names: readonly string[];
  /** Whether a shape can hold what is wanted. */
  fits: (shape: number[]) => boolean;
  /** What is wanted, for the error: "voxel grids ([D, H, W] or [N, D, H, W])". */
  what: string;
}

/**
 * The array that holds what a loader wants: of the arrays whose shape `fits`, the first one
 * named in `names`, else the largest.
 * @throws FormatError naming the file and listing its arrays when none fits.
 */
export function pickArray(arrays: StoredArray[], name: string, o: PickArrayOptions): StoredArray {
  const fits = arrays.filter((a) => o.fits(a.shape));
  const base = (a: StoredArray) => a.path.split('/').pop()!.toLowerCase();
  const named = o.names.map((n) => fits.find((a) => base(a) === n)).find((a) => a !== undefined);
  const size = (a: StoredArray) => a.shape.reduce((x, y) => x * y, 1);
  const pick = named ?? [...fits].sort((a, b) => size(b) - size(a))[0];
  if (pick) return pick;
  const list = arrays.slice(0, 5).map((a) => `${a.path} (${a.shape.join(', ')})`).join(', ') + (arrays.length > 5 ? ', …' : '');
  throw new FormatError(name, `holds no array of ${o.what}${arrays.length ? ` (it has ${list})` : ', nor any numeric array'}`);
}
