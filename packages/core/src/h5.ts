/**
 * HDF5 files (.h5, .hdf5): the format point-cloud and voxel benchmarks ship in (PointNet's
 * `modelnet40_ply_hdf5_2048/ply_data_train0.h5` with `data` (N, 2048, 3) and `label` (N, 1);
 * ShapeNetPart; IM-NET's voxel sets). Read with jsfive (a pure-JS reader after pyfive), loaded on
 * first use so that importing ebm stays fast. Covers what h5py writes by default: contiguous and
 * chunked datasets, gzip, shuffle and LZF filters, either byte order; the chunk indexes of
 * `libver='latest'` files and compound or string datasets are reported, not read.
 */
import { FormatError } from './errors';
import type { StoredArray } from './arrays';

/** The HDF5 signature; a file may start with a user block of 512, 1024, 2048, … bytes before it. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

interface JsfiveNode {
  keys?: string[];
  get(key: string): JsfiveNode;
  shape?: number[];
  dtype?: unknown;
  value?: ArrayLike<number | bigint | boolean>;
}
interface Jsfive {
  File: new (buffer: ArrayBuffer, name: string) => JsfiveNode;
  Group: new (...args: never[]) => JsfiveNode;
}

/** Values one dataset may hold (as float32: 1 GiB). */
const MAX_VALUES = 2 ** 28;

let jsfive: Promise<Jsfive> | undefined;
const loadJsfive = () => (jsfive ??= import('jsfive') as unknown as Promise<Jsfive>);

/** Where the HDF5 superblock starts: 0, or after a user block (MATLAB 7.3 files: 512); −1 when bytes are not HDF5. */
function superblockAt(bytes: Uint8Array): number {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return at;
  return -1;
}

/** Whether bytes begin like an HDF5 file (at offset 0 or after a user block). */
export const isH5 = (bytes: Uint8Array): boolean => superblockAt(bytes) >= 0;

/** jsfive throws strings and asserts as well as Errors: one line for the user either way. */
const reason = (e: unknown) => (typeof e === 'string' ? e : e instanceof Error ? e.message : String(e)).split('\n')[0]!.replace(/^thing is not a function$/, 'a structure this reader does not support (libver="latest" chunk index?)');

/**
 * The numeric datasets of an HDF5 file, in the order a walk of its groups meets them (values are
 * read when asked for, so picking one of a large file's datasets reads only that one). Datasets
 * whose type is not numeric (strings, compounds, references) are left out.
 * @throws FormatError when the bytes are not HDF5 or its structure cannot be read (truncated).
 */
export async function decodeH5(bytes: Uint8Array, name = 'hdf5 data'): Promise<StoredArray[]> {
  const start = superblockAt(bytes);
  if (start < 0) throw new FormatError(name, 'is not an HDF5 file (no HDF5 signature)');
  const h5 = await loadJsfive();
  const out: StoredArray[] = [];
  try {
    // Addresses count from the superblock (its base address), so a user block is cut off.
    const file = new h5.File(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, name);
    const walk = (group: JsfiveNode, prefix: string) => {
      for (const key of group.keys ?? []) {
        const node = group.get(key);
        if (node instanceof h5.Group) walk(node, `${prefix}${key}/`);
        else if (node) {
          const dtype = numericDtype(node);
          if (dtype) out.push(dataset(node, `${prefix}${key}`, dtype, name, bytes.length));
        }
      }
    };
    walk(file, '');
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError(name, `cannot be read as HDF5 (${reason(e)}; truncated or damaged?)`);
  }
  return out;
}

/** `<f4`, `>i2`, `|b1`…: the dtype of a numeric dataset, or undefined (strings, compounds, references). */
function numericDtype(node: JsfiveNode): string | undefined {
  let dtype: unknown;
  try {
    dtype = node.dtype;
  } catch {
    return undefined;
  }
  return typeof dtype === 'string' && /^[<>|=]?[fiub]\d+$/.test(dtype) ? dtype : undefined;
}

function dataset(node: JsfiveNode, path: string, dtype: string, name: string, fileBytes: number): StoredArray {
  const shape = [...(node.shape ?? [])];
  return {
    path,
    shape,
    dtype,
    read() {
      const size = shape.reduce((a, b) => a * b, 1);
      const itemBytes = Number(/\d+$/.exec(dtype)![0]);
      // A damaged header can claim any shape: refuse one that these bytes cannot hold, even
      // deflated (at most ~1032:1), before a reader allocates it.
      if (!Number.isSafeInteger(size) || size > MAX_VALUES || size * itemBytes > 1100 * fileBytes) throw new FormatError(name, `dataset "${path}" claims shape (${shape.join(', ')}), more than this file of ${fileBytes} bytes can hold (damaged?)`);
      let v: ArrayLike<number | bigint | boolean>;
      try {
        v = node.value ?? [];
      } catch (e) {
        throw new FormatError(name, `dataset "${path}" cannot be read (${reason(e)})`);
      }
      if (v.length !== size) throw new FormatError(name, `dataset "${path}" holds ${v.length} values, its shape (${shape.join(', ')}) says ${size} (truncated?)`);
      const data = new Float32Array(size);
      for (let i = 0; i < size; i++) data[i] = Number(v[i]);
      return { shape, data, dtype };
    },
  };
}
