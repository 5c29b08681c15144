import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// docs/concepts.md's "Writing a net" program must run as written against the built package.
it('the writing-a-net example runs and both runtimes agree', async () => {
  const doc = await readFile(join(__dirname, '..', '..', '..', 'docs', 'concepts.md'), 'utf8');
  const code = /## Writing a net[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.concepts-${process.pid}.mjs`);
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { env: { ...process.env, EBM_BACKEND: 'cpu' } });
    expect(stdout).toMatch(/^version 2, 6 parameter tensors$/m);
    const [, e, gx, gl] = /runtimes agree: energy (\S+), grad x (\S+), grad label (\S+)/.exec(stdout)!;
    for (const v of [e, gx, gl]) expect(Number(v)).toBeLessThan(1e-4);
    expect(stdout).toMatch(/U\(x \| label\) = (-?\d+\.\d{3}, ){3}-?\d+\.\d{3}/);
  } finally {
    await rm(file, { force: true });
  }
});

// docs/concepts.md's early-stopping program: the chains' mean reaches the held-out mean, stops improving, and the run stops `patience` updates later.
it('the early-stopping example stops a run once its held-out score stops improving', async () => {
  const doc = await readFile(join(__dirname, '..', '..', '..', 'docs', 'concepts.md'), 'utf8');
  const code = /\*\*Early stopping on unseen data\.\*\*[\s\S]*?```js\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.concepts-early-${process.pid}.mjs`);
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { env: { ...process.env, EBM_BACKEND: 'cpu' } });
    const [, stopped, last, best, score] = /^(stopped|ran) to update (\d+); best check (\d+), score (\S+)$/m.exec(stdout)!;
    expect(stopped).toBe('stopped');
    expect(Number(last) - Number(best)).toBeGreaterThanOrEqual(50);
    expect(Number(last)).toBeLessThan(1000);
    expect(Number(score)).toBeGreaterThan(-0.2);
  } finally {
    await rm(file, { force: true });
  }
});
