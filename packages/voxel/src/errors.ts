import { EbmError } from '@ebm/core';

/** A voxel or mesh file that cannot be read: names the file and what is wrong with it. */
export class VoxelFormatError extends EbmError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}
