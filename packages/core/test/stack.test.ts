import { EbmError, FormatError, readStacked, setLogger } from '../src';

describe('readStacked', () => {
  it('keeps the items that read, skips a FormatError with a note naming its index, fails when none is left', () => {
    const notes: string[] = [];
    setLogger((_, m) => notes.push(m));
    try {
      const read = (i: number) => {
        if (i % 2) throw new FormatError('s.npy', `item ${i} is bad`);
        return i * 10;
      };
      expect(readStacked('s.npy', 4, 'grid', read)).toEqual([0, 20]);
      expect(notes).toEqual(['s.npy: skipped grid 1 of 4: item 1 is bad', 's.npy: skipped grid 3 of 4: item 3 is bad']);
      expect(() => readStacked('s.npy', 2, 'cloud', () => read(1))).toThrow(new FormatError('s.npy', 'none of its 2 clouds could be used (cloud 0: item 1 is bad)'));
      expect(() => readStacked('s.npy', 0, 'cloud', read)).toThrow('s.npy: none of its 0 clouds could be used (it holds none)');
      // Other errors are bugs, not damaged data: they surface.
      expect(() => readStacked('s.npy', 2, 'grid', () => { throw new EbmError('not a format problem'); })).toThrow('not a format problem');
    } finally {
      setLogger(() => {});
    }
  });
});
