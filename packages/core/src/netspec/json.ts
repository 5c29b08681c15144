import { NetSpecError } from '../errors';
import { inferShapes, V1_TYPES } from './shapes';
import type { LayerSpec, NetSpec } from './types';

/** Whether a spec needs version 2 (named inputs, or a layer or field that version 1 did not have). */
function needsV2(layers: LayerSpec[], inputs: unknown): boolean {
  const layerNeeds = (l: LayerSpec): boolean => !V1_TYPES.has(l.type) || (l.type === 'layerNorm' && l.affine === 'normalized');
  return inputs !== undefined || layers.some(layerNeeds);
}

/**
 * Builds a NetSpec from an input shape and layers, validating it. The spec gets the lowest version
 * that expresses it, so nets of the first layer set stay readable by older releases.
 */
export function netSpec(input: number[], layers: LayerSpec[], name?: string, options: { inputs?: Record<string, number[]> } = {}): NetSpec {
  const spec: NetSpec = {
    format: 'ebm.netspec',
    version: needsV2(layers, options.inputs) ? 2 : 1,
    ...(name ? { name } : {}),
    input,
    ...(options.inputs ? { inputs: options.inputs } : {}),
    layers,
  };
  inferShapes(spec);
  return spec;
}

/** Serialises a spec as JSON text (stable key order as written). */
export function netSpecToJSON(spec: NetSpec): string {
  return JSON.stringify(spec);
}

/**
 * Parses and validates JSON text (or an already parsed object) as a NetSpec.
 * @throws NetSpecError when the text is not JSON or the spec is invalid.
 */
export function parseNetSpec(json: string | unknown): NetSpec {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new NetSpecError(`not valid JSON (${(e as Error).message})`);
    }
  }
  inferShapes(obj as NetSpec);
  return structuredClone(obj) as NetSpec;
}
