import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The README's quick start must run as written against the built package.
it('the README quick start runs', async () => {
  const readme = await readFile(join(__dirname, '..', 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.readme-quickstart-${process.pid}.mjs`);
  const cwd = await mkdtemp(join(tmpdir(), 'ebm-image-readme-'));
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { cwd, env: { ...process.env, EBM_BACKEND: 'cpu' } });
    expect(stdout).toContain('updates 20');
    expect(stdout).toContain('textures 3 64×64');
    expect((await stat(join(cwd, 'textures.png'))).size).toBeGreaterThan(1000);
  } finally {
    await rm(file, { force: true });
    await rm(cwd, { recursive: true, force: true });
  }
});
