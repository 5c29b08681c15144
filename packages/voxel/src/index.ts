/** @ebm/voxel: 3D descriptor nets for voxel shapes on @ebm/core. */
export { VoxelFormatError } from './errors';
export { type VoxelGrid, voxelCount, voxelIndex, occupancy, gridsToTensor, tensorToGrids, threshold, iou, meanNearestIou } from './grid';
export { decodeBinvox, encodeBinvox, type BinvoxMeta } from './io/binvox';
export { decodeNpy, encodeNpy, type NpyArray } from './io/npy';
export { loadVoxels, saveVoxels, loadMesh } from './io/files';
export { parseObj, parseStl, parseOff, parsePly } from './io/mesh-formats';
export { voxelizeMesh, type VoxelizeOptions } from './voxelize';
export { makeShapes, CATEGORIES, type Category } from './shapes';
export { descriptor3dPaper, descriptor3dCpu, descriptor3dSettings } from './nets';
export { voxelsToMesh, encodeObj, encodeStl, type TriangleMesh } from './mesh';
export { renderVoxels, renderGrid, type RenderOptions } from './render';
export { blockMean, upsampleNearest, blockMeanFree } from './superres';
export { descriptorFeatures, convFeatureLayers, type DescriptorFeatureOptions } from './features';
export { rotateY90, translate, boundingBox } from './transform';
