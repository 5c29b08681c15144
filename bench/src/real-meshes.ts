/**
 * Builds the real-mesh evaluation catalogue from Debian packages (DATA.md): CGAL's sample meshes
 * (scanned and modelled animals), CRRCSim's RC aircraft (AC3D models of gliders, trainers,
 * aerobatic planes, a biplane and flying wings), GL-117's jets (3DS), FlightGear's AI aircraft
 * (airliners, business jets, light planes, warbirds and fighters) and ships, TORCS' cars (the
 * last three AC3D), and Sweet Home 3D's furniture (OBJ in ZIP libraries: chairs, tables, sofas,
 * beds). The packages are fetched with `apt-get download` at pinned versions, checked
 * against pinned SHA-256 sums, unpacked (only the model folders of the large ones), and each
 * chosen model is turned to y up and written as OFF into `<repo>/.cache/real-meshes/<category>/`,
 * one file per model, with a manifest (source, licence, checksum of every file) and a contact
 * sheet. The categories of each of `CLASS_SETS` are also written into `<repo>/.cache/<set>/`, one
 * folder per class for `classify --data`. The packages themselves stay in
 * `<repo>/.cache/debian/`.
 *
 *   pnpm real-meshes            # then: demo-voxel synthesize --quick --data .cache/real-meshes/chairs
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOff, loadMesh, type TriangleMesh } from '@ebm/geometry';
import { normalizeCloud, renderClouds, sampleSurface } from '@ebm/pointcloud';
import { furniture, type FurnitureRule } from './furniture';
import { rotate } from './rotate';

interface Package {
  name: string;
  version: string;
  sha256: string;
  licence: string;
  /** Only these paths of the package are unpacked (tar wildcards); all of it when absent. */
  extract?: string[];
}

/** New (x, y, z) as signed old axes: ['x', 'z', '-y'] turns z-up into y-up. */
type Axes = [string, string, string];

const FG = 'usr/share/games/flightgear';
const SH3D = 'usr/share/sweethome3d/furniture';
const PACKAGES: Record<'cgal' | 'crrcsim' | 'gl117' | 'fgai' | 'fgmodels' | 'torcs' | 'sh3d', Package> = {
  cgal: { name: 'libcgal-demo', version: '5.5.1-2', sha256: '78b09b23d4d6d1bf15552a1060b419ab3fc09918486462faed197e5fc6ac3735', licence: 'GPL-3+ / LGPL-3+ (CGAL)' },
  crrcsim: { name: 'crrcsim-data', version: '0.9.13-3.2', sha256: '3a40a549636e6bf35b3244fa42e579cf28c7fd5a853a83682d0f902543b748d7', licence: 'GPL-2' },
  gl117: { name: 'gl-117-data', version: '1.3.2-3.1', sha256: 'cec52ed03364ecc3efe98a462ee7e20865ccef3dc6c514dca721be0e2c25340f', licence: 'GPL-2' },
  fgai: { name: 'flightgear-data-ai', version: '1:2020.3.16+dfsg-1', sha256: 'a86b2acbf99ff2d49698abd2a2f4bc28ab0cf5a744218b4ca4d8aede8a67dc2f', licence: 'GPL-2+ (FlightGear data)', extract: [`./${FG}/AI/Aircraft/*.ac`] },
  fgmodels: { name: 'flightgear-data-models', version: '1:2020.3.16+dfsg-1', sha256: 'e3f24a2e1b5fb34168aed4440e7cbfa41f8ce1196e42351abc5012f6e4263b4c', licence: 'GPL-2+ (FlightGear data)', extract: [`./${FG}/Models/Maritime/*.ac`] },
  sh3d: { name: 'sweethome3d-furniture', version: '1.8-1', sha256: '3ccb90c63f9525e887a767b9cd5c8b6933b8b6b2973a615a5359ee68a2118668', licence: 'CC0 (Blend Swap CC-0) / CC-BY-3.0 (Blend Swap CC-BY, Scopia) / CC-BY-3.0-USA (KatorLegaz, Reallusion)', extract: [`./${SH3D}/*.sh3f`] },
  torcs: { name: 'torcs-data', version: '1.3.7+dfsg-5', sha256: '33a170ec9db8bdf7e33cb07b96b9854d5ef9e47b1f82705e4c24d6caaf13fb99', licence: 'GPL-2+ / Free Art License (TORCS data)', extract: ['./usr/share/games/torcs/cars/*.acc'] },
};

