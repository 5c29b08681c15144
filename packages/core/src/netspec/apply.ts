import { EbmError } from '../errors';
import type { Tensor } from '../tf';
import { layerModule, type ApplyContext } from './registry';
import type { LayerSpec, NetSpec } from './types';

export interface ApplyOptions {
  /** Extra inputs by name, [B, ...shape]. */
  inputs?: Readonly<Record<string, Tensor>>;
  /** State tensors by name (running statistics). */
  state?: Readonly<Record<string, Tensor>>;
  /** Default 'train'. */
  mode?: 'train' | 'eval';
  /** Receives the batch statistics of train-mode batch norms, by state name. */
  stats?: Record<string, Tensor>;
}

/**
 * Runs a spec on the tfjs runtime by walking the layer registry. `x` has a leading batch axis;
 * `params` maps the names of `inferShapes(spec).params` to tensors. Pure: allocates only
 * intermediates (call inside `tf.tidy`).
 */
export function applyLayers(spec: NetSpec, params: Readonly<Record<string, Tensor>>, x: Tensor, options: ApplyOptions = {}): Tensor {
  const mode = options.mode ?? 'train';
  const run = (layers: LayerSpec[], h: Tensor, prefix: string): Tensor => {
    layers.forEach((layer, j) => {
      const path = `${prefix}.${j}`;
      const module = layerModule(layer.type)!;
      const ctx: ApplyContext = {
        path,
        mode,
        param: (role) => params[`${path}.${role}`],
        state: (role) => {
          const t = options.state?.[`${path}.${role}`];
          if (!t) throw new EbmError(`applyLayers: state "${path}.${role}" was not given`);
          return t;
        },
        input: (name) => {
          const t = options.inputs?.[name];
          if (!t) throw new EbmError(`applyLayers: extra input "${name}" was not given`);
          return t;
        },
        stat: (role, v) => {
          if (options.stats) options.stats[`${path}.${role}`] = v;
        },
        sub: (sub, s, p) => run(sub, s, p),
      };
      h = module.apply(layer, h, ctx);
    });
    return h;
  };
  return run(spec.layers, x, 'layers');
}
