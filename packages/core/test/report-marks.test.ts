import { metricRows } from '../src/report/html';

describe('metric marks against baselines', () => {
  const row = (html: string, key: string) => html.split('\n').find((r) => r.includes(`<th>${key}</th>`))!;

  it('marks a metric that beats every baseline, and gives the ratio to the first', () => {
    const html = metricRows({ err: 0.05, a: 0.1, b: 0.08 }, { err: { means: 'e', better: 'lower', baseline: ['a', 'b'] } });
    expect(row(html, 'err')).toContain('✓ beats every baseline');
    expect(row(html, 'err')).toContain('0.500×');
  });

  it('names the baselines it loses to, not only the first', () => {
    const html = metricRows({ err: 0.05, a: 0.1, b: 0.04, c: 0.01 }, { err: { means: 'e', better: 'lower', baseline: ['a', 'b', 'c'] } });
    const r = row(html, 'err');
    expect(r).toContain('✗ worse than b, c');
    expect(r).toContain('class="worse"');
    const higher = metricRows({ iou: 0.6, n: 0.5, r: 0.7 }, { iou: { means: 'i', better: 'higher', baseline: ['n', 'r'] } });
    expect(row(higher, 'iou')).toContain('✗ worse than r');
  });

  it('keeps the one-baseline wording, and says when a metric only ties', () => {
    expect(row(metricRows({ m: 2, b: 1 }, { m: { means: 'm', better: 'higher', baseline: 'b' } }), 'm')).toContain('✓ beats baseline');
    expect(row(metricRows({ m: 0.5, b: 1 }, { m: { means: 'm', better: 'higher', baseline: 'b' } }), 'm')).toContain('✗ worse than baseline');
    expect(row(metricRows({ m: 1, a: 0.5, b: 1 }, { m: { means: 'm', better: 'higher', baseline: ['a', 'b'] } }), 'm')).toContain('= baseline, no gain');
  });
});
