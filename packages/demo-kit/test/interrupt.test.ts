import { listenForInterrupt } from '../src';

describe('Ctrl-C during a run', () => {
  it('aborts the signal on the first SIGINT, quits with 130 on the second, and stops listening when disposed', () => {
    const before = process.listenerCount('SIGINT');
    const lines: string[] = [];
    const exits: number[] = [];
    const interrupt = listenForInterrupt({ write: (l) => lines.push(l), exit: (c) => exits.push(c) });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(interrupt.signal.aborted).toBe(false);
    process.emit('SIGINT');
    expect(interrupt.signal.aborted).toBe(true);
    expect(lines[0]).toMatch(/^interrupted: training stops after this update .* press Ctrl-C again to quit now$/);
    expect(exits).toEqual([]);
    process.emit('SIGINT');
    expect(exits).toEqual([130]);
    interrupt.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
