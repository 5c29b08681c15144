import { EbmError } from '@ebm/core';

/** A problem with the user's input (arguments, files): a demo prints it in one line and exits with 2. */
export class InputError extends EbmError {}