/**
 * FlightGear's AI aircraft, the main model of each type (the largest .ac of its Models folder).
 * The hot-air balloon is left out, and so are the types whose model sits deeper (F-4, Jaguar,
 * Mirage 2000, SR-71, the Space Shuttle, Tu-154).
 */
const FG_AIRCRAFT = '220/223 339/339 717/717 727/727-200 733/73C 734/73P 735/735 736/736 738/737-800 739/73J 747/74N 757/757-200 767/76W 777/77W 787/788 A300/AB6 A310/A310 A319/A319 A320/A320 A321/A321 A330-MRTT/A330-MRTT A332/A332 A333/A333 A342/A342 A343/A343 A345/A345 A346/A346 A350/359 A380/388 A6M2/a6m2 AT4/AT4 AT7/AT7 Arup-S2/arup-s2 BAE146-300/BAE146-300 BAe-125/bae125 BNI/BNI Bae146-200/bae146-200.2 Beechcraft-Staggerwing/model17 Bombardier-Challenger/chal604 Buccaneer/buccaneer-low-poly CCX/bomb-5000 CR2/CR2 CR7/CR7 CR9/CR9 Cessna-421-Golden-Eagle/c421 Cessna208Caravan/caravan Cessna337/Cessna337_SkymasterEC-ISD Citation-Bravo/bravo Cub/Cub DH3/DH3 DH4/DH4 DH7/dh7 DH82/DH82 DHT/DHT DR400/dr400 Diamond-Da42/da42 Dragonfly/Dragonfly Dromader/M18B_Dromader E-2C/E-2C-model E70/ERJ170 E90/E90 E95/E95 ERJ145/ERJ-145 Embraer-Legacy/legacy F-15/F-15-lowpoly F-18/F-18-model FK9MK2/fk9mk2 Fokker-100/fokker100 Fokker-50/fokker50 Fokker-70/fokker70 Fokker-S-11/s11 G-164/G-164A JA37/JA-37-lowpoly JS41/JS41 Lightning/lightning-f1a M11/M1F MD80/md-80 MD90/md-90 MiG-21bis/MiG-21bis-lowpoly SF3/SF3 Saab-2000/Saab-2000 Spitfire/spitfireIIa T-38/T38 b1900d/b1900d beech-200/beech-200 beech99/beech99 bf109/bf109g-ai bluebird/bluebird-ai c172/c172p c177/c177 c182/c182 c182rg/c182rg c310/c310-dpm c310u3a/c310u3a centrair-101/centrair-101 cri-cri/MC-15 ercoupe/ercoupe eurofighter/typhoon-ai f-14b/F-14-low-poly f16/f-16_lowpoly flash2a/flash2a pa-28/pa-28 seahawk/SeaHawk-FGA6-WV859 vulcanb2/vulcanb2'
  .split(' ')
  .map((m) => {
    const [type, file] = m.split('/');
    return `${type}/Models/${file}.ac`;
  });

/**
 * AC3D stores y up; FlightGear's and TORCS' models lie along x. ['z', 'y', '-x'] turns them (a
 * rotation about y) so that their length runs along z, like the RC airplanes'.
 */
