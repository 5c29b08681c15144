/**
 * Procedural shapes, so the packages and their demos run offline on data they make themselves:
 * chair- and table-like box assemblies, tori and cups with handles, each with seeded random
 * proportions. One definition for every modality: each shape is a list of solid parts, and each
 * part gives both its surface (a triangle mesh: @ebm/pointcloud samples it) and its inside (a
 * point test: @ebm/voxel fills the voxels whose centres are inside, which is exact where a
 * surface voxelizer would thicken every part by up to a voxel). Units: about one unit across; y is
 * up, shapes stand on y = 0 and are centred on the y axis.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import type { TriangleMesh } from './mesh/parse';

export const SHAPE_CATEGORIES = ['chair', 'table', 'torus', 'cup'] as const;
export type ShapeCategory = (typeof SHAPE_CATEGORIES)[number];

export interface ProceduralShape {
  /** The surface of the union of the parts (parts may overlap; each part's surface is closed). */
  mesh: TriangleMesh;
  /** Whether a point is inside the solid (inside any part). */
  contains(x: number, y: number, z: number): boolean;
}

const TAU = 2 * Math.PI;

/** Builds a shape from solid parts, each with its surface and its inside test. */
class ShapeBuilder {
  private readonly pos: number[] = [];
  private readonly tri: number[] = [];
  private readonly inside: ((x: number, y: number, z: number) => boolean)[] = [];

  private quad(a: number[], b: number[], c: number[], d: number[]): void {
    const o = this.pos.length / 3;
    this.pos.push(...a, ...b, ...c, ...d);
    this.tri.push(o, o + 1, o + 2, o, o + 2, o + 3);
  }

  /** A parametric surface f(u, v), u and v in [0, 1], on a grid of nu × nv quads. */
  private surface(f: (u: number, v: number) => number[], nu: number, nv: number): void {
    for (let i = 0; i < nu; i++) for (let j = 0; j < nv; j++) this.quad(f(i / nu, j / nv), f((i + 1) / nu, j / nv), f((i + 1) / nu, (j + 1) / nv), f(i / nu, (j + 1) / nv));
  }

  box(x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): void {
    const p = (x: number, y: number, z: number) => [x, y, z];
    this.quad(p(x0, y0, z0), p(x1, y0, z0), p(x1, y0, z1), p(x0, y0, z1));
    this.quad(p(x0, y1, z0), p(x0, y1, z1), p(x1, y1, z1), p(x1, y1, z0));
    this.quad(p(x0, y0, z0), p(x0, y1, z0), p(x1, y1, z0), p(x1, y0, z0));
    this.quad(p(x0, y0, z1), p(x1, y0, z1), p(x1, y1, z1), p(x0, y1, z1));
    this.quad(p(x0, y0, z0), p(x0, y0, z1), p(x0, y1, z1), p(x0, y1, z0));
    this.quad(p(x1, y0, z0), p(x1, y1, z0), p(x1, y1, z1), p(x1, y0, z1));
    this.inside.push((x, y, z) => x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1);
  }

  /** A torus about the y axis: ring radius R, tube radius a, centred at height cy. */
  torus(R: number, a: number, cy: number): void {
    this.surface((u, v) => [(R + a * Math.cos(TAU * v)) * Math.cos(TAU * u), cy + a * Math.sin(TAU * v), (R + a * Math.cos(TAU * v)) * Math.sin(TAU * u)], 48, 16);
    this.inside.push((x, y, z) => (Math.hypot(x, z) - R) ** 2 + (y - cy) ** 2 <= a * a);
  }

