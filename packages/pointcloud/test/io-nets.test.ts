import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNet, encodeNpy, initBackend, paramCount, setLogger, tf } from '@ebm/core';
import { chamfer, cloudsToTensor, encodePly, encodeStl, gpointnetCpu, presets, gpointnetPaper, loadCloud, loadClouds, loadLabelledClouds, localFeatureLayer, makeClouds, normalizeCloud, parsePly, PointCloudFormatError, pointFeatures, resample, sampleSurface, saveCloud, shapeMesh, tensorToClouds, type PointCloud } from '../src';
import type { LayerSpec } from '@ebm/core';
import { presetContract } from '../../core/test/preset-contract';
import { zip } from '../../core/test/zip';

let dir: string;
beforeAll(async () => {
  setLogger(() => {});
  await initBackend();
  dir = await mkdtemp(join(tmpdir(), 'ebm-pc-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const unitSquare = { positions: Float32Array.of(0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0), triangles: Uint32Array.of(0, 1, 2, 0, 2, 3) };

describe('surface sampling and normalisation', () => {
  it('samples a mesh uniformly by area', () => {
    // Two triangles: the second 3× the area of the first; points land in proportion.
    const mesh = { positions: Float32Array.of(0, 0, 0, 1, 0, 0, 0, 1, 0, 10, 0, 0, 13, 0, 0, 10, 1, 0), triangles: Uint32Array.of(0, 1, 2, 3, 4, 5) };
    const c = sampleSurface(mesh, 8000, 1);
    let far = 0;
    for (let i = 0; i < 8000; i++) if (c.points[3 * i]! >= 10) far++;
    expect(far / 8000).toBeCloseTo(0.75, 1.5);
    // On the unit square the mean is the centre and x is uniform (variance 1/12).
    const s = sampleSurface(unitSquare, 20000, 2);
    let mx = 0;
    let vx = 0;
    for (let i = 0; i < 20000; i++) mx += s.points[3 * i]! / 20000;
    for (let i = 0; i < 20000; i++) vx += (s.points[3 * i]! - mx) ** 2 / 20000;
    expect(mx).toBeCloseTo(0.5, 2);
    expect(vx).toBeCloseTo(1 / 12, 2);
  });

  it('normalises to the unit ball and per axis', () => {
    const c: PointCloud = { points: Float32Array.of(1, 1, 1, 3, 1, 1, 2, 5, 1) };
    const u = normalizeCloud(c);
    let r = 0;
    for (let i = 0; i < 3; i++) r = Math.max(r, Math.hypot(u.points[3 * i]!, u.points[3 * i + 1]!, u.points[3 * i + 2]!));
    expect(r).toBeCloseTo(1, 6);
    const p = normalizeCloud(c, 'per-axis');
    expect(Math.max(...Array.from(p.points).filter((_, i) => i % 3 === 1).map(Math.abs))).toBeCloseTo(1, 6);
    expect(resample(c, 5, 1).points.length).toBe(15);
  });
});

describe('files', () => {
  it('PLY round trip (binary and ASCII), XYZ, and meshes sampled', async () => {
    const c = makeClouds('torus', 1, { points: 300, seed: 2 })[0]!;
    await saveCloud(join(dir, 'a.ply'), c);
    const back = await loadCloud(join(dir, 'a.ply'), { normalize: 'none' });
    // Normalisation 'none' only centres; the torus cloud is already centred up to rounding.
    expect(chamfer(back, normalizeCloud(c, 'none'))).toBeLessThan(1e-10);
    expect(parsePly(encodePly(c, { format: 'ascii' }), 'x', { faces: 'optional' }).positions.length).toBe(900);
    await saveCloud(join(dir, 'a.xyz'), c);
    expect((await loadCloud(join(dir, 'a.xyz'))).points.length).toBe(900);
    // .npy as PointFlow stores clouds: (N, 3) float32; extra columns (normals) are ignored.
    const rows = new Float32Array(300 * 6);
    for (let i = 0; i < 300; i++) rows.set([c.points[3 * i]!, c.points[3 * i + 1]!, c.points[3 * i + 2]!, 0, 0, 1], 6 * i);
    await writeFile(join(dir, 'a.npy'), encodeNpy(rows, [300, 6]));
    expect(chamfer(await loadCloud(join(dir, 'a.npy'), { normalize: 'none' }), normalizeCloud(c, 'none'))).toBeLessThan(1e-10);
    await writeFile(join(dir, 'flat.npy'), encodeNpy(new Float32Array(8), [4, 2]));
    await expect(loadCloud(join(dir, 'flat.npy'))).rejects.toThrow(`${join(dir, 'flat.npy')}: expected an array of shape (points, 3), got (4, 2)`);
    await writeFile(join(dir, 'sq.stl'), encodeStl(unitSquare));
    expect((await loadCloud(join(dir, 'sq.stl'), { points: 100 })).points.length).toBe(300);
  });

  it('reads a stacked .npy of clouds as many clouds, skipping a bad one, and one cloud as one', async () => {
    const cs = makeClouds('cup', 3, { points: 200, seed: 5 });
    const stack = new Float32Array(3 * 200 * 3);
    cs.forEach((c, i) => stack.set(c.points, i * 600));
    await writeFile(join(dir, 'stack.npy'), encodeNpy(stack, [3, 200, 3]));
    const back = await loadClouds(join(dir, 'stack.npy'), { normalize: 'none' });
    expect(back).toHaveLength(3);
    back.forEach((b, i) => expect(chamfer(b, normalizeCloud(cs[i]!, 'none'))).toBeLessThan(1e-10));
    // Resampled to `points`, cloud i with seed + i, as loadCloud would.
    const resampled = await loadClouds(join(dir, 'stack.npy'), { points: 64, seed: 3 });
    expect(resampled.map((c) => c.points.length)).toEqual([192, 192, 192]);
    expect(Array.from(resampled[1]!.points)).toEqual(Array.from(normalizeCloud(resample(cs[1]!, 64, 4), 'unit-sphere').points));
    const warnings: string[] = [];
    setLogger((_, m) => warnings.push(m));
    try {
      stack[600 + 7] = NaN;
      await writeFile(join(dir, 'stack-nan.npy'), encodeNpy(stack, [3, 200, 3]));
      expect(await loadClouds(join(dir, 'stack-nan.npy'))).toHaveLength(2);
      expect(warnings).toEqual([`${join(dir, 'stack-nan.npy')}: skipped cloud 1 of 3: has a coordinate that is not a finite number`]);
    } finally {
      setLogger(() => {});
    }
    await writeFile(join(dir, 'all-nan.npy'), encodeNpy(new Float32Array(2 * 5 * 3).fill(NaN), [2, 5, 3]));
    await expect(loadClouds(join(dir, 'all-nan.npy'))).rejects.toThrow(`${join(dir, 'all-nan.npy')}: none of its 2 clouds could be used (cloud 0: has a coordinate that is not a finite number)`);
    await writeFile(join(dir, 'two-cols.npy'), encodeNpy(new Float32Array(2 * 5 * 2), [2, 5, 2]));
    await expect(loadClouds(join(dir, 'two-cols.npy'))).rejects.toThrow('expected an array of shape (clouds, points, 3), got (2, 5, 2)');
    // np.save of a list of clouds of different sizes (an object array): each one cloud.
    const objects = join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'pickle', 'clouds-object.npy');
    expect((await loadClouds(objects, { normalize: 'none' })).map((c) => c.points.length / 3)).toEqual([5, 7, 4]);
    // A leading axis of 1, a (points, 3) array or a mesh: one cloud.
    await writeFile(join(dir, 'one.npy'), encodeNpy(cs[0]!.points, [1, 200, 3]));
    expect(await loadClouds(join(dir, 'one.npy'))).toHaveLength(1);
    await writeFile(join(dir, 'sq2.stl'), encodeStl(unitSquare));
    expect(await loadClouds(join(dir, 'sq2.stl'), { points: 10 })).toHaveLength(1);
  });

  it("reads HDF5 point sets: PointNet's (clouds, points, 3) `data`, or the points dataset in a group", async () => {
    // h5py-written fixtures shared with @ebm/core's HDF5 tests (core/test/fixtures/h5/make.py).
    const h5 = (name: string) => join(__dirname, '..', '..', 'core', 'test', 'fixtures', 'h5', name);
    const values = (n: number, p: number) => Array.from({ length: n * p * 3 }, (_, i) => (i % 17) / 4 - 2);
    const clouds = await loadClouds(h5('pointnet.h5'), { normalize: 'none' });
    // 'none' only centres each cloud.
    expect(clouds.map((c) => Array.from(c.points))).toEqual([0, 1, 2].map((i) => Array.from(normalizeCloud({ points: Float32Array.from(values(3, 16).slice(48 * i, 48 * (i + 1))) }, 'none').points)));
    const grouped = await loadClouds(h5('grouped.h5'), { normalize: 'none', points: 8, seed: 1 });
    expect(grouped.map((c) => c.points.length)).toEqual([24, 24]);
    await expect(loadCloud(h5('pointnet.h5'))).rejects.toThrow(`${h5('pointnet.h5')}: holds 3 clouds (shape (3, 16, 3)); loadClouds reads them all`);
    await expect(loadClouds(h5('voxels.h5'))).rejects.toThrow(`${h5('voxels.h5')}: holds no array of shape (points, 3) or (clouds, points, 3) (it has voxels (2, 4, 4, 4))`);
    // With the labels beside them (PointNet's `label`, (N, 1)).
    expect((await loadLabelledClouds(h5('pointnet.h5'), { points: 8 })).labels).toEqual([2, 0, 2]);
    const skipped = await loadLabelledClouds(h5('labelled-nan.h5'));
    expect([skipped.clouds.length, skipped.labels]).toEqual([2, [5, 7]]);
    await expect(loadLabelledClouds(h5('grouped.h5'))).rejects.toThrow(`${h5('grouped.h5')}: has no array of labels (label, labels, cls, class, y, y_train) of 2 values beside its clouds in "shapes/points"`);
    // The same from an .npz archive (np.savez(x_train=…, y_train=…)).
    const npz = zip({ 'x_train.npy': encodeNpy(Float32Array.from(values(3, 16)), [3, 16, 3]), 'y_train.npy': encodeNpy(Float32Array.of(4, 1, 4), [3]) }, true);
    await writeFile(join(dir, 'clouds.npz'), npz);
    const fromNpz = await loadLabelledClouds(join(dir, 'clouds.npz'), { normalize: 'none' });
    expect([fromNpz.clouds.length, fromNpz.labels]).toEqual([3, [4, 1, 4]]);
    expect(Array.from(fromNpz.clouds[2]!.points)).toEqual(Array.from(clouds[2]!.points));
    await writeFile(join(dir, 'fake.h5'), 'x y z\n');
    await expect(loadClouds(join(dir, 'fake.h5'))).rejects.toThrow(PointCloudFormatError);
  });

  it('names the file in typed errors', async () => {
    await writeFile(join(dir, 'bad.xyz'), '0 0 0\n1 two 3\n');
    await expect(loadCloud(join(dir, 'bad.xyz'))).rejects.toThrow(PointCloudFormatError);
    await expect(loadCloud(join(dir, 'bad.xyz'))).rejects.toThrow(`${join(dir, 'bad.xyz')}: line 2: expected "x y z", got "1 two 3"`);
    await writeFile(join(dir, 'cut.ply'), encodePly({ points: new Float32Array(30) }).subarray(0, 150));
    await expect(loadCloud(join(dir, 'cut.ply'))).rejects.toThrow(/cut\.ply: ends early \(truncated\)/);
    await expect(loadCloud(join(dir, 'x.las'))).rejects.toThrow(/unsupported extension ".las"/);
    await writeFile(join(dir, 'spot.xyz'), '1 2 3\n'.repeat(50));
    await expect(loadCloud(join(dir, 'spot.xyz'), { points: 64 })).rejects.toThrow(`${join(dir, 'spot.xyz')}: all its 50 points are at one spot`);
    await expect(loadCloud(join(dir, 'missing.ply'))).rejects.toThrow(/missing\.ply: cannot read \(ENOENT\)/);
  });
});

describe('PointNet energies', () => {
  it('the paper preset has the published layer sizes, with the 64 → 64 layer residual', () => {
    const spec = gpointnetPaper(2048);
    const units = (ls: LayerSpec[]): number[] => ls.flatMap((l) => (l.type === 'dense' ? [l.units] : l.type === 'residual' ? units(l.layers) : []));
    expect(units(spec.layers)).toEqual([64, 64, 128, 256, 1024, 512, 256, 128, 64, 1]);
    expect(spec.layers[3]).toEqual({ type: 'residual', layers: [{ type: 'dense', units: 64 }] });
    expect(paramCount(gpointnetCpu(512))).toBeLessThan(20000);
  });

  it("the official per-point layer norm ('pointLayer') ties the energy to the order of the points", async () => {
    const clouds = makeClouds('chair', 2, { points: 64, seed: 4 });
    const x = cloudsToTensor(clouds);
    const y = cloudsToTensor(clouds.map((c) => resample(c, 64, 9)));
    const gap = async (norm: 'layer' | 'pointLayer') => {
      const net = createNet(gpointnetCpu(64, { norm }), { seed: 3 });
      // γ_i = 1 for every point hides the dependence: give each point its own scale.
      const w = await net.getWeights();
      for (const [n, v] of Object.entries(w)) if (n.endsWith('gamma')) v.forEach((_, i) => (v[i] = 1 + 0.5 * Math.sin(i)));
      net.setWeights(w);
      const [a, b] = [await net.forward(x), await net.forward(y)];
      const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
      [a, b].forEach((t) => t.dispose());
      net.dispose();
      return d;
    };
    expect(await gap('layer')).toBeLessThan(1e-4);
    expect(await gap('pointLayer')).toBeGreaterThan(1e-3);
    [x, y].forEach((t) => t.dispose());
  });

  it.each(['mean', 'max'] as const)('the energy (%s pooling) does not depend on the order of the points', async (pool) => {
    const net = createNet(gpointnetCpu(64, { pool }), { seed: 3 });
    const clouds = makeClouds('chair', 2, { points: 64, seed: 4 });
    const perm = clouds.map((c) => resample(c, 64, 9));
    const x = cloudsToTensor(clouds);
    const y = cloudsToTensor(perm);
    const a = await net.forward(x);
    const b = await net.forward(y);
    expect(chamfer(clouds[0]!, perm[0]!)).toBe(0);
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(a)).dataSync()[0]).toBeGreaterThan(0);
    [x, y, a, b].forEach((t) => t.dispose());
    net.dispose();
  });

  it('point features: mean and max over points of the last local layer', async () => {
    const net = createNet(gpointnetCpu(32), { seed: 1 });
    expect(localFeatureLayer(net)).toBe(8);
    const x = cloudsToTensor(makeClouds('cup', 3, { points: 32, seed: 1 }));
    const before = tf.memory().numTensors;
    const { features, numFeatures } = await pointFeatures(net, x, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(numFeatures).toBe(256);
    const a = await net.forwardTo(x, 8);
    const mean = tf.mean(a, 1).dataSync();
    for (let k = 0; k < 128; k++) expect(features[2 * 256 + k]).toBeCloseTo(mean[2 * 128 + k]!, 5);
    [x, a].forEach((t) => t.dispose());
    net.dispose();
  });

  it('tensor round trip and procedural shapes', async () => {
    const cs = makeClouds('table', 2, { points: 100, seed: 5 });
    const t = cloudsToTensor(cs);
    expect(t.shape).toEqual([2, 100, 3]);
    const back = await tensorToClouds(t);
    expect(Array.from(back[1]!.points)).toEqual(Array.from(cs[1]!.points));
    t.dispose();
    expect(shapeMesh('cup', 1).triangles.length).toBeGreaterThan(0);
  });
});

presetContract(() => import('@ebm/core'), presets);
