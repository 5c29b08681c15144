import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the guide's `which`-th program as written against the built packages; its stdout. */
async function runGuide(which: number): Promise<string> {
  const guide = await readFile(join(__dirname, '..', '..', '..', 'docs', 'voxel.md'), 'utf8');
  const code = [...guide.matchAll(/```js\n([\s\S]*?)```/g)][which]?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.guide-${process.pid}-${which}.mjs`);
  const cwd = await mkdtemp(join(tmpdir(), 'ebm-vguide-'));
  await writeFile(file, code!);
  try {
    return (await run(process.execPath, [file], { cwd, env: { ...process.env, EBM_BACKEND: 'cpu' } })).stdout;
  } finally {
    await rm(file, { force: true });
    await rm(cwd, { recursive: true, force: true });
  }
}

it('the voxel guide runs: super-resolution keeps the block means', async () => {
  const drift = Number(/block means kept to (\S+)/.exec(await runGuide(0))?.[1]);
  expect(drift).toBeLessThan(1e-5);
});

it('the voxel guide runs: recovery moves the hidden voxels only', async () => {
  const m = /observed voxels moved by (\S+) ; hidden ones by up to (\S+)/.exec(await runGuide(1));
  expect(Number(m?.[1])).toBe(0);
  expect(Number(m?.[2])).toBeGreaterThan(0);
});
