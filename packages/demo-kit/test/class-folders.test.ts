import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, majorityAccuracy, readClassFolders } from '../src';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ebm-classes-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const files = async (folder: string, names: string[]) => {
  await mkdir(folder, { recursive: true });
  for (const n of names) await writeFile(join(folder, n), n);
};
// The loader: the sorted file names of a folder.
const load = async (folder: string) => (await import('node:fs/promises')).readdir(folder).then((f) => f.sort());

describe('readClassFolders', () => {
  it('holds out a quarter for test and a fifth of the rest for validation, labels by sorted name', async () => {
    const root = join(dir, 'flat');
    await files(join(root, 'b'), ['1', '2', '3', '4', '5', '6', '7', '8']);
    await files(join(root, 'a'), ['x', 'y', 'z']);
    const d = await readClassFolders(root, load);
    expect(d.classes).toEqual(['a', 'b']);
    // a: 3 → test 1 (z), train 2 → val 1 (y), train x. b: 8 → test 2 (7, 8), train 6 → val 1 (6).
    expect(d.train).toEqual(['x', '1', '2', '3', '4', '5']);
    expect(d.trainLabels).toEqual([0, 1, 1, 1, 1, 1]);
    expect(d.val).toEqual(['y', '6']);
    expect(d.test).toEqual(['z', '7', '8']);
    expect(d.testLabels).toEqual([0, 1, 1]);
  });

  it('uses train/ and test/ when a class folder has them (the ModelNet layout)', async () => {
    const root = join(dir, 'modelnet');
    for (const c of ['chair', 'sofa']) {
      await files(join(root, c, 'train'), ['t1', 't2', 't3', 't4', 't5']);
      await files(join(root, c, 'test'), ['s1']);
    }
    const d = await readClassFolders(root, load);
    expect(d.train.length).toBe(8);
    expect(d.val).toEqual(['t5', 't5']);
    expect(d.test).toEqual(['s1', 's1']);
  });

  it("skips hidden and tool folders, such as the __MACOSX copy in ModelNet's zip files", async () => {
    const root = join(dir, 'zipped');
    for (const c of ['chair', 'sofa', '__MACOSX', '.ipynb_checkpoints']) await files(join(root, c), ['1', '2', '3']);
    expect((await readClassFolders(root, load)).classes).toEqual(['chair', 'sofa']);
  });

  it('rejects a missing folder, a single class and a class too small, naming the folder', async () => {
    await expect(readClassFolders(join(dir, 'none'), load)).rejects.toThrow(InputError);
    await expect(readClassFolders(join(dir, 'none'), load)).rejects.toThrow(/none: cannot read the folder \(ENOENT\)/);
    await files(join(dir, 'one', 'a'), ['1', '2', '3']);
    await expect(readClassFolders(join(dir, 'one'), load)).rejects.toThrow(`${join(dir, 'one')}: classification needs one subfolder per class, found 1 (a: if it holds the class folders, pass ${join(dir, 'one', 'a')})`);
    await files(join(dir, 'small', 'a'), ['1', '2', '3']);
    await files(join(dir, 'small', 'b'), ['1', '2']);
    await expect(readClassFolders(join(dir, 'small'), load)).rejects.toThrow(`${join(dir, 'small', 'b')}: needs at least 3 examples (training, validation and test), found 2`);
  });
});

describe('majorityAccuracy', () => {
  it('is the share of the commonest label, and NaN for no labels', () => {
    expect(majorityAccuracy([0, 1, 1, 2, 1])).toBeCloseTo(0.6, 12);
    expect(majorityAccuracy([3])).toBe(1);
    expect(majorityAccuracy([])).toBeNaN();
  });
});
