import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zip } from '../../packages/core/test/zip';
import { furniture } from '../src/furniture';

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

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

describe('furniture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sh3f-'));
  writeFileSync(join(dir, 'lib.sh3f'), zip({ 'PluginFurnitureCatalog.properties': latin1(catalogue), 'lib/stool/stool.obj': latin1(box), 'lib/lamp/lamp.obj': latin1(box) }, true));

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
