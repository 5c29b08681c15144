/**
 * binvox (Patrick Min's voxel format, the format of ShapeNet/ModelNet voxelisations): an ASCII
 * header (`#binvox 1`, `dim d h w`, `translate`, `scale`, `data`) then run-length pairs
 * (value byte, count byte). Voxels run y fastest, then z, then x: index = x·(w·h) + z·w + y.
 */
import { VoxelFormatError } from '../errors';
import type { VoxelGrid } from '../grid';

export interface BinvoxMeta {
  translate: [number, number, number];
  scale: number;
}

/** Decodes binvox bytes into a 0/1 grid in (x, y, z) C order. `name` names the source in errors. */
export function decodeBinvox(bytes: Uint8Array, name = 'binvox data'): VoxelGrid & BinvoxMeta {
  const headerEnd = findData(bytes);
  if (headerEnd < 0) throw new VoxelFormatError(name, 'not a binvox file (no "#binvox" header followed by "data")');
  const lines = new TextDecoder('latin1').decode(bytes.subarray(0, headerEnd)).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!lines[0]?.startsWith('#binvox')) throw new VoxelFormatError(name, `not a binvox file (first line is "${(lines[0] ?? '').slice(0, 20)}")`);
  let dims: number[] | undefined;
  let translate: [number, number, number] = [0, 0, 0];
  let scale = 1;
  for (const l of lines.slice(1)) {
    const [key, ...rest] = l.split(/\s+/);
    const nums = rest.map(Number);
    if (key === 'dim') dims = nums;
    else if (key === 'translate') translate = nums as [number, number, number];
    else if (key === 'scale') scale = nums[0]!;
  }
  if (!dims || dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0 && d <= 1024)) {
    throw new VoxelFormatError(name, `bad or missing "dim" line (${JSON.stringify(dims)})`);
  }
  if (translate.length !== 3 || !translate.every(Number.isFinite)) throw new VoxelFormatError(name, `bad "translate" line (${JSON.stringify(translate)})`);
  if (!(Number.isFinite(scale) && scale > 0)) throw new VoxelFormatError(name, `bad "scale" line (${scale})`);
  const [dx, dy, dz] = dims as [number, number, number];
  const total = dx * dy * dz;
  // Each run pair (value, count ≤ 255) covers at most 255 voxels: refuse before allocating the grid.
  const most = 255 * Math.floor((bytes.length - headerEnd) / 2);
  if (total > most) throw new VoxelFormatError(name, `${dx}×${dy}×${dz} grid needs ${total} voxels but its ${bytes.length - headerEnd} data bytes hold at most ${most} (truncated)`);
  const data = new Uint8Array(total);
  let pos = headerEnd;
  let k = 0; // linear index in binvox order
  while (k < total) {
    if (pos + 1 >= bytes.length) throw new VoxelFormatError(name, `data ends after ${k} of ${total} voxels (truncated)`);
    const value = bytes[pos]!;
    const count = bytes[pos + 1]!;
    pos += 2;
    if (value > 1) throw new VoxelFormatError(name, `run value ${value} at byte ${pos - 2} is not 0 or 1 (damaged)`);
    if (count === 0 || k + count > total) throw new VoxelFormatError(name, `run of ${count} voxels at byte ${pos - 2} does not fit the ${dx}×${dy}×${dz} grid (damaged)`);
    if (value) {
      for (let j = k; j < k + count; j++) {
        // binvox order: x slowest, then z, then y fastest (cubic grids in practice; dims read as d, h, w).
        const x = Math.floor(j / (dz * dy));
        const z = Math.floor(j / dy) % dz;
        const y = j % dy;
        data[(x * dy + y) * dz + z] = 1;
      }
    }
    k += count;
  }
  return { dims: [dx, dy, dz], data, translate, scale };
}

function findData(bytes: Uint8Array): number {
  // The header is short ASCII; "data\n" ends it.
  const limit = Math.min(bytes.length, 1024);
  for (let i = 0; i + 4 < limit; i++) {
    if (bytes[i] === 0x64 && bytes[i + 1] === 0x61 && bytes[i + 2] === 0x74 && bytes[i + 3] === 0x61 && (bytes[i + 4] === 0x0a || bytes[i + 4] === 0x0d)) {
      let end = i + 5;
      if (bytes[i + 4] === 0x0d && bytes[end] === 0x0a) end++;
      return end;
    }
  }
  return -1;
}

/** Encodes a grid (values > 0.5 are occupied) as binvox bytes. */
export function encodeBinvox(grid: VoxelGrid, meta: Partial<BinvoxMeta> = {}): Uint8Array {
  const [dx, dy, dz] = grid.dims;
  const t = meta.translate ?? [0, 0, 0];
  const header = `#binvox 1\ndim ${dx} ${dy} ${dz}\ntranslate ${t.join(' ')}\nscale ${meta.scale ?? 1}\ndata\n`;
  const runs: number[] = [];
  let cur = -1;
  let count = 0;
  for (let x = 0; x < dx; x++) {
    for (let z = 0; z < dz; z++) {
      for (let y = 0; y < dy; y++) {
        const v = grid.data[(x * dy + y) * dz + z]! > 0.5 ? 1 : 0;
        if (v === cur && count < 255) count++;
        else {
          if (count) runs.push(cur, count);
          cur = v;
          count = 1;
        }
      }
    }
  }
  if (count) runs.push(cur, count);
  const head = new TextEncoder().encode(header);
  const out = new Uint8Array(head.length + runs.length);
  out.set(head);
  out.set(runs, head.length);
  return out;
}
