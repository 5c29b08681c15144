import { applyLayers } from '../netspec/apply';
import type { NetSpec } from '../netspec/types';
import { tf, type Tensor } from '../tf';
import type { NetExecutor, NetRuntime, RunOptions, VjpResult } from './types';

const applyOptions = (o: RunOptions, stats?: Record<string, Tensor>) => ({ inputs: o.inputs, state: o.state, mode: o.mode, stats: o.stats ? stats : undefined });

/**
 * The tfjs runtime: forward by the layer modules' tfjs ops, backward by tfjs autodiff (`tf.grads`).
 * Runs on any tfjs backend (cpu, tfjs-node, tfjs-node-gpu). tfjs has no gradient for
 * conv3dTranspose or dilated conv2d.
 */
export const tfjsRuntime: NetRuntime = {
  name: 'tfjs',
  compile(spec: NetSpec): NetExecutor {
    return {
      runtime: 'tfjs',
      async forward(params, x, o) {
        return tf.tidy(() => {
          const stats: Record<string, Tensor> = {};
          const y = applyLayers(spec, params, x, applyOptions(o, stats));
          return (o.stats ? { y, stats } : { y }) as unknown as tf.TensorContainer;
        }) as unknown as VjpResult;
      },
      async vjp(params, x, gy, wrt, o): Promise<VjpResult> {
        const names = wrt.params ? Object.keys(params) : [];
        const extras = wrt.inputs ?? [];
        return tf.tidy(() => {
          // Differentiate only with respect to what was asked for: [x?, ...params, ...extra inputs].
          const inputs: Tensor[] = [...(wrt.x ? [x] : []), ...names.map((n) => params[n]!), ...extras.map((n) => o.inputs[n]!)];
          const off = wrt.x ? 1 : 0;
          let y: Tensor | undefined;
          const stats: Record<string, Tensor> = {};
          const f = (...args: Tensor[]) => {
            const p: Record<string, Tensor> = { ...params };
            names.forEach((n, i) => (p[n] = args[i + off]!));
            const e: Record<string, Tensor> = { ...o.inputs };
            extras.forEach((n, i) => (e[n] = args[i + off + names.length]!));
            // tf.grads disposes what f allocates; keep the forward output and statistics for the caller.
            y = tf.keep(applyLayers(spec, p, wrt.x ? args[0]! : x, { ...applyOptions(o, stats), inputs: e }));
            for (const t of Object.values(stats)) tf.keep(t);
            return tf.sum(tf.mul(y, gy));
          };
          const grads = inputs.length ? tf.grads(f)(inputs) : (f(), []);
          const out: VjpResult = { y: y! };
          if (o.stats) out.stats = stats;
          if (wrt.x) out.gx = grads[0]!;
          if (wrt.params) {
            out.gParams = {};
            names.forEach((n, i) => (out.gParams![n] = grads[i + off]!));
          }
          if (extras.length) {
            out.gInputs = {};
            extras.forEach((n, i) => (out.gInputs![n] = grads[i + off + names.length]!));
          }
          return out as unknown as tf.TensorContainer;
        }) as unknown as VjpResult;
      },
      dispose() {},
    };
  },
};
