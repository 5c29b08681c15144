/**
 * Builds the real-mesh evaluation catalogue from Debian packages (DATA.md): CGAL's sample meshes
 * (scanned and modelled animals), CRRCSim's RC aircraft (AC3D models of gliders, trainers,
 * aerobatic planes, a biplane and flying wings) and GL-117's jets (3DS). The packages are fetched with `apt-get download`
 * at pinned versions, checked against pinned SHA-256 sums, unpacked, and each chosen model is
 * turned to y up and written as OFF into `<repo>/.cache/real-meshes/<category>/`, one file per
 * model, with a manifest (source, licence, checksum of every file) and a contact sheet. The
 * packages themselves stay in `<repo>/.cache/debian/`.
 *
 *   pnpm real-meshes            # then: demo-voxel synthesize --quick --data .cache/real-meshes/airplanes
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOff, loadMesh, type TriangleMesh } from '@ebm/geometry';
import { normalizeCloud, renderClouds, sampleSurface } from '@ebm/pointcloud';

interface Package {
  name: string;
  version: string;
  sha256: string;
  licence: string;
}

const PACKAGES: Record<'cgal' | 'crrcsim' | 'gl117', Package> = {
  cgal: { name: 'libcgal-demo', version: '5.5.1-2', sha256: '78b09b23d4d6d1bf15552a1060b419ab3fc09918486462faed197e5fc6ac3735', licence: 'GPL-3+ / LGPL-3+ (CGAL)' },
  crrcsim: { name: 'crrcsim-data', version: '0.9.13-3.2', sha256: '3a40a549636e6bf35b3244fa42e579cf28c7fd5a853a83682d0f902543b748d7', licence: 'GPL-2' },
  gl117: { name: 'gl-117-data', version: '1.3.2-3.1', sha256: 'cec52ed03364ecc3efe98a462ee7e20865ccef3dc6c514dca721be0e2c25340f', licence: 'GPL-2' },
};

/** New (x, y, z) as signed old axes: ['x', 'z', '-y'] turns z-up into y-up. */
type Axes = [string, string, string];

interface Model {
  file: string;
  axes?: Axes;
}

