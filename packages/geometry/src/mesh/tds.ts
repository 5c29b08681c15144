/**
 * 3D Studio (.3ds) binary models, the format of many older game and CAD catalogues: nested
 * chunks (u16 id, u32 length including the 6-byte header, little endian). Only the path to the
 * geometry is followed — main (0x4D4D) → editor (0x3D3D) → named object (0x4000) → triangle mesh
 * (0x4100) → vertices (0x4110) and faces (0x4120); every other chunk (materials, keyframes,
 * cameras, lights) is skipped by its length. Vertices are stored in world coordinates, so the
 * meshes of all objects are concatenated as they are. Every length and count is checked against
 * the bytes that hold it before it is read.
 */
import { FormatError } from '@ebm/core';
import { finish, type ParseMeshOptions, type TriangleMesh } from './parse';

const CONTAINERS = new Set([0x4d4d, 0x3d3d, 0x4100]);
const OBJECT = 0x4000;
const VERTICES = 0x4110;
const FACES = 0x4120;

/** 3DS: the triangles of every mesh object of the file. */
export function parse3ds(bytes: Uint8Array, name = '3ds data', options: ParseMeshOptions = {}): TriangleMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 6 || view.getUint16(0, true) !== 0x4d4d) throw new FormatError(name, 'not a 3DS file (no main chunk 0x4D4D at the start)');
  const pos: number[] = [];
  const tri: number[] = [];
  /** Vertex offset and count of the mesh whose chunks are being read. */
  let mesh = { base: 0, count: 0 };

  const walk = (start: number, end: number): void => {
    let o = start;
    while (o + 6 <= end) {
      const id = view.getUint16(o, true);
      const length = view.getUint32(o + 2, true);
      if (length < 6 || o + length > end) throw new FormatError(name, `chunk 0x${id.toString(16).padStart(4, '0')} at byte ${o} says ${length} bytes, but its parent has ${end - o} left (truncated or damaged)`);
      const body = o + 6;
      const stop = o + length;
      if (CONTAINERS.has(id)) walk(body, stop);
      else if (id === OBJECT) {
        // A zero-terminated name, then the object's chunks.
        let k = body;
        while (k < stop && bytes[k] !== 0) k++;
        if (k >= stop) throw new FormatError(name, `object chunk at byte ${o} has no end to its name`);
        walk(k + 1, stop);
      } else if (id === VERTICES) {
        const n = need(body, stop, 2) && view.getUint16(body, true);
        if (body + 2 + 12 * n > stop) throw new FormatError(name, `vertex chunk at byte ${o} declares ${n} vertices but holds ${Math.floor((stop - body - 2) / 12)}`);
        mesh = { base: pos.length / 3, count: n };
        for (let i = 0; i < 3 * n; i++) pos.push(view.getFloat32(body + 2 + 4 * i, true));
      } else if (id === FACES) {
        const n = need(body, stop, 2) && view.getUint16(body, true);
        if (body + 2 + 8 * n > stop) throw new FormatError(name, `face chunk at byte ${o} declares ${n} faces but holds ${Math.floor((stop - body - 2) / 8)}`);
        for (let f = 0; f < n; f++)
          for (let c = 0; c < 3; c++) {
            const v = view.getUint16(body + 2 + 8 * f + 2 * c, true);
            if (v >= mesh.count) throw new FormatError(name, `face ${f + 1} of the mesh at byte ${o} refers to vertex ${v}, but the mesh has ${mesh.count}`);
            tri.push(mesh.base + v);
          }
        // Material and smoothing-group chunks follow the faces inside this chunk: not geometry.
      }
      o = stop;
    }
  };
  const need = (at: number, stop: number, n: number): true => {
    if (at + n > stop) throw new FormatError(name, `chunk at byte ${at - 6} is too short to hold its count`);
    return true;
  };
  walk(0, bytes.length);
  return finish(name, pos, tri, options);
}
