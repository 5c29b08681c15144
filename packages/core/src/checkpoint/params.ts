import type { Energy } from '../energy/energy';
import { CheckpointError } from '../errors';
import { tf } from '../tf';
import type { ParamValues } from './checkpoint';

type Holder = Pick<Energy, 'params' | 'state'>;
const variablesOf = (energy: Holder) => ({ ...energy.params, ...energy.state });

/** Copies an energy's parameters (and state, such as batch-norm running statistics) into checkpoint form. */
export async function snapshotParams(energy: Holder): Promise<ParamValues> {
  const out: ParamValues = {};
  for (const [n, v] of Object.entries(variablesOf(energy))) out[n] = { shape: v.shape.slice(), values: (await v.data()) as Float32Array };
  return out;
}

/**
 * Assigns checkpoint parameters to an energy's variables.
 * @throws CheckpointError naming the parameter that is missing, extra or of another shape.
 */
export function restoreParams(energy: Holder, params: ParamValues, source = 'checkpoint.json'): void {
  const vars = variablesOf(energy);
  const names = Object.keys(vars);
  for (const n of Object.keys(params)) if (!names.includes(n)) throw new CheckpointError(source, `has parameter "${n}", which the model does not have`);
  for (const n of names) {
    const p = params[n];
    const v = vars[n]!;
    if (!p) throw new CheckpointError(source, `lacks parameter "${n}" of the model`);
    if (p.shape.length !== v.shape.length || p.shape.some((d, i) => d !== v.shape[i])) {
      throw new CheckpointError(source, `parameter "${n}" has shape [${p.shape}], the model needs [${v.shape}]`);
    }
  }
  for (const n of names) {
    const t = tf.tensor(params[n]!.values, params[n]!.shape);
    vars[n]!.assign(t);
    t.dispose();
  }
}
