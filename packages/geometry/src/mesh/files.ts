import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { FormatError } from '@ebm/core';
import { encodeObj, encodeOff, encodePlyMesh, encodeStl } from './encode';
import { parseAc3d } from './ac3d';
import { parse3ds } from './tds';
import { parseObj, parseOff, parsePly, parseStl, type ParseMeshOptions, type TriangleMesh } from './parse';

const PARSERS: Record<string, (bytes: Uint8Array, name: string, options: ParseMeshOptions) => TriangleMesh> = { '.obj': parseObj, '.stl': parseStl, '.off': parseOff, '.ply': parsePly, '.ac': parseAc3d, '.acc': parseAc3d, '.3ds': parse3ds };

export const MESH_EXTENSIONS = Object.keys(PARSERS);

/** The bytes of a file. @throws FormatError naming the file when it cannot be read. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw new FormatError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** Parses mesh bytes by the extension of `path` (.obj, .stl, .off, .ply, .ac/.acc, .3ds). @throws FormatError naming `path`. */
export function parseMesh(bytes: Uint8Array, path: string, options: ParseMeshOptions = {}): TriangleMesh {
  const ext = extname(path).toLowerCase();
  const parse = PARSERS[ext];
  if (!parse) throw new FormatError(path, `unsupported mesh extension "${ext}" (${MESH_EXTENSIONS.join(', ')})`);
  return parse(bytes, path, options);
}

/** Reads a triangle mesh from .obj, .stl, .off, .ply or .ac/.acc (AC3D; .acc is TORCS' variant) or .3ds. @throws FormatError naming the file. */
export async function loadMesh(path: string, options: ParseMeshOptions = {}): Promise<TriangleMesh> {
  const ext = extname(path).toLowerCase();
  if (!PARSERS[ext]) throw new FormatError(path, `unsupported mesh extension "${ext}" (${MESH_EXTENSIONS.join(', ')})`);
  return parseMesh(await readBytes(path), path, options);
}

/** Writes a mesh as .obj, .stl (binary), .off or .ply (binary), by the path's extension. @throws FormatError for another extension. */
export async function saveMesh(path: string, mesh: TriangleMesh): Promise<void> {
  const ext = extname(path).toLowerCase();
  const encoders: Record<string, (m: TriangleMesh) => string | Uint8Array> = { '.obj': encodeObj, '.stl': encodeStl, '.off': encodeOff, '.ply': encodePlyMesh };
  const encode = encoders[ext];
  // AC3D and 3DS are read, not written: name only what can be written.
  if (!encode) throw new FormatError(path, `cannot write mesh extension "${ext}" (${Object.keys(encoders).join(', ')})`);
  await writeFile(path, encode(mesh));
}
