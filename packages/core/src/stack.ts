import { FormatError } from './errors';
import { log } from './log';

/**
 * The items of a file that stacks several (an .npy of N voxel grids or point clouds), each made by
 * `read(i)`. An item whose `read` throws a FormatError is skipped with a logged note naming its
 * index, so one damaged shape does not cost the file's others; the file fails when none is left.
 * @throws FormatError naming the file and the first item's problem when no item can be used.
 */
export function readStacked<T>(path: string, count: number, what: string, read: (i: number) => T): T[] {
  const out: T[] = [];
  let first: string | undefined;
  for (let i = 0; i < count; i++) {
    try {
      out.push(read(i));
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      first ??= `${what} ${i}: ${e.reason}`;
      log('warn', `${path}: skipped ${what} ${i} of ${count}: ${e.reason}`);
    }
  }
  if (out.length === 0) throw new FormatError(path, `none of its ${count} ${what}s could be used (${first ?? 'it holds none'})`);
  return out;
}
