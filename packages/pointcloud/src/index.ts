/** @ebm/pointcloud: Generative PointNet energies for point clouds on @ebm/core. */
export { PointCloudFormatError } from './errors';
export { type PointCloud, pointCount, cloudsToTensor, tensorToClouds, normalizeCloud, resample, rotateY, type Normalization } from './cloud';
export { sampleSurface } from './sample';
export { parseXyz, encodeXyz } from './io/xyz';
export { encodePly } from './io/ply';
export { loadPointCloud, savePointCloud, CLOUD_EXTENSIONS, type LoadCloudOptions } from './io/files';
export { chamfer, chamferMatrix, emd, mmdCov, nna, type EmdOptions } from './metrics';
export { gpointnetPaper, gpointnetCpu, gpointnetReconstruction, presets, type PointNetOptions } from './nets';
export { pointFeatures, localFeatureLayer } from './features';
export { reconstructCloud, type ReconstructOptions } from './reconstruct';
export { renderCloud, renderClouds, type CloudRenderOptions } from './render';
export { makeClouds, shapeMesh, SHAPE_CATEGORIES, type ShapeCategory } from './shapes';
// Mesh I/O lives in @ebm/core (shared with @ebm/voxel); re-exported for point-cloud users.
export { loadMesh, parseObj, parseStl, parseOff, parsePly, type TriangleMesh } from '@ebm/core';
