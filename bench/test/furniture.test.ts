import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { furniture } from '../src/furniture';
import { readZip } from '../src/zip';

/** A ZIP of the given files, the first stored and the rest deflated (what .sh3f archives hold). */
function zip(files: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  Object.entries(files).forEach(([name, text], k) => {
    const raw = Buffer.from(text, 'latin1');
    const data = k === 0 ? raw : deflateRawSync(raw);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(k === 0 ? 0 : 8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(k === 0 ? 0 : 8, 10);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(raw.length, 24);
    dir.writeUInt16LE(n.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(dir, n);
    offset += 30 + n.length + data.length;
  });
  const size = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, ...central, end]));
}

// A box 1 wide (x), 2 deep (y) and 3 tall (z): a z-up model.
const box = ['v 0 0 0', 'v 1 0 0', 'v 0 2 0', 'v 0 0 3', 'f 1 2 3', 'f 1 2 4', 'f 1 3 4', 'f 2 3 4'].join('\n');
const catalogue = [
  '# comment',
  'id#1=lib#stool',
  'name#1=Bar stool',
  'model#1=/lib/stool/stool.obj',
  'width#1=10',
  'depth#1=20',
  'height#1=30',
  'modelRotation#1=1 0 0 0 0 1 0 -1 0',
  'id#3=lib#lamp',
  'name#3=Lamp',
  'model#3=/lib/lamp/lamp.obj',
  'width#3=1',
  'depth#3=1',
  'height#3=1',
  'id#4=lib#sofa',
  'name#4=Sof\\u00e0 bed',
  'model#4=/lib/stool/stool.obj',
  'width#4=200',
  'depth#4=90',
  'height#4=80',
].join('\n');

describe('readZip', () => {
  it('reads stored and deflated files by name', () => {
    const files = readZip(zip({ 'a.txt': 'stored text', 'dir/b.txt': 'deflated text '.repeat(50) }), 'test.zip');
    expect([...files.keys()]).toEqual(['a.txt', 'dir/b.txt']);
    expect(Buffer.from(files.get('a.txt')!()).toString()).toBe('stored text');
    expect(Buffer.from(files.get('dir/b.txt')!()).toString()).toBe('deflated text '.repeat(50));
  });

  it('refuses a file that is not a ZIP', () => {
    expect(() => readZip(new Uint8Array(100), 'x.sh3f')).toThrow(/x\.sh3f: not a ZIP archive/);
  });
});

describe('furniture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sh3f-'));
  writeFileSync(join(dir, 'lib.sh3f'), zip({ 'PluginFurnitureCatalog.properties': catalogue, 'lib/stool/stool.obj': box, 'lib/lamp/lamp.obj': box }));

  it('takes pieces by name, turns them by modelRotation and scales them to width, height and depth', async () => {
    const got = await furniture(dir, { chairs: { take: /stool|chair/i }, sofas: { take: /sofa|sofà/i, skip: /lamp/i } });
    expect(got.chairs!.map((p) => [p.library, p.name, p.model])).toEqual([['lib', 'Bar stool', 'lib/stool/stool.obj']]);
    // The \u escape of .properties files is decoded.
    expect(got.sofas!.map((p) => p.name)).toEqual(['Sofà bed']);
    // v' = R v with R = [[1,0,0],[0,0,1],[0,-1,0]]: the file's z (3 tall) becomes y, its y becomes −z.
    const p = Array.from(got.chairs![0]!.mesh.positions);
    const vertex = (i: number) => p.slice(3 * i, 3 * i + 3).map((v) => Math.round(v * 1000) / 1000);
    expect(vertex(0)).toEqual([0, 0, 20]);
    expect(vertex(1)).toEqual([10, 0, 20]);
    expect(vertex(2)).toEqual([0, 0, 0]);
    expect(vertex(3)).toEqual([0, 30, 20]);
    // The sofa uses the same OBJ without a rotation: scaled to 200 × 80 × 90 as it lies.
    const q = Array.from(got.sofas![0]!.mesh.positions);
    expect(q.slice(9, 12)).toEqual([0, 0, 90]);
    expect(q.slice(6, 9)).toEqual([0, 80, 0]);
  });
});
