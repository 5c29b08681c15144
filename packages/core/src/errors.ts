/**
 * Typed errors. Every message names the thing that was wrong (option, layer, file) and the value
 * found, so a user can act on it without reading a stack trace.
 */

/** Base class of every error thrown on purpose by ebm. */
export class EbmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An option had a value outside its allowed range or type. */
export class InvalidOptionError extends EbmError {
  constructor(
    readonly fn: string,
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Error in ${fn}: ${option} must be ${expected}, got ${formatValue(value)}`);
  }
}

/** A NetSpec is malformed, or its layers do not fit the shapes flowing into them. */
export class NetSpecError extends EbmError {
  constructor(
    message: string,
    readonly layerIndex?: number,
    readonly layerType?: string,
  ) {
    super(layerIndex === undefined ? `Invalid NetSpec: ${message}` : `Invalid NetSpec at layer ${layerIndex} (${layerType}): ${message}`);
  }
}

/** Tensor shapes passed to a function do not fit. */
export class ShapeMismatchError extends EbmError {}

/** A checkpoint folder is missing, damaged, or does not match the model it is loaded into. */
export class CheckpointError extends EbmError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Checkpoint ${file}: ${reason}`);
  }
}

/**
 * A data file (mesh, point cloud, voxel grid) that cannot be used: names the file and what is
 * wrong with it. The modality packages raise it (as VoxelFormatError, PointCloudFormatError).
 */
export class FormatError extends EbmError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Training diverged and the divergence guard ran out of retries. */
export class DivergenceError extends EbmError {
  constructor(
    readonly iteration: number,
    readonly reason: string,
    readonly retries: number,
  ) {
    super(
      `Training diverged at iteration ${iteration} (${reason}) and did not recover after ${retries} rollback(s) ` +
        'with smaller steps. Lower the learning rate or the Langevin step size, or add a Gaussian reference term.',
    );
  }
}

export function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

/** A backend that was asked for (EBM_BACKEND, runtime option) cannot be used. */
export class BackendUnavailableError extends EbmError {}
