/**
 * @ebm/geometry: 3-D geometry shared by @ebm/voxel and @ebm/pointcloud — triangle mesh reading and
 * writing (OBJ, STL, OFF, PLY; AC3D and 3DS read), the procedural shapes, and the camera every 3-D render uses.
 */
export { parseObj, parseStl, parseOff, parsePly, type TriangleMesh, type ParseMeshOptions } from './mesh/parse';
export { encodeObj, encodeStl, encodeOff, encodePlyMesh } from './mesh/encode';
export { parseAc3d } from './mesh/ac3d';
export { parse3ds } from './mesh/tds';
export { loadMesh, parseMesh, saveMesh, readBytes, MESH_EXTENSIONS } from './mesh/files';
export { proceduralShape, shapeMesh, SHAPE_CATEGORIES, type ProceduralShape, type ShapeCategory } from './shapes';
export { viewFrom, DEFAULT_VIEW, normalize, cross, dot, type View, type Vec3 } from './camera';