/** The catalogue: categories a person recognises, several styles in each. */
const CATALOGUE: Record<string, { from: keyof typeof PACKAGES; dir: string; models: Model[] }> = {
  // Wings along x, fuselage along z, y up in CRRCSim's frame. Terrain, trees, buildings,
  // rotorcraft and the two repainted duplicates (gap65_raven, wasabi_yr) are left out.
  airplanes: {
    from: 'crrcsim',
    dir: 'usr/share/games/crrcsim/objects',
    models: ['Angel_S30E', 'Crossfire', 'Erwin', 'Fireworks_C', 'PilatusB4', 'PilatusB4_26', 'Skorpion', 'allegro', 'apogee', 'biplane2', 'flexifly_xlm', 'gap65', 'k2', 'mav', 'melyan_01', 'outrage', 'quickie01', 'sovereign', 'sport', 'supra', 'wasabi_wr', 'zagi-xs', 'zagi', 'zipper'].map((m) => ({ file: `${m}.ac` })),
  },
  // Jet fighters and transports of the GL-117 flight game (3DS, z up, nose along −y): another
  // style of aircraft than the RC models, turned to the same frame (wings along x, nose along z).
  // The game's logo object and a repainted duplicate (transp2) are left out.
  jets: {
    from: 'gl117',
    dir: 'usr/share/games/gl-117/models',
    models: ['gl-14', 'gl-14b', 'gl-14c', 'gl-14d', 'gl-15', 'gl-16', 'gl-21', 'gl-21b', 'gl-29', 'transp1', 'transp4'].map((m) => ({ file: `${m}.3ds`, axes: ['x', 'z', '-y'] as Axes })),
  },
  // Four-legged animals, side on; CGAL's files come in several frames, each turned to y up here.
  // Its teddy bear, lion head, pig and the 'elk' toy are not four-legged animals and are left out.
  animals: {
    from: 'cgal',
    dir: 'data/meshes',
    models: [
      { file: 'bull.off' },
      { file: 'cow.off' },
      { file: 'camel.off', axes: ['z', 'y', '-x'] },
      { file: 'diplodocus.off' },
      { file: 'elephant.off', axes: ['x', 'z', '-y'] },
      { file: 'triceratops.off' },
      { file: 'dino.off' },
    ],
  },
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The catalogue: one folder per category (also a class-folder set for `classify --data`). */
const cache = join(root, '.cache', 'real-meshes');
/** Downloaded packages and their unpacked trees, kept apart so the catalogue holds categories only. */
const sources = join(root, '.cache', 'debian');

function sh(cmd: string, args: string[], cwd: string): void {
  try {
    execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error(`${cmd} is not installed: the catalogue is built from Debian packages (apt-get and dpkg-deb, on Debian or Ubuntu)`);
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr?.toString().trim() ?? err.message}`);
  }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The package's unpacked tree, downloaded and checked once. */
async function unpack(p: Package): Promise<string> {
  const debs = join(sources, 'debs');
  await mkdir(debs, { recursive: true });
  const deb = join(debs, `${p.name}_${p.version}_all.deb`);
  if (!existsSync(deb)) {
    console.error(`downloading ${p.name}=${p.version} (apt-get download)`);
    sh('apt-get', ['download', `${p.name}=${p.version}`], debs);
  }
  const sum = sha256(await readFile(deb));
  if (sum !== p.sha256) throw new Error(`${deb}: SHA-256 ${sum} is not the pinned ${p.sha256} (delete it and run again; if it persists the archive changed)`);
  const tree = join(sources, 'tree', p.name);
  if (!existsSync(tree)) {
    await mkdir(tree, { recursive: true });
    sh('dpkg-deb', ['-x', deb, tree], root);
    // CGAL ships its sample data as a tarball inside the documentation.
    if (p.name === 'libcgal-demo') sh('tar', ['-xzf', join(tree, 'usr/share/doc/libcgal-dev/data.tar.gz'), '-C', tree], root);
  }
  return tree;
}

function turn(m: TriangleMesh, axes: Axes): TriangleMesh {
  const pick = axes.map((a) => ({ k: 'xyz'.indexOf(a.replace('-', '')), s: a.startsWith('-') ? -1 : 1 }));
  const out = new Float32Array(m.positions.length);
  for (let i = 0; i < out.length; i += 3) for (let c = 0; c < 3; c++) out[i + c] = pick[c]!.s * m.positions[i + pick[c]!.k]!;
  // A turn with determinant −1 mirrors the mesh: swap two corners to keep the faces outward.
  const r = pick.map((p) => [0, 1, 2].map((k) => (k === p.k ? p.s : 0)));
  const det = r[0]![0]! * (r[1]![1]! * r[2]![2]! - r[1]![2]! * r[2]![1]!) - r[0]![1]! * (r[1]![0]! * r[2]![2]! - r[1]![2]! * r[2]![0]!) + r[0]![2]! * (r[1]![0]! * r[2]![1]! - r[1]![1]! * r[2]![0]!);
  const mirrored = det < 0;
  const tri = Uint32Array.from(m.triangles);
  if (mirrored) for (let t = 0; t < tri.length; t += 3) [tri[t + 1], tri[t + 2]] = [tri[t + 2]!, tri[t + 1]!];
  return { positions: out, triangles: tri };
}

async function main(): Promise<void> {
  const manifest: Record<string, unknown>[] = [];
  const sheet: { name: string; cloud: ReturnType<typeof sampleSurface> }[] = [];
  for (const [category, c] of Object.entries(CATALOGUE)) {
    const p = PACKAGES[c.from];
    const tree = await unpack(p);
    const out = join(cache, category);
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    for (const m of c.models) {
      const mesh = await loadMesh(join(tree, c.dir, m.file));
      const upright = m.axes ? turn(mesh, m.axes) : mesh;
      const bytes = new TextEncoder().encode(encodeOff(upright));
      const name = m.file.replace(/\.[^.]+$/, '.off');
      await writeFile(join(out, name), bytes);
      manifest.push({ category, file: `${category}/${name}`, source: `Debian ${p.name} ${p.version}: ${c.dir}/${m.file}`, licence: p.licence, axes: m.axes ?? ['x', 'y', 'z'], triangles: upright.triangles.length / 3, sha256: sha256(bytes) });
      sheet.push({ name: `${category}/${m.file}`, cloud: normalizeCloud(sampleSurface(upright, 2048, 0)) });
    }
    console.error(`${category}: ${c.models.length} models in ${out}`);
  }
  await writeFile(join(cache, 'manifest.json'), JSON.stringify({ packages: PACKAGES, models: manifest }, null, 2));
  await writeFile(join(cache, 'catalogue.png'), renderClouds(sheet.map((s) => s.cloud), { size: 128, cols: 8, captions: sheet.map((s) => s.name.split('/')[1]!) }).toPng());
  console.log(`${manifest.length} models in ${cache} (manifest.json, catalogue.png)`);
}

main().catch((e: Error) => {
  console.error(`real-meshes: ${e.message}`);
  process.exit(1);
});
