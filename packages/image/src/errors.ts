import { FormatError } from '@ebm/core';

/**
 * An image, IDX or GIF file that cannot be used: names the file and what is wrong with it. The
 * same class as @ebm/core's FormatError, so one `instanceof` check covers every modality.
 */
export const ImageFormatError = FormatError;
export type ImageFormatError = FormatError;
