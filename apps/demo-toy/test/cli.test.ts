import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkReportInBrowser, contractTests, demoCli } from '@ebm/demo-kit/testing';
import { mmd2, modeMetrics, ringModes, sampleRing } from '../src/ring';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'demo-toy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cli = demoCli(MAIN);

describe('ring metrics', () => {
  it('score the data itself as covering every mode at its own spread', () => {
    const m = modeMetrics(sampleRing(4000, 1), ringModes());
    expect(m.modeCoverage).toBe(1);
    expect(m.modeSpacing).toBeCloseTo(2 * 2 * Math.sin(Math.PI / 8), 6);
    // Mean distance of a 2-D Gaussian point to its centre is σ·√(π/2).
    expect(m.meanDistToMode).toBeCloseTo(0.1 * Math.sqrt(Math.PI / 2), 2);
  });

  it('see a collapse onto one mode', () => {
    const modes = ringModes();
    const collapsed = new Float32Array(200).map((_, i) => (i % 2 === 0 ? modes[0]! : modes[1]!));
    expect(modeMetrics(collapsed, modes).modeCoverage).toBe(1 / 8);
  });

  it('MMD is ~0 for two samples of one distribution and larger against another', () => {
    const a = sampleRing(500, 1);
    const b = sampleRing(500, 2);
    const c = sampleRing(500, 3, { radius: 1 });
    expect(mmd2(a, b, 0.2)).toBeLessThan(0.01);
    expect(mmd2(a, c, 0.2)).toBeGreaterThan(5 * mmd2(a, b, 0.2));
  });
});

describe('demo-toy CLI', () => {
  it('--smoke writes the whole run folder', async () => {
    const out = join(dir, 'smoke');
    const r = await cli('--', 'ring', '--smoke', '--out', out, '--seed', '3');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ task: 'ring', quick: false, seed: 3 });
    for (const k of ['seconds', 'modeCoverage', 'meanDistToMode', 'modeSpacing', 'meanDistToModeNoise', 'mmd', 'mmdNoise']) expect(typeof metrics[k]).toBe('number');
    for (const f of ['samples.png', 'curves.png', 'report.html', 'checkpoint/checkpoint.json', 'checkpoint/energy.weights.bin', 'checkpoint/energy.optimizer.bin']) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('<img src="samples.png"');
  });

  it('takes 2-D points from a CSV file', async () => {
    const csv = join(dir, 'pts.csv');
    const pts = sampleRing(300, 4);
    await writeFile(csv, 'x,y\n' + Array.from({ length: 300 }, (_, i) => `${pts[2 * i]},${pts[2 * i + 1]}`).join('\n'));
    const r = await cli('ring', '--smoke', '--data', csv, '--out', join(dir, 'csv'));
    expect(r.code).toBe(0);
    const metrics = JSON.parse(await readFile(join(dir, 'csv', 'metrics.json'), 'utf8'));
    expect(typeof metrics.mmd).toBe('number');
    expect(metrics.modeCoverage).toBeUndefined();
  });

  it.each([
    [['ring', '--data', 'missing.csv'], /^demo-toy: missing\.csv: cannot read \(ENOENT\)$/],
  ])('%j fails with one line and exit code 2', async (args, msg) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(msg);
  });

  it.each([
    ['1,2\n3,4\n1.5,\n', /:3: expected two numbers "x,y", got "1\.5,"$/],
    ['1,2\n3,4\n1e39,0\n', /:3: 1e39,0 is too large for float32$/],
  ])('refuses %j up front, naming the line', async (text, msg) => {
    const csv = join(dir, `bad-${text.length}.csv`);
    await writeFile(csv, text);
    const r = await cli('ring', '--smoke', '--data', csv);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(msg);
  });

  it('names the line of a malformed CSV', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, '1,2\n3,4\n5,abc\n');
    const r = await cli('ring', '--data', csv);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`demo-toy: ${csv}:3: expected two numbers "x,y", got "5,abc"`);
  });
});

it('report.html of a smoke run renders in headless Chromium: every image loads, the SVG charts draw, no errors', async () => {
  const out = join(dir, 'browser');
  expect((await cli('ring', '--smoke', '--out', out)).code).toBe(0);
  const check = await checkReportInBrowser(out);
  if (!check) {
    console.warn('report rendering check not run: no chromium here (apt-get install chromium; CI runs it)');
    return;
  }
  // Six curves in four charts, plus the chains' nearest-data and nearest-chain ratios and their reference line at 1.
  expect(check).toEqual({ images: 1, broken: [], lines: 9, errors: [] });
  const html = await readFile(join(out, 'report.html'), 'utf8');
  expect(html).toContain('✓ beats baseline');
}, 120000);

contractTests({ name: 'demo-toy', cli, tasks: ['ring'], smoke: ['ring', '--smoke'], dir: () => dir });
