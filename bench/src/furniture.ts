/**
 * Sweet Home 3D's furniture libraries (Debian `sweethome3d-furniture`): five .sh3f archives (ZIPs)
 * of OBJ models from Blend Swap (CC0 and CC-BY), KatorLegaz, Reallusion and Scopia (CC-BY), each
 * with a `PluginFurnitureCatalog.properties` that names every piece, gives its size in cm and,
 * where the OBJ is not y-up and facing +z, the rotation that makes it so.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readZip } from '@ebm/core';
import { parseMesh, type TriangleMesh } from '@ebm/geometry';
import { rotate } from './rotate';

export interface FurniturePiece {
  /** The library (archive name without .sh3f). */
  library: string;
  name: string;
  /** The OBJ inside the archive. */
  model: string;
  mesh: TriangleMesh;
}

/** Which pieces make a category: a name pattern, and the names it must not catch. */
export interface FurnitureRule {
  take: RegExp;
  skip?: RegExp;
}

/** Java .properties text (ISO-8859-1 with \uXXXX escapes) → key → value. */
function properties(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of new TextDecoder('latin1').decode(bytes).split(/\r?\n/)) {
    const m = /^\s*([^#!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!.replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
  }
  return out;
}

/**
 * The piece as Sweet Home 3D shows it: turned by its `modelRotation` (a row-major 3 × 3 matrix,
 * v' = R v), then scaled per axis to the catalogue's width (x), height (y) and depth (z).
 */
function place(m: TriangleMesh, rotation: number[] | undefined, size: [number, number, number]): TriangleMesh {
  const turned = rotation ? rotate(m, rotation) : m;
  const p = Float32Array.from(turned.positions);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < p.length; i++) (lo[i % 3] = Math.min(lo[i % 3]!, p[i]!)), (hi[i % 3] = Math.max(hi[i % 3]!, p[i]!));
  for (let i = 0; i < p.length; i++) {
    const c = i % 3;
    const extent = hi[c]! - lo[c]!;
    p[i] = extent > 0 ? ((p[i]! - lo[c]!) / extent) * size[c]! : 0;
  }
  return { positions: p, triangles: turned.triangles };
}

/** Every piece of every library in `dir` whose name one of the rules takes, by rule. */
export async function furniture(dir: string, rules: Record<string, FurnitureRule>): Promise<Record<string, FurniturePiece[]>> {
  const out: Record<string, FurniturePiece[]> = Object.fromEntries(Object.keys(rules).map((k) => [k, []]));
  for (const archive of (await readdir(dir)).filter((f) => f.endsWith('.sh3f')).sort()) {
    const files = readZip(await readFile(join(dir, archive)), archive);
    const catalogue = files.get('PluginFurnitureCatalog.properties');
    if (!catalogue) throw new Error(`${archive}: no PluginFurnitureCatalog.properties`);
    const props = properties(catalogue());
    const pieces = [...props.keys()].flatMap((k) => /^name#(\d+)$/.exec(k)?.[1] ?? []).map(Number).sort((a, b) => a - b);
    for (const n of pieces) {
      const name = props.get(`name#${n}`)!;
      const category = Object.entries(rules).find(([, r]) => r.take.test(name) && !r.skip?.test(name))?.[0];
      if (!category) continue;
      const model = props.get(`model#${n}`)!.replace(/^\//, '');
      const bytes = files.get(model);
      if (!bytes) throw new Error(`${archive}: piece ${n} (${name}) names ${model}, which the archive does not hold`);
      const size = ['width', 'height', 'depth'].map((k) => Number(props.get(`${k}#${n}`))) as [number, number, number];
      if (!size.every((s) => s > 0)) throw new Error(`${archive}: piece ${n} (${name}) has no width, height and depth`);
      const rotation = props.get(`modelRotation#${n}`)?.trim().split(/\s+/).map(Number);
      out[category]!.push({ library: archive.replace(/\.sh3f$/, ''), name, model, mesh: place(parseMesh(bytes(), model), rotation, size) });
    }
  }
  return out;
}
