import type { Tensor } from './tf';

/** Reads the first value of a tensor and disposes the tensor (it must be owned by the caller). */
export async function takeScalar(t: Tensor): Promise<number> {
  const v = (await t.data())[0]!;
  t.dispose();
  return v;
}

/** Reads all values of a tensor and disposes the tensor (it must be owned by the caller). */
export async function takeValues(t: Tensor): Promise<number[]> {
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}
