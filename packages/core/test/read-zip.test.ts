import { FormatError, readZip } from '../src';
import { zip } from './zip';

const text = (s: string) => new TextEncoder().encode(s);
const files = { 'lib/chair/chair.obj': text('v 0 0 0\n'.repeat(40)), 'catalogue.properties': text('name#1=Chair\n'), 'lib/': new Uint8Array(0) };

it.each([false, true])('reads every file of an archive by its path, folders left out (deflated: %s)', (deflate) => {
  const z = readZip(zip(files, deflate), 'furniture.sh3f');
  expect([...z.keys()]).toEqual(['lib/chair/chair.obj', 'catalogue.properties']);
  expect(new TextDecoder().decode(z.get('lib/chair/chair.obj')!())).toBe('v 0 0 0\n'.repeat(40));
  expect(new TextDecoder().decode(z.get('catalogue.properties')!())).toBe('name#1=Chair\n');
});

it('refuses what is not an archive, naming the file and the expected format', () => {
  const notZip = text('not a zip at all, just text that is long enough');
  expect(() => readZip(notZip, 'a.sh3f')).toThrow(FormatError);
  expect(() => readZip(notZip, 'a.sh3f')).toThrow('a.sh3f: is not a zip archive (no zip directory');
  expect(() => readZip(notZip, 'a.npz', 'an .npz file')).toThrow('a.npz: is not an .npz file');
});

it('reads each file only when asked: a damaged entry fails alone, naming itself', () => {
  const whole = zip({ 'a.txt': text('first file'), 'b.txt': text('second file') }, false);
  // Overwrite the second entry's local header signature.
  const damaged = Uint8Array.from(whole);
  const second = 30 + 'a.txt'.length + 'first file'.length;
  damaged[second] = 0;
  const z = readZip(damaged, 'x.zip');
  expect(new TextDecoder().decode(z.get('a.txt')!())).toBe('first file');
  expect(() => z.get('b.txt')!()).toThrow('x.zip: entry b.txt is damaged');
});

it('refuses compression methods other than stored and deflate', () => {
  const z = zip({ 'a.txt': text('abc') }, false);
  const view = new DataView(z.buffer);
  // The central directory starts after the one local entry: method at +10.
  view.setUint16(30 + 'a.txt'.length + 3 + 10, 14, true);
  expect(() => readZip(z, 'x.zip').get('a.txt')!()).toThrow('x.zip: entry a.txt uses zip compression method 14');
});
