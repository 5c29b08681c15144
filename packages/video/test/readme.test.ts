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
  const cwd = await mkdtemp(join(tmpdir(), 'ebm-video-readme-'));
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { cwd, env: { ...process.env, EBM_BACKEND: 'cpu' } });
    expect(stdout).toContain('updates 10');
    expect(stdout).toContain('clips 3 8×16×16');
    expect((await stat(join(cwd, 'long.gif'))).size).toBeGreaterThan(1000);
    expect((await stat(join(cwd, 'frames.png'))).size).toBeGreaterThan(1000);
  } finally {
    await rm(file, { force: true });
    await rm(cwd, { recursive: true, force: true });
  }
});
