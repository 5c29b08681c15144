/**
 * The plain progress lines written when stderr is not a terminal (CI logs, piped runs).
 */
import { Writable } from 'node:stream';
import { formatDuration, Progress } from '../src/report/progress';

function capture(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream: w as unknown as NodeJS.WriteStream, lines };
}

describe('Progress without a terminal', () => {
  it('prints the first step, then every total/20 steps or 30 s, whichever comes first, and the last, with an estimate of the time left', () => {
    const { stream, lines } = capture();
    let t = 0;
    const p = new Progress({ total: 2000, label: 'synthesize', stream, now: () => t });
    for (let step = 1; step <= 2000; step++) {
      t = step * 3000; // 3 s a step: total/20 = 100 steps would be 5 minutes between lines
      p.update(step, { loss: 1.5 });
    }
    expect(lines[0]).toBe('synthesize 1/2000 loss=1.5000 3.0s eta 1h39m');
    // 30 s after the first line: step 11, not step 101.
    expect(lines[1]).toBe('synthesize 11/2000 loss=1.5000 33.0s eta 1h39m');
    expect(lines.at(-1)).toBe('synthesize 2000/2000 loss=1.5000 6000.0s');
    // Steps 1, 11, …, 1991 (200 lines), then the last.
    expect(lines.length).toBe(201);
  });

  it('keeps to total/20 when steps are fast', () => {
    const { stream, lines } = capture();
    let t = 0;
    const p = new Progress({ total: 100, stream, now: () => t });
    for (let step = 1; step <= 100; step++) {
      t = step * 10;
      p.update(step);
    }
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['1/100', '6/100', '11/100', '16/100', '21/100', '26/100', '31/100', '36/100', '41/100', '46/100', '51/100', '56/100', '61/100', '66/100', '71/100', '76/100', '81/100', '86/100', '91/100', '96/100', '100/100']);
  });

  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(42.4), formatDuration(185), formatDuration(7620), formatDuration(-3)]).toEqual(['0s', '42s', '3m05s', '2h07m', '0s']);
  });
});
