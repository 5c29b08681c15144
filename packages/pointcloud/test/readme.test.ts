import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The README's quick start must run as written against the built package.
it('the README quick start runs', async () => {
  const readme = await readFile(join(__dirname, '..', 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.readme-quickstart-${process.pid}.mjs`);
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { env: { ...process.env, EBM_BACKEND: 'cpu' } });
    expect(stdout).toContain('energies [ 4 ]');
    expect(stdout).toMatch(/chamfer to a cup \d+\.\d{3}/);
  } finally {
    await rm(file, { force: true });
  }
});
