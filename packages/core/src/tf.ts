/**
 * The one tfjs import: tfjs-core's ops, the pure-JS CPU backend, and tfjs-core's gradient
 * functions. In Node, tfjs-core's main entry registers no gradients (`tf.grad` fails with "gradient
 * function not found"); the `@tensorflow/tfjs` union registers them but installs webgl, layers,
 * converter and data too (~210 MB). Their registration module is ESM with extensionless imports, so
 * the build bundles it (tsup `noExternal`); the copies register into tfjs's global registry.
 * Use the functional API only (`tf.add(a, b)`, never `a.add(b)`): chained ops are not registered.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Variable = tf.Variable;
export type Rank = tf.Rank;
