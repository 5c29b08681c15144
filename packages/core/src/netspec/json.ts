import { NetSpecError } from '../errors';
import { inferShapes } from './shapes';
import type { LayerSpec, NetSpec } from './types';

/** Builds a NetSpec from an input shape and layers, validating it. */
export function netSpec(input: number[], layers: LayerSpec[], name?: string): NetSpec {
  const spec: NetSpec = { format: 'ebm.netspec', version: 1, ...(name ? { name } : {}), input, layers };
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
