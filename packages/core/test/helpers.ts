import { initBackend, setLogger, tf } from '../src';

/** Initialise the backend once per test file, quietly. */
export async function setup(): Promise<void> {
  setLogger(() => {});
  await initBackend();
}

/** Mean and covariance of rows of a [N, D] array. */
export function moments(x: number[][]): { mean: number[]; cov: number[][] } {
  const n = x.length;
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const cov = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / (n - 1)));
  return { mean, cov };
}

export const numTensors = () => tf.memory().numTensors;
