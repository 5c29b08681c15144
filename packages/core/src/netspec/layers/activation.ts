/** Elementwise activations; they work in either ONNX layout, so no transposes surround them. */
import { tf } from '../../tf';
import type { LayerModule } from '../registry';
import type { ActivationLayer, LeakyReluLayer } from '../types';

export const leakyReluLayer: LayerModule<LeakyReluLayer> = {
  types: ['leakyRelu'],
  layout: 'any',
  infer(layer, ctx) {
    if (layer.alpha !== undefined && !(layer.alpha >= 0 && layer.alpha < 1)) ctx.fail(`alpha must be in [0, 1), got ${layer.alpha}`);
    return ctx.inShape;
  },
  apply: (layer, x) => tf.leakyRelu(x, layer.alpha ?? 0.2),
  lower(layer, x, { b }) {
    const alpha = layer.alpha ?? 0.2;
    // Backward constants are made in the closure: a forward-only graph must not carry unused ones.
    return {
      y: b.op1('LeakyRelu', [x], { alpha: { float: alpha } }),
      back: (g) => b.op1('Where', [b.op1('Greater', [x, b.scalar(0)]), g, b.op1('Mul', [g, b.scalar(alpha)])]),
    };
  },
};

export const activationLayer: LayerModule<ActivationLayer> = {
  types: ['relu', 'swish', 'tanh', 'sigmoid', 'softplus'],
  layout: 'any',
  infer: (_, ctx) => ctx.inShape,
  apply(layer, x) {
    switch (layer.type) {
      case 'relu':
        return tf.relu(x);
      case 'swish':
        return tf.mul(x, tf.sigmoid(x));
      case 'tanh':
        return tf.tanh(x);
      case 'sigmoid':
        return tf.sigmoid(x);
      case 'softplus':
        return tf.softplus(x);
    }
  },
  lower(layer, x, { b }) {
    const one = () => b.scalar(1);
    switch (layer.type) {
      case 'relu':
        return { y: b.op1('Relu', [x]), back: (g) => b.op1('Where', [b.op1('Greater', [x, b.scalar(0)]), g, b.scalar(0)]) };
      case 'swish': {
        const s = b.op1('Sigmoid', [x]);
        // d/dx x·σ(x) = σ(x)·(1 + x·(1 − σ(x)))
        return { y: b.op1('Mul', [x, s]), back: (g) => b.op1('Mul', [g, b.op1('Mul', [s, b.op1('Add', [one(), b.op1('Mul', [x, b.op1('Sub', [one(), s])])])])]) };
      }
      case 'tanh': {
        const y = b.op1('Tanh', [x]);
        return { y, back: (g) => b.op1('Mul', [g, b.op1('Sub', [one(), b.op1('Mul', [y, y])])]) };
      }
      case 'sigmoid': {
        const y = b.op1('Sigmoid', [x]);
        return { y, back: (g) => b.op1('Mul', [g, b.op1('Mul', [y, b.op1('Sub', [one(), y])])]) };
      }
      case 'softplus':
        return { y: b.op1('Softplus', [x]), back: (g) => b.op1('Mul', [g, b.op1('Sigmoid', [x])]) };
    }
  },
};
