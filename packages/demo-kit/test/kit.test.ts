/**
 * The kit's pieces in-process: the CLI definition (help text, argument errors, run context), held-out
 * splits, classifier selection by validation, and the data folder reader on user layouts.
 */
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EbmError, setLogger } from '@ebm/core';
import { demoMain, describeFolder, fewLabelAccuracy, helpText, holdOut, InputError, parseDemoArgs, readDataFolder, readDataPath, selectClassifier, type DemoDefinition } from '../src';

let dir: string;
beforeAll(async () => {
  setLogger(() => {});
  dir = await mkdtemp(join(tmpdir(), 'ebm-kit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const demo: DemoDefinition = {
  name: 'demo-x',
  tasks: { make: { help: 'makes things', run: async () => ({ html: '', metrics: {} }) }, sort: { help: 'sorts them', run: async () => ({ html: '', metrics: {} }) } },
  data: { arg: 'DIR', help: 'a folder\nof files' },
  category: { values: ['a', 'b'], default: 'a', help: 'built-in set', notFor: ['sort'] },
  modes: { quick: 'five minutes', full: 'a long run.' },
  up: 'the files\' up axis',
};

describe('the demo CLI definition', () => {
  it('writes one help text with every task and option', () => {
    const h = helpText(demo);
    expect(h).toContain('Usage: demo-x <task> [options]');
    expect(h).toMatch(/\n {2}make {3}makes things\n {2}sort {3}sorts them\n/);
    expect(h).toContain('--data DIR       a folder\n                   of files');
    expect(h).toContain('--category NAME  built-in set: a, b (default a)');
    expect(h).toContain('--strict');
    expect(h.split('\n').pop()).toBe('Without --quick or --smoke a long run.');
    expect(helpText({ ...demo, strict: false })).not.toContain('--strict');
    expect(h).toContain("--up y|z         the files' up axis");
    expect(helpText({ ...demo, up: undefined })).not.toContain('--up');
  });

  it.each<[string[], RegExp]>([
    [['nope'], /^unknown task "nope" \(tasks: make, sort; see --help\)$/],
    [[], /^no task given/],
    [['make', 'more'], /^unexpected argument "more"/],
    [['make', '--seed', '1.5'], /^--seed must be a non-negative integer, got "1.5"$/],
    [['make', '--quick', '--smoke'], /^--quick and --smoke exclude each other$/],
    [['make', '--category', 'c'], /^unknown --category "c" \(a, b\)$/],
    [['sort', '--category', 'a'], /^--category does not apply to sort/],
    [['make', '--data', 'd', '--up', 'x'], /^--up must be y or z, got "x"$/],
    [['make', '--up', 'z'], /^--up applies to --data files/],
  ])('%j is an InputError: %s', async (argv, msg) => {
    const p = parseDemoArgs(demo, argv);
    await expect(p).rejects.toThrow(InputError);
    await expect(parseDemoArgs(demo, argv)).rejects.toThrow(msg);
  });

  it('builds the run context: mode, seed, category default, --out from the caller directory, folder created', async () => {
    const prev = process.env.INIT_CWD;
    process.env.INIT_CWD = dir;
    try {
      const ctx = await parseDemoArgs(demo, ['--', 'make', '--quick', '--seed', '7', '--out', 'runs/one', '--strict']);
      expect(ctx).toMatchObject({ task: 'make', mode: 'quick', seed: 7, out: join(dir, 'runs', 'one'), category: 'a', strict: true, up: 'y' });
      expect(await parseDemoArgs(demo, ['make', '--data', 'x', '--up', 'z', '--out', 'runs/two'])).toMatchObject({ data: 'x', up: 'z' });
      expect(typeof ctx!.backend).toBe('string');
      // --category with --data: a class of the data where the demo reads classes from its files.
      const labelled = { ...demo, category: { ...demo.category!, withData: 'with --data: a class of the data' } };
      expect(await parseDemoArgs(labelled, ['make', '--data', 'x', '--category', 'chair', '--out', 'runs/three'])).toMatchObject({ category: 'a', dataCategory: 'chair' });
      // --limit: the demo's default for the mode, a number, or 0 for every model; only with --data.
      const limited = { ...demo, limit: { help: 'read at most N', default: { quick: 300 } } };
      expect((await parseDemoArgs(limited, ['make', '--quick', '--data', 'x', '--out', 'runs/l1']))!.limit).toBe(300);
      expect((await parseDemoArgs(limited, ['make', '--data', 'x', '--out', 'runs/l2']))!.limit).toBeUndefined();
      expect((await parseDemoArgs(limited, ['make', '--quick', '--data', 'x', '--limit', '50', '--out', 'runs/l3']))!.limit).toBe(50);
      expect((await parseDemoArgs(limited, ['make', '--quick', '--data', 'x', '--limit', '0', '--out', 'runs/l4']))!.limit).toBeUndefined();
      await expect(parseDemoArgs(limited, ['make', '--data', 'x', '--limit=-3'])).rejects.toThrow('--limit must be a non-negative integer, got "-3"');
      await expect(parseDemoArgs(limited, ['make', '--limit', '3'])).rejects.toThrow('--limit applies to a --data folder');
      expect(helpText(limited)).toContain('--limit N        read at most N');
      expect((await parseDemoArgs(labelled, ['make', '--category', 'b', '--out', 'runs/four']))!.dataCategory).toBeUndefined();
      await expect(parseDemoArgs(labelled, ['make', '--category', 'chair', '--out', 'runs/five'])).rejects.toThrow('unknown --category "chair" (a, b)');
    } finally {
      if (prev === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = prev;
    }
  });
});

describe('a failed run', () => {
  const failing = (write: boolean): DemoDefinition => ({
    ...demo,
    tasks: {
      make: {
        help: 'fails',
        run: async (ctx) => {
          if (write) await writeFile(join(ctx.out, 'partial.txt'), 'x');
          throw new InputError('no usable file');
        },
      },
    },
  });

  it('removes its run folder when it wrote nothing there, and keeps it when it did', async () => {
    const empty = join(dir, 'failed-empty');
    await expect(demoMain(failing(false))(['make', '--out', empty])).rejects.toThrow('no usable file');
    await expect(access(empty)).rejects.toMatchObject({ code: 'ENOENT' });
    const partial = join(dir, 'failed-partial');
    await expect(demoMain(failing(true))(['make', '--out', partial])).rejects.toThrow('no usable file');
    await expect(access(join(partial, 'partial.txt'))).resolves.toBeUndefined();
  });
});

describe('data helpers', () => {
  it('holdOut keeps the last quarter (at least one) for testing', () => {
    expect(holdOut([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ train: [1, 2, 3, 4, 5, 6], held: [7, 8] });
    expect(holdOut([1, 2])).toEqual({ train: [1], held: [2] });
  });

  it('readDataFolder: ShapeNet-like model folders, one file per model, a damaged file skipped and counted', async () => {
    const root = join(dir, 'chairs');
    for (const id of ['m1', 'm2']) {
      await mkdir(join(root, id, 'models'), { recursive: true });
      await writeFile(join(root, id, 'models', 'model_normalized.obj'), 'obj');
      await writeFile(join(root, id, 'models', 'model_normalized.solid.binvox'), 'binvox');
      await writeFile(join(root, id, 'models', 'model_normalized.mtl'), 'mtl');
    }
    await writeFile(join(root, 'bad.obj'), 'bad');
    // macOS zip leftovers: AppleDouble files in __MACOSX and beside the models are not models.
    await mkdir(join(root, '__MACOSX', 'm1'), { recursive: true });
    await writeFile(join(root, '__MACOSX', 'm1', 'model.obj'), 'x');
    await writeFile(join(root, 'm1', '._model.obj'), 'x');
    class Refused extends EbmError {}
    const d = await readDataFolder(root, ['.binvox', '.obj'], async (f) => {
      if (f.endsWith('bad.obj')) throw new Refused(`${f}: not a mesh`);
      return f.slice(root.length + 1);
    });
    expect(d.items).toEqual(['m1/models/model_normalized.solid.binvox', 'm2/models/model_normalized.solid.binvox']);
    expect(d.skipped).toEqual([{ file: join(root, 'bad.obj'), reason: 'not a mesh' }]);
    await expect(readDataFolder(root, ['.obj'], async (f) => (f.endsWith('bad.obj') ? Promise.reject(new Refused(`${f}: not a mesh`)) : f), { strict: true })).rejects.toThrow(/bad\.obj: not a mesh/);
  });

  it('readDataFolder: a model whose preferred file is damaged is read from its other file', async () => {
    const root = join(dir, 'fallback');
    await mkdir(join(root, 'm1'), { recursive: true });
    await mkdir(join(root, 'm2'), { recursive: true });
    for (const f of ['m1/model.binvox', 'm1/model.obj', 'm2/model.binvox', 'm2/model.obj']) await writeFile(join(root, f), 'x');
    class Refused extends EbmError {}
    const broken = ['m1/model.binvox', 'm2/model.binvox', 'm2/model.obj'].map((f) => join(root, f));
    const d = await readDataFolder(root, ['.binvox', '.obj'], async (f) => {
      if (broken.includes(f)) throw new Refused(`${f}: damaged`);
      return f.slice(root.length + 1);
    });
    expect(d.items).toEqual(['m1/model.obj']);
    expect(d.files).toEqual([join(root, 'm1/model.obj')]);
    // m2 has no readable file: one model skipped, under its preferred file's name and reason.
    expect(d.skipped).toEqual([{ file: join(root, 'm2/model.binvox'), reason: 'damaged' }]);
  });

  it('readDataFolder with a limit: an even spread over the models in path order, said in a log line', async () => {
    const root = join(dir, 'catalogue');
    await mkdir(root, { recursive: true });
    for (let i = 0; i < 10; i++) await writeFile(join(root, `m${i}.obj`), 'x');
    const lines: string[] = [];
    setLogger((_, m) => lines.push(m));
    try {
      const d = await readDataFolder(root, ['.obj'], async (f) => f.slice(root.length + 1), { limit: 4, what: 'mesh' });
      expect(d.items).toEqual(['m0.obj', 'm2.obj', 'm5.obj', 'm7.obj']);
      expect(describeFolder(root, d, 'meshes')).toBe(`4 meshes from ${root} (an even spread of 10 files)`);
      expect(lines).toEqual([`${root}: reading 4 of its 10 mesh files, an even spread over the folder (--limit N reads more or fewer)`]);
      expect((await readDataFolder(root, ['.obj'], async (f) => f, { limit: 10 })).items).toHaveLength(10);
      // A damaged model of the spread is replaced by the first unread one, so the limit is still met.
      class Refused extends EbmError {}
      const damaged = await readDataFolder(root, ['.obj'], async (f) => (f.endsWith('m2.obj') ? Promise.reject(new Refused(`${f}: damaged`)) : f.slice(root.length + 1)), { limit: 4, what: 'mesh' });
      expect([damaged.items, damaged.skipped.map((x) => x.reason)]).toEqual([['m0.obj', 'm5.obj', 'm7.obj', 'm1.obj'], ['damaged']]);
    } finally {
      setLogger(() => {});
    }
  });

  it('readDataPath: a folder of files holding several items each, or one file', async () => {
    const root = join(dir, 'stacks');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'a.npy'), '3');
    await writeFile(join(root, 'sub', 'b.npy'), '2');
    await writeFile(join(root, 'c.npy'), 'bad');
    class Refused extends EbmError {}
    const load = async (f: string) => {
      const n = Number(await readFile(f, 'utf8'));
      if (!Number.isInteger(n)) throw new Refused(`${f}: not a count`);
      return Array.from({ length: n }, (_, i) => `${f.slice(root.length + 1)}#${i}`);
    };
    const d = await readDataPath(root, ['.npy'], load);
    expect(d.items).toEqual(['a.npy#0', 'a.npy#1', 'a.npy#2', 'sub/b.npy#0', 'sub/b.npy#1']);
    expect(d.files).toEqual([0, 0, 0, 1, 1].map((k) => join(root, ['a.npy', 'sub/b.npy'][k]!)));
    expect(d.skipped).toEqual([{ file: join(root, 'c.npy'), reason: 'not a count' }]);
    expect(describeFolder(root, d, 'shapes')).toBe(`5 shapes from ${root} (1 unreadable file skipped)`);
    const one = await readDataPath(join(root, 'a.npy'), ['.npy'], load);
    expect(one).toEqual({ items: ['a.npy#0', 'a.npy#1', 'a.npy#2'], files: new Array(3).fill(join(root, 'a.npy')), skipped: [] });
    // One file that cannot be used has nothing to skip to: an InputError naming it.
    await expect(readDataPath(join(root, 'c.npy'), ['.npy'], load)).rejects.toThrow(InputError);
    await expect(readDataPath(join(root, 'c.npy'), ['.npy'], load)).rejects.toThrow(`${join(root, 'c.npy')}: not a count`);
    await expect(readDataPath(join(root, 'a.txt'), ['.npy'], load)).rejects.toThrow(`${join(root, 'a.txt')}: cannot read the file or folder (ENOENT)`);
    await writeFile(join(root, 'a.txt'), 'x');
    await expect(readDataPath(join(root, 'a.txt'), ['.npy'], load, { what: 'voxel' })).rejects.toThrow(`${join(root, 'a.txt')}: not a folder or a voxel file (.npy)`);
  });

  it('readDataFolder: a folder without a usable file says what it holds instead', async () => {
    const root = join(dir, 'photos');
    await mkdir(join(root, 'more'), { recursive: true });
    for (const f of ['a.webp', 'b.webp', 'more/c.bmp', 'README']) await writeFile(join(root, f), 'x');
    await expect(readDataFolder(root, ['.png', '.jpg'], async (f) => f, { what: 'image' })).rejects.toThrow(`${root}: no image files (.png, .jpg), searched recursively; it holds 2 .webp, 1 (no extension), 1 .bmp`);
    await mkdir(join(dir, 'nothing'));
    await expect(readDataFolder(join(dir, 'nothing'), ['.png'], async (f) => f)).rejects.toThrow(/searched recursively; it holds no files$/);
  });
});

describe('selectClassifier', () => {
  it('chooses the feature set and L2 penalty on validation data, then scores on test', () => {
    // Two classes separable along feature 0; candidate "noise" holds only an uninformative feature.
    const rows = (xs: number[][]) => ({ features: Float32Array.from(xs.flat()), numFeatures: xs[0]!.length });
    const informative = (n: number) => Array.from({ length: n }, (_, i) => [i % 2 === 0 ? -1 - (i % 3) * 0.1 : 1 + (i % 3) * 0.1, 0.5]);
    const noise = (n: number) => Array.from({ length: n }, (_, i) => [((i * 7) % 5) / 5]);
    const labels = (n: number) => Array.from({ length: n }, (_, i) => i % 2);
    const split = { trainLabels: labels(20), valLabels: labels(8), testLabels: labels(8) };
    const best = selectClassifier(
      [
        { name: 'noise', train: rows(noise(20)), val: rows(noise(8)), test: rows(noise(8)) },
        { name: 'informative', train: rows(informative(20)), val: rows(informative(8)), test: rows(informative(8)) },
      ],
      split,
      [1e-3, 1e-2],
    );
    expect(best.name).toBe('informative');
    expect(best.accuracyVal).toBe(1);
    expect(best.accuracy).toBe(1);
    expect(Array.from(best.predicted)).toEqual(split.testLabels);
  });
});

describe('fewLabelAccuracy', () => {
  // Three classes; informative rows sit near a class centre (small jitter), noise rows are seeded noise.
  const rows = (labels: number[], informative: boolean, seed: number) => {
    let s = seed;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const centre = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
    return { features: Float32Array.from(labels.flatMap((l) => centre[l]!.map((c) => (informative ? c + rand() * 0.3 : rand())))), numFeatures: 3 };
  };
  const trainLabels = Array.from({ length: 30 }, (_, i) => i % 3);
  const testLabels = Array.from({ length: 30 }, (_, i) => (i * 2) % 3);

  it('scores informative features near 1 from one label per class, noise near chance', () => {
    const opts = { perClass: 1, draws: 5, l2: 1e-3, seed: 1 };
    const good = fewLabelAccuracy({ train: rows(trainLabels, true, 1), test: rows(testLabels, true, 2) }, { trainLabels, testLabels }, opts);
    const noise = fewLabelAccuracy({ train: rows(trainLabels, false, 1), test: rows(testLabels, false, 2) }, { trainLabels, testLabels }, opts);
    expect(good).toBeGreaterThan(0.95);
    expect(noise).toBeLessThan(0.6);
  });

  it('is reproduced by its seed and changes with it', () => {
    const data = { train: rows(trainLabels, false, 3), test: rows(testLabels, false, 4) };
    const at = (seed: number) => fewLabelAccuracy(data, { trainLabels, testLabels }, { perClass: 2, draws: 3, l2: 1e-3, seed });
    const a7 = at(7);
    expect(at(7)).toBe(a7);
    expect([at(1), at(2), at(3)].some((a) => a !== a7)).toBe(true);
  });
});
