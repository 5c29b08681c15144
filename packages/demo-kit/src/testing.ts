/**
 * The CLI test harness of the demos: run a built demo in another process as a user would, and the
 * contract's shared tests (one-line errors with exit 2, a bad --out refused before training, a
 * relative --out taken from the caller's directory, the same seed reproducing a run in another
 * process, the report opened in headless Chromium). Jest test files call `contractTests`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a built demo (`dist/main.js`) with arguments; never throws for a non-zero exit. */
export function demoCli(main: string, env: Record<string, string> = {}): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const { stdout, stderr } = await exec(process.execPath, [main, ...args], { env: { ...process.env, EBM_BACKEND: 'cpu', ...env }, maxBuffer: 1 << 24 });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
}

/** The last line of stderr: where a demo puts its one-line error. */
export const lastLine = (r: CliResult) => r.stderr.trim().split('\n').pop() ?? '';

/** A run folder's metrics.json. */
export async function readMetrics(out: string): Promise<Record<string, any>> {
  return JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as Record<string, any>;
}

/** Expects each named file of a run folder to exist and not to be empty. */
export async function expectFiles(out: string, names: readonly string[]): Promise<void> {
  for (const f of names) expect((await stat(join(out, f))).size).toBeGreaterThan(0);
}

/** Chromium from Debian's package, where installed (CI installs it and sets EBM_REQUIRE_BROWSER=1). */
export function chromium(): string | undefined {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  if (process.env.EBM_REQUIRE_BROWSER) throw new Error('EBM_REQUIRE_BROWSER is set but no chromium is installed (apt-get install chromium)');
  return undefined;
}

export interface PageCheck {
  images: number;
  broken: string[];
  /** SVG polylines drawn (chart series). */
  lines: number;
  errors: string[];
}

/**
 * Opens a run's report.html in headless Chromium with a probe that records failed image loads and
 * script errors; undefined when no browser is installed (and not required).
 */
export async function checkReportInBrowser(out: string): Promise<PageCheck | undefined> {
  const browser = chromium();
  if (!browser) return undefined;
  const html = await readFile(join(out, 'report.html'), 'utf8');
  const probe = `<script>window.__errors=[];addEventListener('error',function(e){__errors.push(String(e.message||(e.target&&e.target.src)))},true);addEventListener('load',function(){var imgs=[].slice.call(document.images);document.body.setAttribute('data-check',JSON.stringify({images:imgs.length,broken:imgs.filter(function(i){return !i.complete||i.naturalWidth===0}).map(function(i){return i.src}),lines:document.querySelectorAll('svg polyline').length,errors:__errors}))});</script>`;
  await writeFile(join(out, 'checked.html'), html.replace('<head>', `<head>${probe}`));
  const { stdout } = await exec(browser, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=5000', '--dump-dom', `file://${join(out, 'checked.html')}`], { maxBuffer: 1 << 24 });
  return JSON.parse(/data-check="([^"]*)"/.exec(stdout)![1]!.replace(/&quot;/g, '"')) as PageCheck;
}

export interface ContractOptions {
  /** The demo's name, the prefix of its errors. */
  name: string;
  cli: (...args: string[]) => Promise<CliResult>;
  /** The task names, in the demo's order. */
  tasks: string[];
  /** Arguments of a cheap smoke run (task first). */
  smoke: string[];
  /** A scratch folder, set by the caller's beforeAll. */
  dir: () => string;
}

/** Registers the demo contract's shared tests. */
export function contractTests(o: ContractOptions): void {
  const { cli, name } = o;
  describe(`${name}: the demo contract`, () => {
    it.each([
      [['no-such-task'], new RegExp(`^${name}: unknown task "no-such-task" \\(tasks: ${o.tasks.join(', ')}; see --help\\)$`)],
      [[], new RegExp(`^${name}: no task given \\(tasks: ${o.tasks.join(', ')}; see --help\\)$`)],
      [[o.smoke[0]!, 'extra'], new RegExp(`^${name}: unexpected argument "extra" \\(see --help\\)$`)],
      [[o.smoke[0]!, '--seed', 'x'], new RegExp(`^${name}: --seed must be a non-negative integer, got "x"$`)],
      [[o.smoke[0]!, '--bogus'], new RegExp(`^${name}: Unknown option '--bogus'`)],
      [[o.smoke[0]!, '--quick', '--smoke'], new RegExp(`^${name}: --quick and --smoke exclude each other$`)],
    ])('%j fails with one line and exit code 2', async (args, msg) => {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(lastLine(r)).toMatch(msg);
    });

    it('--seed -1 is refused in one line', async () => {
      const r = await cli(...o.smoke, '--seed', '-1');
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('--help lists every task and option, exit 0', async () => {
      const r = await cli('--help');
      expect(r.code).toBe(0);
      for (const t of o.tasks) expect(r.stdout).toContain(`  ${t} `);
      for (const f of ['--data', '--out', '--quick', '--smoke', '--seed', '--help']) expect(r.stdout).toContain(f);
    });

    it.each([
      ['an existing file', (d: string) => join(d, 'file.txt'), /--out \S+file\.txt: exists and is not a folder$/],
      ['a folder under /proc', () => '/proc/ebm-run', /--out \/proc\/ebm-run: cannot (create|write in) /],
    ])('--out naming %s fails before training, in one line, exit 2', async (_, out, msg) => {
      await writeFile(join(o.dir(), 'file.txt'), 'x');
      const t = Date.now();
      const r = await cli(...o.smoke, '--out', out(o.dir()));
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(msg);
      expect(Date.now() - t).toBeLessThan(15000);
    });

    it('a relative --out is taken from the directory the command was run from; the last line is the absolute report path', async () => {
      const caller = join(o.dir(), 'caller');
      await mkdir(caller, { recursive: true });
      const r = await demoCliIn(cli, caller)(...o.smoke, '--out', 'rel-run');
      expect(r.code).toBe(0);
      expect(lastLine(r)).toBe(`report: ${join(caller, 'rel-run', 'report.html')}`);
      expect((await stat(join(caller, 'rel-run', 'metrics.json'))).size).toBeGreaterThan(0);
    });

    it('the same seed reproduces a run in another process (metrics.json identical but for the time)', async () => {
      const metrics = [];
      for (const k of [1, 2]) {
        const out = join(o.dir(), `repro-${k}`);
        const r = await cli(...o.smoke, '--seed', '5', '--out', out);
        expect(r.code).toBe(0);
        const m = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8'));
        // Wall-clock times (`seconds`, `trainSeconds`, …) are the only numbers a seed cannot fix.
        for (const key of Object.keys(m)) if (key === 'seconds' || key.endsWith('Seconds')) delete m[key];
        metrics.push(m);
      }
      expect(metrics[1]).toEqual(metrics[0]);
      expect(metrics[0].seed).toBe(5);
    });
  });
}

/** The same CLI with INIT_CWD set, as pnpm sets it to the caller's directory. */
function demoCliIn(cli: ContractOptions['cli'], cwd: string): ContractOptions['cli'] {
  return (...args) => {
    const prev = process.env.INIT_CWD;
    process.env.INIT_CWD = cwd;
    const p = cli(...args);
    if (prev === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = prev;
    return p;
  };
}
