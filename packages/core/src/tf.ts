/**
 * The one tfjs import. The `@tensorflow/tfjs` union package is required (not tfjs-core alone): in Node
 * only the union registers the gradient functions that `tf.grad` needs. Use the functional API only
 * (`tf.add(a, b)`, never `a.add(b)`): chained ops are not registered in every install.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Variable = tf.Variable;
export type Rank = tf.Rank;
