import { InputError } from '@ebm/demo-kit';
import { readFile } from 'node:fs/promises';


/**
 * Reads 2-D points from a CSV or whitespace-separated text file: one "x,y" per line; an optional
 * header line and blank lines are skipped.
 */
export async function readPoints(path: string): Promise<Float32Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const out: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const cells = t.split(/\s*[,;]\s*|\s+/);
    // An empty cell ("1.5,") is a missing value, not 0.
    const nums = cells.map((c) => (c === '' ? NaN : Number(c)));
    if (nums.some((v) => !Number.isFinite(v))) {
      if (out.length === 0 && i === lines.findIndex((l) => l.trim())) return; // header
      throw new InputError(`${path}:${i + 1}: expected two numbers "x,y", got "${t.slice(0, 40)}"`);
    }
    if (nums.length !== 2) throw new InputError(`${path}:${i + 1}: expected 2 values per line, got ${nums.length}`);
    if (nums.some((v) => !Number.isFinite(Math.fround(v)))) throw new InputError(`${path}:${i + 1}: ${t.slice(0, 40)} is too large for float32`);
    out.push(nums[0]!, nums[1]!);
  });
  if (out.length < 2 * 16) throw new InputError(`${path}: needs at least 16 points, got ${out.length / 2}`);
  return Float32Array.from(out);
}
