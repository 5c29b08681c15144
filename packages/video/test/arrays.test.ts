import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy, FormatError, type NpyView } from '@ebm/core';
import { arrayClip, loadClip } from '../src';

const arr = (shape: number[], f: (i: number) => number): NpyView => ({ shape, dtype: '|u1', get: f });
const floats = (shape: number[], values: number[]): NpyView => ({ shape, dtype: '<f4', get: (i) => values[i]! });

describe('arrayClip', () => {
  it('reads T×H×W frames, mapping 0–255 to [0, 1]', () => {
    const c = arrayClip(arr([3, 2, 2], (i) => i * 10), 'v.npy');
    expect([c.frames, c.height, c.width, c.channels]).toEqual([3, 2, 2, 1]);
    expect(c.data[4]).toBeCloseTo(40 / 255);
  });

  it("reads the first sequence of Moving MNIST's T×N×H×W array", () => {
    // Value = 100·t + 10·n + pixel: the clip must hold n = 0 only.
    const c = arrayClip(arr([4, 3, 1, 2], (i) => { const p = i % 2; const n = Math.floor(i / 2) % 3; const t = Math.floor(i / 6); return 50 * t + 10 * n + p; }), 'mnist_test_seq.npy');
    expect([c.frames, c.height, c.width, c.channels]).toEqual([4, 1, 2, 1]);
    expect(Array.from(c.data, (v) => Math.round(v * 255))).toEqual([0, 1, 50, 51, 100, 101, 150, 151]);
  });

  it('reads the first clip of N×T×H×W×C clips and drops alpha', () => {
    const c = arrayClip(floats([2, 2, 1, 1, 4], [0, 0.5, 1, 1, 1, 0.5, 0, 1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]), 'v.npy');
    expect([c.frames, c.channels]).toEqual([2, 3]);
    expect(Array.from(c.data)).toEqual([0, 0.5, 1, 1, 0.5, 0]);
  });

  it('refuses other shapes and ranges with a FormatError naming the file', () => {
    expect(() => arrayClip(arr([5, 5], () => 0), 'v.npy')).toThrow(FormatError);
    expect(() => arrayClip(arr([5, 5], () => 0), 'v.npy')).toThrow('v.npy: holds an array of shape 5×5, not a clip');
    expect(() => arrayClip(floats([2, 1, 1], [0, 400]), 'v.npy')).toThrow(/v\.npy: holds values from 0 to 400/);
  });

  it('is what loadClip reads from an .npy file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ebm-video-npy-'));
    try {
      const file = join(dir, 'clip.npy');
      await writeFile(file, encodeNpy(Uint8Array.from({ length: 6 * 4 * 4 }, (_, i) => i), [6, 4, 4]));
      const c = await loadClip(file, { maxFrames: 5 });
      expect([c.frames, c.height, c.width, c.channels]).toEqual([5, 4, 4, 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
