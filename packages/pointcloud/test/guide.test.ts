import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// docs/pointcloud.md's program must run as written against the built packages.
it('the point-cloud guide runs', async () => {
  const guide = await readFile(join(__dirname, '..', '..', '..', 'docs', 'pointcloud.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(guide)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.guide-${process.pid}.mjs`);
  const cwd = await mkdtemp(join(tmpdir(), 'ebm-guide-'));
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { cwd, env: { ...process.env, EBM_BACKEND: 'cpu' } });
    expect(stdout).toMatch(/update 20 gap -?\d/);
    expect(stdout).toMatch(/MMD-CD 0\.\d{4} COV-CD [01]\.\d{2}/);
    expect((await stat(join(cwd, 'cups.png'))).size).toBeGreaterThan(1000);
  } finally {
    await rm(file, { force: true });
    await rm(cwd, { recursive: true, force: true });
  }
});
