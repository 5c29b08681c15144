/** Writes 3DS bytes: main → editor → one named object per mesh → triangle mesh → vertices, faces (+ a material chunk to skip). */
export function tds(objects: { name: string; vertices: number[]; faces: number[]; vertexCount?: number }[]): Uint8Array {
  const chunk = (id: number, ...body: Uint8Array[]) => {
    const length = 6 + body.reduce((a, b) => a + b.length, 0);
    const out = new Uint8Array(length);
    const v = new DataView(out.buffer);
    v.setUint16(0, id, true);
    v.setUint32(2, length, true);
    let o = 6;
    for (const b of body) (out.set(b, o), (o += b.length));
    return out;
  };
  const bytes = (n: number, fill: (v: DataView) => void) => {
    const out = new Uint8Array(n);
    fill(new DataView(out.buffer));
    return out;
  };
  const mesh = (o: (typeof objects)[number]) => {
    const verts = bytes(2 + 4 * o.vertices.length, (v) => {
      v.setUint16(0, o.vertexCount ?? o.vertices.length / 3, true);
      o.vertices.forEach((x, i) => v.setFloat32(2 + 4 * i, x, true));
    });
    const faces = bytes(2 + (8 * o.faces.length) / 3, (v) => {
      v.setUint16(0, o.faces.length / 3, true);
      for (let f = 0; f < o.faces.length / 3; f++) for (let c = 0; c < 3; c++) v.setUint16(2 + 8 * f + 2 * c, o.faces[3 * f + c]!, true);
    });
    const name = new TextEncoder().encode(`${o.name}\0`);
    return chunk(0x4000, name, chunk(0x4100, chunk(0x4110, verts), chunk(0x4120, faces, chunk(0x4130, new TextEncoder().encode('mat\0')))));
  };
  return chunk(0x4d4d, chunk(0x0002, bytes(4, (v) => v.setUint32(0, 3, true))), chunk(0x3d3d, ...objects.map(mesh), chunk(0xafff, new Uint8Array(8))));
}
