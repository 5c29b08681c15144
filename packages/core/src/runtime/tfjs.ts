import { applyLayers } from '../netspec/apply';
import type { NetSpec } from '../netspec/types';
import { tf, type Tensor } from '../tf';
import type { NetExecutor, NetRuntime, VjpResult } from './types';

/**
 * The tfjs runtime: forward by the layer ops, backward by tfjs autodiff (`tf.grads`). Runs on any
 * tfjs backend (cpu, tfjs-node, tfjs-node-gpu). tfjs has no gradient for conv3dTranspose.
 */
export const tfjsRuntime: NetRuntime = {
  name: 'tfjs',
  compile(spec: NetSpec): NetExecutor {
    return {
      runtime: 'tfjs',
      async forward(params, x) {
        return tf.tidy(() => applyLayers(spec, params, x));
      },
      async vjp(params, x, gy, wrt): Promise<VjpResult> {
        const names = wrt.params ? Object.keys(params) : [];
        return tf.tidy(() => {
          // Differentiate only with respect to what was asked for.
          const inputs: Tensor[] = [...(wrt.x ? [x] : []), ...names.map((n) => params[n]!)];
          const off = wrt.x ? 1 : 0;
          let y: Tensor | undefined;
          const f = (...args: Tensor[]) => {
            const p: Record<string, Tensor> = { ...params };
            names.forEach((n, i) => (p[n] = args[i + off]!));
            // tf.grads disposes what f allocates; keep the forward output for the caller.
            y = tf.keep(applyLayers(spec, p, wrt.x ? args[0]! : x));
            return tf.sum(tf.mul(y, gy));
          };
          const grads = tf.grads(f)(inputs);
          const out: VjpResult = { y: y! };
          if (wrt.x) out.gx = grads[0]!;
          if (wrt.params) {
            out.gParams = {};
            names.forEach((n, i) => (out.gParams![n] = grads[i + off]!));
          }
          return out as unknown as tf.TensorContainer;
        }) as unknown as VjpResult;
      },
      dispose() {},
    };
  },
};
