/** @ebm/voxel: 3D descriptor nets for voxel shapes on @ebm/core. */
export { VoxelFormatError } from './errors';
export { type VoxelGrid, voxelCount, voxelIndex, occupancy, gridsToTensor, tensorToGrids, threshold, iou, meanNearestIou } from './grid';
export { decodeBinvox, encodeBinvox, type BinvoxMeta } from './io/binvox';
export { decodeNpy, encodeNpy, type NpyArray } from './io/npy';
export { loadVoxels, saveVoxels } from './io/files';
// Mesh I/O lives in @ebm/core (shared with @ebm/pointcloud); re-exported for voxel users.
export { loadMesh, parseObj, parseStl, parseOff, parsePly, encodeObj, encodeStl, type TriangleMesh } from '@ebm/core';
export { voxelizeMesh, type VoxelizeOptions } from './voxelize';
export { makeShapes, CATEGORIES, type Category } from './shapes';
export { descriptor3dPaper, descriptor3dCpu, presets } from './nets';
export { voxelsToMesh } from './mesh';
export { renderVoxels, renderGrid, type RenderOptions } from './render';
export { blockMean, upsampleNearest, blockMeanFree } from './superres';
export { descriptorFeatures, convFeatureLayers, type DescriptorFeatureOptions } from './features';
export { rotateY90, translate, boundingBox } from './transform';
