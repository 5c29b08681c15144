import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// docs/voxel.md's program must run as written against the built packages.
it('the voxel guide runs', async () => {
  const guide = await readFile(join(__dirname, '..', '..', '..', 'docs', 'voxel.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(guide)?.[1];
  expect(code).toBeDefined();
  const file = join(__dirname, '..', `.guide-${process.pid}.mjs`);
  const cwd = await mkdtemp(join(tmpdir(), 'ebm-vguide-'));
  await writeFile(file, code!);
  try {
    const { stdout } = await run(process.execPath, [file], { cwd, env: { ...process.env, EBM_BACKEND: 'cpu' } });
    const drift = Number(/block means kept to (\S+)/.exec(stdout)?.[1]);
    expect(drift).toBeLessThan(1e-5);
  } finally {
    await rm(file, { force: true });
    await rm(cwd, { recursive: true, force: true });
  }
});
