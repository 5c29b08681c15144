/**
 * Procedural shapes as triangle meshes, so the packages and their demos run offline on data they
 * make themselves: chair- and table-like box assemblies, tori and cups with handles, each with
 * seeded random proportions. One definition for every modality: @ebm/voxel voxelizes these meshes,
 * @ebm/pointcloud samples their surfaces. Units: about one unit across; y is up, shapes stand on
 * y = 0 and are centred on the y axis.
 */
import { InvalidOptionError, mulberry32 } from '@ebm/core';
import type { TriangleMesh } from './mesh/parse';

export const SHAPE_CATEGORIES = ['chair', 'table', 'torus', 'cup'] as const;
export type ShapeCategory = (typeof SHAPE_CATEGORIES)[number];

/** Builds a triangle mesh from quads, boxes and parametric surfaces. */
export class MeshBuilder {
  readonly pos: number[] = [];
  readonly tri: number[] = [];
  quad(a: number[], b: number[], c: number[], d: number[]): void {
    const o = this.pos.length / 3;
    this.pos.push(...a, ...b, ...c, ...d);
    this.tri.push(o, o + 1, o + 2, o, o + 2, o + 3);
  }
  box(x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): void {
    const p = (x: number, y: number, z: number) => [x, y, z];
    this.quad(p(x0, y0, z0), p(x1, y0, z0), p(x1, y0, z1), p(x0, y0, z1));
    this.quad(p(x0, y1, z0), p(x0, y1, z1), p(x1, y1, z1), p(x1, y1, z0));
    this.quad(p(x0, y0, z0), p(x0, y1, z0), p(x1, y1, z0), p(x1, y0, z0));
    this.quad(p(x0, y0, z1), p(x1, y0, z1), p(x1, y1, z1), p(x0, y1, z1));
    this.quad(p(x0, y0, z0), p(x0, y0, z1), p(x0, y1, z1), p(x0, y1, z0));
    this.quad(p(x1, y0, z0), p(x1, y1, z0), p(x1, y1, z1), p(x1, y0, z1));
  }
  /** A surface of revolution / sweep given by f(u, v) on a grid of segments. */
  surface(f: (u: number, v: number) => number[], nu: number, nv: number): void {
    for (let i = 0; i < nu; i++) for (let j = 0; j < nv; j++) this.quad(f(i / nu, j / nv), f((i + 1) / nu, j / nv), f((i + 1) / nu, (j + 1) / nv), f(i / nu, (j + 1) / nv));
  }
  /** The mesh built so far. */
  mesh(): TriangleMesh {
    return { positions: Float32Array.from(this.pos), triangles: Uint32Array.from(this.tri) };
  }
}

type Rand = (lo: number, hi: number) => number;
const TAU = 2 * Math.PI;

function legs(m: MeshBuilder, ax: number, az: number, t: number, h: number): void {
  for (const sx of [-1, 1]) for (const sz of [-1, 1]) m.box(sx * ax - t / 2, sx * ax + t / 2, 0, h, sz * az - t / 2, sz * az + t / 2);
}

const MAKERS: Record<ShapeCategory, (m: MeshBuilder, r: Rand) => void> = {
  chair(m, r) {
    const half = r(0.25, 0.32);
    const seat = r(0.36, 0.46);
    const t = r(0.07, 0.1);
    legs(m, half - t / 2, half - t / 2, t, seat);
    m.box(-half, half, seat, seat + t, -half, half);
    m.box(-half, half, seat, seat + r(0.38, 0.5), -half, -half + t);
  },
  table(m, r) {
    const half = r(0.36, 0.46);
    const depth = r(0.26, 0.4);
    const top = r(0.5, 0.65);
    const t = r(0.06, 0.09);
    legs(m, half - t, depth - t, t, top);
    m.box(-half, half, top, top + t, -depth, depth);
  },
  torus(m, r) {
    const R = r(0.25, 0.34);
    const a = r(0.08, 0.13);
    m.surface((u, v) => [(R + a * Math.cos(TAU * v)) * Math.cos(TAU * u), a + a * Math.sin(TAU * v), (R + a * Math.cos(TAU * v)) * Math.sin(TAU * u)], 48, 16);
  },
  cup(m, r) {
    // A solid cup: outer and inner walls, the rim between them, the outer and inner bottom.
    const R = r(0.2, 0.3);
    const w = r(0.07, 0.1);
    const h = r(0.5, 0.8);
    const ring = (rad: number, y0: number, y1: number) => m.surface((u, v) => [rad * Math.cos(TAU * u), y0 + (y1 - y0) * v, rad * Math.sin(TAU * u)], 48, 8);
    const disc = (r0: number, r1: number, y: number) => m.surface((u, v) => [(r0 + (r1 - r0) * v) * Math.cos(TAU * u), y, (r0 + (r1 - r0) * v) * Math.sin(TAU * u)], 48, 4);
    ring(R, 0, h);
    ring(R - w, w, h);
    disc(R - w, R, h);
    disc(0, R, 0);
    disc(0, R - w, w);
    // Handle: half a torus on the +x side.
    const hr = r(0.12, 0.18);
    const ht = 0.6 * w;
    m.surface((u, v) => {
      const a = Math.PI * (u - 0.5);
      const c = hr + ht * Math.cos(TAU * v);
      return [R + c * Math.cos(a), 0.55 * h + c * Math.sin(a), ht * Math.sin(TAU * v)];
    }, 24, 8);
  },
};


/**
 * The mesh of one procedural shape of a category, its proportions drawn from `seed`.
 * @throws InvalidOptionError for an unknown category.
 */
export function shapeMesh(category: ShapeCategory, seed = 0): TriangleMesh {
  if (!SHAPE_CATEGORIES.includes(category)) throw new InvalidOptionError('shapeMesh', 'category', category, `one of ${SHAPE_CATEGORIES.join(', ')}`);
  const rand = mulberry32(seed);
  const m = new MeshBuilder();
  MAKERS[category](m, (lo, hi) => lo + (hi - lo) * rand());
  return m.mesh();
}
