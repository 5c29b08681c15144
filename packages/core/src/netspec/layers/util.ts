/** Small helpers shared by layer modules. */
import type { InferContext } from '../registry';

/** A tuple field given as one number or `n` numbers, validated (positive integers unless `min` is 0). */
export function tupleOf(ctx: InferContext, v: unknown, n: number, what: string, min = 1): number[] {
  const a = typeof v === 'number' ? new Array<number>(n).fill(v) : v;
  if (!Array.isArray(a) || a.length !== n || !a.every((x) => Number.isInteger(x) && x >= min)) {
    ctx.fail(`${what} must be ${min === 1 ? 'a positive integer' : 'an integer >= 0'} or ${n} ${min === 1 ? 'positive integers' : 'integers >= 0'}, got ${JSON.stringify(v)}`);
  }
  return (a as number[]).slice();
}

/** Reads a tuple field that is already validated (one shared helper with the ONNX lowering). */
export { tuple as tup } from '../../onnx/layout';

export const product = (a: readonly number[]) => a.reduce((x, y) => x * y, 1);

/** Checks that the input has `d` spatial axes and a channel axis. */
export function spatialRank(ctx: InferContext, d: number): void {
  if (ctx.inShape.length !== d + 1) {
    ctx.fail(`expects a rank-${d + 1} input (${d === 1 ? 'N, C' : d === 2 ? 'H, W, C' : 'D, H, W, C'}) per example, got [${ctx.inShape.join(', ')}]`);
  }
}

/** Non-batch axes 1..r of a rank-(r+1) tensor. */
export const nonBatchAxes = (rank: number) => Array.from({ length: rank - 1 }, (_, j) => j + 1);
