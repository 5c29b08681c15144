import { FormatError } from '@ebm/core';

/**
 * A point-cloud or mesh file that cannot be used: names the file and what is wrong with it. The
 * same class as @ebm/core's FormatError (mesh parsing lives in core, shared with @ebm/voxel).
 */
export const PointCloudFormatError = FormatError;
export type PointCloudFormatError = FormatError;
