/** @ebm/voxel: 3D descriptor nets for voxel shapes on @ebm/core. */
export { VoxelFormatError } from './errors';
export { type VoxelGrid, voxelCount, voxelIndex, occupancy, gridsToTensor, tensorToGrids, voxelScaling, type VoxelScaling, threshold, iou, meanNearestIou } from './grid';
export { decodeBinvox, encodeBinvox, type BinvoxMeta } from './io/binvox';
// .npy lives in @ebm/core (point clouds and images read it too); re-exported for voxel users.
export { decodeNpy, encodeNpy, type NpyArray } from '@ebm/core';
export { loadGrid, loadGrids, saveGrid } from './io/files';
export { resampleGrid } from './resample';
// 3-D geometry lives in @ebm/geometry (shared with @ebm/pointcloud); re-exported for voxel users.
export { loadMesh, saveMesh, parseMesh, parseObj, parseStl, parseOff, parsePly, parseAc3d, parse3ds, encodeObj, encodeStl, encodeOff, encodePlyMesh, proceduralShape, shapeMesh, SHAPE_CATEGORIES, MESH_EXTENSIONS, viewFrom, DEFAULT_VIEW, type ProceduralShape, type ShapeCategory, type TriangleMesh, type View } from '@ebm/geometry';
export { voxelizeMesh, type VoxelizeOptions } from './voxelize';
export { makeGrids } from './shapes';
export { descriptor3dPaper, descriptor3dCpu, energyL2ForGrid, presets } from './nets';
export { voxelsToMesh } from './mesh';
export { renderGrid, renderGrids, type RenderOptions } from './render';
export { blockMean, upsampleNearest, blockMeanFree } from './superres';
export { blockMeanGrid, upsampleTrilinear, upsampleRetrieval, occupyBlocks, type UpsampleRetrievalOptions } from './block-counts';
export { neighbourhoodShare, type NeighbourhoodShareOptions } from './fill';
export { nearestGrid, nearestGrids, retrievalShare, RETRIEVAL_WEIGHT, type NearestOptions } from './retrieve';
export { damageShapes, recoveryStarts, type DamageOptions, type DamagedShapes, type RetrievalStart } from './recovery';
export { descriptorFeatures, convFeatureLayers, type DescriptorFeatureOptions } from './features';
export { rotateY90, translate, boundingBox, zUpToYUp } from './transform';