const ALONG_Z: Axes = ['z', 'y', '-x'];


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
  // FlightGear's AI traffic: 104 aircraft of every kind, each type once.
  aircraft: { from: 'fgai', dir: `${FG}/AI/Aircraft`, models: FG_AIRCRAFT.map((file) => ({ file, axes: ALONG_Z })) },
  // FlightGear's ships: merchant ships, ferries, sailing boats, a barge, warships. Its buoys, piers
  // and iceberg are not ships; a trawler whose hull is missing, the 11 m repaint of a sailing boat,
  // the high-detail copy of CG-57 and the military copy of the prepositioning ship are left out.
  ships: {
    from: 'fgmodels',
    dir: `${FG}/Models/Maritime`,
    models: [
      ...['ContainerShip', 'CruiseShip', 'FerryBoat1', 'Freighter', 'LargeFerry', 'LargeTrawler', 'Maritime-Pre-Positioning-Ship', 'MediumFerry', 'MerchantLivestockCarrier', 'SailBoatUnderPower', 'SailBoatUnderSail', 'SimpleFreighter', 'Tanker', 'barge', 'container_carrier'].map((m) => `Civilian/${m}.ac`),
      ...['CG47', 'CG-57/CG57', 'Carrier_A01', 'LCM6', 'LHA1', 'LPD17', 'OliverPerryFFG', 'PSC9'].map((m) => `Military/${m}.ac`),
    ].map((file) => ({ file, axes: ALONG_Z })),
  },
  // TORCS' cars (.acc, AC3D with triangle strips): saloons, GT and stock cars, a buggy, a Baja
  // Bug and an open-wheel racer; the full-detail model of each, not its lower levels of detail.
  cars: {
    from: 'torcs',
    dir: 'usr/share/games/torcs/cars',
    models: ['155-DTM', 'acura-nsx-sz', 'baja-bug', 'buggy', 'car1-ow1', 'car1-stock1', 'car1-stock2', 'car1-trb1', 'car1-trb3', 'car2-trb1', 'car3-trb1', 'car4-trb1', 'car5-trb1', 'car6-trb1', 'car7-trb1', 'car8-trb1', 'p406'].map((m) => ({ file: `${m}/${m}.acc`, axes: ALONG_Z })),
  },
};

/**
 * Sweet Home 3D's furniture by the names its catalogues give the pieces: the chairs of every
 * style (dining and kitchen chairs, armchairs, stools, deck, bar, office and children's chairs),
 * tables, sofas and beds. Pieces that share a name but not a shape are left out: wheelchairs, an
 * armchair with its ottoman, game and bedside tables, cabinets called tables, an opened sofa bed.
 */
const FURNITURE: Record<string, FurnitureRule> = {
  chairs: { take: /chair|stool/i, skip: /wheelchair|ottoman/i },
  tables: { take: /\btable\b/i, skip: /bedside|tennis|pool|football|fan|changing|dressing|technical/i },
  sofas: { take: /sofa/i, skip: /opened/i },
  beds: { take: /\bbed\b/i },
};

/** Each Sweet Home 3D library's licence, as the package's copyright file gives it. */
const SH3D_LICENCES: Record<string, string> = { 'BlendSwap-CC-0': 'CC0', 'BlendSwap-CC-BY': 'CC-BY-3.0', KatorLegaz: 'CC-BY-3.0-USA', Scopia: 'CC-BY-3.0', Reallusion: 'CC-BY-3.0-USA' };

/** Categories that a person tells apart at a glance: the classification sets, by folder. */
const CLASS_SETS: Record<string, string[]> = {
  'real-mesh-classes': ['aircraft', 'ships', 'cars'],
  'real-mesh-furniture': Object.keys(FURNITURE),
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
  // apt-get writes an epoch's colon as %3a in the file name.
  const deb = join(debs, `${p.name}_${p.version.replace(':', '%3a')}_all.deb`);
  if (!existsSync(deb)) {
    console.error(`downloading ${p.name}=${p.version} (apt-get download)`);
    sh('apt-get', ['download', `${p.name}=${p.version}`], debs);
  }
  const sum = sha256(await readFile(deb));
  if (sum !== p.sha256) throw new Error(`${deb}: SHA-256 ${sum} is not the pinned ${p.sha256} (delete it and run again; if it persists the archive changed)`);
  const tree = join(sources, 'tree', p.name);
  if (!existsSync(tree)) {
    await mkdir(tree, { recursive: true });
    if (p.extract) sh('bash', ['-o', 'pipefail', '-c', 'dpkg-deb --fsys-tarfile "$0" | tar -x -C "$1" --wildcards "${@:2}"', deb, tree, ...p.extract], root);
    else sh('dpkg-deb', ['-x', deb, tree], root);
    // CGAL ships its sample data as a tarball inside the documentation.
    if (p.name === 'libcgal-demo') sh('tar', ['-xzf', join(tree, 'usr/share/doc/libcgal-dev/data.tar.gz'), '-C', tree], root);
  }
  return tree;
}

