/** @ebm/pointcloud: Generative PointNet energies for point clouds on @ebm/core. */
export { PointCloudFormatError } from './errors';
export { type PointCloud, pointCount, cloudsToTensor, tensorToClouds, normalizeCloud, momentNoise, resample, rotateY, type Normalization } from './cloud';
export { sampleSurface } from './sample';
export { parseXyz, encodeXyz } from './io/xyz';
export { encodePly } from './io/ply';
export { encodePcd, parsePcd, lzfDecompress } from './io/pcd';
export { loadCloud, loadClouds, loadLabelledClouds, saveCloud, CLOUD_EXTENSIONS, type LabelledClouds, type LoadCloudOptions } from './io/files';
export { chamfer, chamferMatrix, emd, emdMatrix, mmdCov, nna, type EmdOptions } from './metrics';
export { gpointnetPaper, gpointnetCpu, gpointnetReconstruction, presets, type PointNetOptions } from './nets';
export { pointFeatures, localFeatureLayer } from './features';
export { reconstructCloud, type ReconstructOptions } from './reconstruct';
export { completeClouds, cutCloud, type CompleteOptions } from './complete';
export { renderCloud, renderClouds, type CloudRenderOptions } from './render';
export { makeClouds } from './shapes';
// 3-D geometry lives in @ebm/geometry (shared with @ebm/voxel); re-exported for point-cloud users.
export { loadMesh, saveMesh, parseMesh, parseObj, parseStl, parseOff, parsePly, parseAc3d, parse3ds, encodeObj, encodeStl, encodeOff, encodePlyMesh, proceduralShape, shapeMesh, SHAPE_CATEGORIES, MESH_EXTENSIONS, viewFrom, DEFAULT_VIEW, type ProceduralShape, type ShapeCategory, type TriangleMesh, type View } from '@ebm/geometry';
