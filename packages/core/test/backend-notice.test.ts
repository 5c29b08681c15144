import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = `require(${JSON.stringify(join(__dirname, '..', 'dist', 'index.cjs'))}).initBackend().then((b) => console.log(b.backend))`;

// The fallback notice says what was tried, what it means and how to silence it, once, on one line.
it('explains a native-backend fallback in one line, and EBM_BACKEND=cpu silences it', async () => {
  const env = { ...process.env };
  delete env.EBM_BACKEND;
  const plain = await run(process.execPath, ['-e', script], { env });
  const lines = plain.stderr.trim().split('\n').filter(Boolean);
  if (plain.stdout.trim() === 'cpu') {
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[ebm\] tfjs backend: cpu \(@tensorflow\/tfjs-node-gpu (is not installed|is installed but its native addon was never built)/);
    expect(lines[0]).toMatch(/onnx runtime .* is not affected\. Set EBM_BACKEND=cpu to skip the native backends and this notice\.$/);
  }
  const quiet = await run(process.execPath, ['-e', script], { env: { ...env, EBM_BACKEND: 'cpu' } });
  expect(quiet.stdout.trim()).toBe('cpu');
  expect(quiet.stderr.trim()).toBe('');
});