/** The mesh turned so that its new (x, y, z) are the given signed old axes. */
function turn(m: TriangleMesh, axes: Axes): TriangleMesh {
  return rotate(m, axes.flatMap((a) => [0, 1, 2].map((k) => (k === 'xyz'.indexOf(a.replace('-', '')) ? (a.startsWith('-') ? -1 : 1) : 0))));
}

/** A category's folder in the catalogue and in each class set that lists it, emptied. */
async function categoryFolders(category: string): Promise<string[]> {
  const dirs = [join(cache, category), ...Object.entries(CLASS_SETS).filter(([, cs]) => cs.includes(category)).map(([set]) => join(root, '.cache', set, category))];
  for (const d of dirs) (await rm(d, { recursive: true, force: true }), await mkdir(d, { recursive: true }));
  return dirs;
}

async function main(): Promise<void> {
  const manifest: Record<string, unknown>[] = [];
  const sheet: { name: string; cloud: ReturnType<typeof sampleSurface> }[] = [];
  const seen = new Set<string>();
  /** Writes one model as OFF into its category's folders; a copy of a model already written is left out. */
  const write = async (category: string, dirs: string[], name: string, mesh: TriangleMesh, entry: Record<string, unknown>): Promise<boolean> => {
    const bytes = new TextEncoder().encode(encodeOff(mesh));
    const sum = sha256(bytes);
    if (seen.has(sum)) return false;
    seen.add(sum);
    for (const d of dirs) await writeFile(join(d, name), bytes);
    manifest.push({ category, file: `${category}/${name}`, ...entry, triangles: mesh.triangles.length / 3, sha256: sum });
    sheet.push({ name, cloud: normalizeCloud(sampleSurface(mesh, 2048, 0)) });
    return true;
  };
  for (const [category, c] of Object.entries(CATALOGUE)) {
    const p = PACKAGES[c.from];
    const tree = await unpack(p);
    const dirs = await categoryFolders(category);
    for (const m of c.models) {
      const mesh = await loadMesh(join(tree, c.dir, m.file));
      const upright = m.axes ? turn(mesh, m.axes) : mesh;
      const name = basename(m.file).replace(/\.[^.]+$/, '.off');
      await write(category, dirs, name, upright, { source: `Debian ${p.name} ${p.version}: ${c.dir}/${m.file}`, licence: p.licence, axes: m.axes ?? ['x', 'y', 'z'] });
    }
    console.error(`${category}: ${c.models.length} models in ${dirs[0]}`);
  }
  const p = PACKAGES.sh3d;
  const pieces = await furniture(join(await unpack(p), SH3D), FURNITURE);
  for (const [category, list] of Object.entries(pieces)) {
    const dirs = await categoryFolders(category);
    let kept = 0;
    for (const f of list) {
      const name = `${f.library}-${basename(f.model).replace(/\.[^.]+$/, '')}.off`;
      if (await write(category, dirs, name, f.mesh, { source: `Debian ${p.name} ${p.version}: ${SH3D}/${f.library}.sh3f: ${f.model} ("${f.name}")`, licence: SH3D_LICENCES[f.library] ?? p.licence })) kept++;
    }
    console.error(`${category}: ${kept} models in ${dirs[0]} (${list.length - kept} duplicates left out)`);
  }
  await writeFile(join(cache, 'manifest.json'), JSON.stringify({ packages: PACKAGES, models: manifest }, null, 2));
  await writeFile(join(cache, 'catalogue.png'), renderClouds(sheet.map((s) => s.cloud), { size: 112, cols: 12, captions: sheet.map((s) => s.name) }).toPng());
  console.log(`${manifest.length} models in ${cache} (manifest.json, catalogue.png); class sets ${Object.keys(CLASS_SETS).join(', ')} in ${join(root, '.cache')}`);
}

main().catch((e: Error) => {
  console.error(`real-meshes: ${e.message}`);
  process.exit(1);
});
