import { FormatError } from '@ebm/core';

/**
 * A voxel or mesh file that cannot be used: names the file and what is wrong with it. The same
 * class as @ebm/core's FormatError (mesh parsing lives in core, shared with @ebm/pointcloud).
 */
export const VoxelFormatError = FormatError;
export type VoxelFormatError = FormatError;