  /** An open cup about the y axis: outer radius R, wall and bottom thickness w, height h. */
  cup(R: number, w: number, h: number): void {
    const ring = (rad: number, y0: number, y1: number) => this.surface((u, v) => [rad * Math.cos(TAU * u), y0 + (y1 - y0) * v, rad * Math.sin(TAU * u)], 48, 8);
    const disc = (r0: number, r1: number, y: number) => this.surface((u, v) => [(r0 + (r1 - r0) * v) * Math.cos(TAU * u), y, (r0 + (r1 - r0) * v) * Math.sin(TAU * u)], 48, 4);
    ring(R, 0, h);
    ring(R - w, w, h);
    disc(R - w, R, h);
    disc(0, R, 0);
    disc(0, R - w, w);
    this.inside.push((x, y, z) => {
      const d = Math.hypot(x, z);
      return y >= 0 && y <= h && d <= R && (d >= R - w || y <= w);
    });
  }

  /** Half a torus in the x–y plane on the +x side of x = cx: a handle of radius hr and tube radius t at height cy. */
  handle(cx: number, cy: number, hr: number, t: number): void {
    this.surface((u, v) => {
      const a = Math.PI * (u - 0.5);
      const c = hr + t * Math.cos(TAU * v);
      return [cx + c * Math.cos(a), cy + c * Math.sin(a), t * Math.sin(TAU * v)];
    }, 24, 8);
    this.inside.push((x, y, z) => x >= cx && (Math.hypot(x - cx, y - cy) - hr) ** 2 + z * z <= t * t);
  }

  build(): ProceduralShape {
    const parts = this.inside.slice();
    return { mesh: { positions: Float32Array.from(this.pos), triangles: Uint32Array.from(this.tri) }, contains: (x, y, z) => parts.some((p) => p(x, y, z)) };
  }
}

type Rand = (lo: number, hi: number) => number;

function legs(s: ShapeBuilder, ax: number, az: number, t: number, h: number): void {
  for (const sx of [-1, 1]) for (const sz of [-1, 1]) s.box(sx * ax - t / 2, sx * ax + t / 2, 0, h, sz * az - t / 2, sz * az + t / 2);
}

const MAKERS: Record<ShapeCategory, (s: ShapeBuilder, r: Rand) => void> = {
  chair(s, r) {
    const half = r(0.25, 0.32);
    const seat = r(0.36, 0.46);
    const t = r(0.07, 0.1);
    legs(s, half - t / 2, half - t / 2, t, seat);
    s.box(-half, half, seat, seat + t, -half, half);
    s.box(-half, half, seat, seat + r(0.38, 0.5), -half, -half + t);
  },
  table(s, r) {
    const half = r(0.36, 0.46);
    const depth = r(0.26, 0.4);
    const top = r(0.5, 0.65);
    const t = r(0.06, 0.09);
    legs(s, half - t, depth - t, t, top);
    s.box(-half, half, top, top + t, -depth, depth);
  },
  torus(s, r) {
    const R = r(0.25, 0.34);
    const a = r(0.08, 0.13);
    s.torus(R, a, a);
  },
  cup(s, r) {
    const R = r(0.2, 0.3);
    const w = r(0.07, 0.1);
    const h = r(0.5, 0.8);
    s.cup(R, w, h);
    s.handle(R - w / 2, 0.55 * h, r(0.12, 0.18), 0.6 * w);
  },
};

/**
 * One procedural shape of a category, its proportions drawn from `seed`: its surface mesh and
 * its inside test.
 * @throws InvalidOptionError for an unknown category.
 */
export function proceduralShape(category: ShapeCategory, seed = 0): ProceduralShape {
  if (!SHAPE_CATEGORIES.includes(category)) throw new InvalidOptionError('proceduralShape', 'category', category, `one of ${SHAPE_CATEGORIES.join(', ')}`);
  const rand = mulberry32(seed);
  const s = new ShapeBuilder();
  MAKERS[category](s, (lo, hi) => lo + (hi - lo) * rand());
  return s.build();
}

/** The surface mesh of one procedural shape (see `proceduralShape`). */
export function shapeMesh(category: ShapeCategory, seed = 0): TriangleMesh {
  return proceduralShape(category, seed).mesh;
}
