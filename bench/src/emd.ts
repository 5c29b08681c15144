/**
 * `pnpm --filter @ebm/bench emd`: the point-cloud EMD (@ebm/pointcloud's auction algorithm) on
 * pairs of 2048-point clouds, timed against SciPy's exact assignment solver on the same clouds
 * (Debian python3-scipy), median of repetitions. Checks that our value lies within its stated
 * bound of the exact one: exact ≤ ours ≤ exact + ε.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emd, makeClouds, type PointCloud } from '@ebm/pointcloud';
import { PYTHON } from './torch';

const N = Number(process.env.EMD_POINTS ?? 2048);
const REPS = 5;
const EPS = 1e-3;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const [chairA, chairB] = makeClouds('chair', 2, { points: N, seed: 4 });
const [table] = makeClouds('table', 1, { points: N, seed: 5 });
const [cup] = makeClouds('cup', 1, { points: N, seed: 6, pose: 'random' });
const pairs: [string, PointCloud, PointCloud][] = [
  ['chair vs chair', chairA!, chairB!],
  ['chair vs table', chairA!, table!],
  ['chair vs turned cup', chairA!, cup!],
];
const dir = mkdtempSync(join(tmpdir(), 'ebm-emd-'));
const rows: Record<string, unknown>[] = [];
try {
  for (const [name, a, b] of pairs) {
    const times: number[] = [];
    let ours = 0;
    for (let r = 0; r < REPS + 1; r++) {
      const t = performance.now();
      ours = emd(a, b, { epsilon: EPS });
      if (r > 0) times.push(performance.now() - t); // the first run warms the JIT
    }
    const file = join(dir, 'pair.bin');
    const both = new Float32Array(6 * N);
    both.set(a.points);
    both.set(b.points, 3 * N);
    writeFileSync(file, both);
    const py = spawnSync(PYTHON, [join(import.meta.dirname, '..', 'emd_peer.py'), file, String(N), String(REPS)], { encoding: 'utf8' });
    const peer = py.status === 0 ? (JSON.parse(py.stdout) as { exact: number; ms: number }) : undefined;
    const row = { pair: name, points: N, ours_ms: Math.round(median(times)), emd: ours, scipy_ms: peer && Math.round(peer.ms), exact: peer?.exact, ratio: peer && +(median(times) / peer.ms).toFixed(2), withinBound: peer ? ours >= peer.exact - 1e-6 && ours <= peer.exact + EPS + 1e-6 : undefined };
    rows.push(row);
    console.log(JSON.stringify(row));
    if (!peer) console.log(`scipy peer not run: ${py.stderr?.trim() || `exit ${py.status}`} (apt-get install python3-scipy)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (rows.some((r) => r.withinBound === false)) {
  console.error('EMD outside its bound of the exact matching');
  process.exit(1);
}
