/**
 * The nets of cooperative learning as NetSpecs (research: papers.md §2.5, §2.6): CoopNets'
 * descriptor and generator, the class-conditional pair of Conditional CoopNets, and a ResNet-style
 * image-to-image initializer for recovery. Each is the official architecture at `width` 1 or a
 * CPU-sized variant at a smaller width, with the scale-down written in the presets' `source`.
 */
import { InvalidOptionError, netSpec, type LayerSpec, type NetSpec } from '@ebm/core';

const lrelu: LayerSpec = { type: 'leakyRelu', alpha: 0.2 };
/** CoopNets initialises both nets with N(0, 0.02²)-style small weights (DCGAN); He init is used where batch norm follows. */
const SMALL = { dist: 'normal', std: 0.02 } as const;

const filters = (n: number, width: number) => Math.max(4, Math.round(n * width));

/**
 * Halvings from `size` down to the generator's first map: stop at an odd side or at 4 px
 * (28 → 14 → 7: two; 64 → … → 4: four; 32 → … → 4: three).
 */
function halvings(size: number): number {
  let s = size;
  let l = 0;
  while (s % 2 === 0 && s > 4) {
    s /= 2;
    l++;
  }
  if (l === 0) throw new InvalidOptionError('coopGeneratorNet', 'size', size, 'an even size (the generator doubles its maps to reach it)');
  return l;
}

/**
 * CoopNets' descriptor (jianwen-xie/CoopNets model.py, MNIST): 64 / 128 / 256 filters of 4×4,
 * stride 2, leaky-ReLU 0.2, then a fully connected layer of 100 outputs whose sum is the score f.
 * `width` scales the filters (1 = official). With `labels`, the one-hot label is tiled and
 * concatenated after the second conv (Conditional CoopNets' MNIST descriptor: 64 @ 5×5 s2 → 128 @
 * 3×3 s2 → concat → 256 @ 3×3 s1 → fc 100).
 */
export function coopDescriptorNet(size = 28, channels = 1, width = 1, labels?: number): NetSpec {
  const f = (n: number) => filters(n, width);
  const layers: LayerSpec[] = labels
    ? [
        { type: 'conv2d', filters: f(64), kernel: 5, stride: 2, init: SMALL },
        lrelu,
        { type: 'conv2d', filters: f(128), kernel: 3, stride: 2, init: SMALL },
        lrelu,
        { type: 'concat', input: 'label' },
        { type: 'conv2d', filters: f(256), kernel: 3, init: SMALL },
        lrelu,
      ]
    : [
        { type: 'conv2d', filters: f(64), kernel: 4, stride: 2, init: SMALL },
        lrelu,
        { type: 'conv2d', filters: f(128), kernel: 4, stride: 2, init: SMALL },
        lrelu,
        { type: 'conv2d', filters: f(256), kernel: 4, stride: 2, init: SMALL },
        lrelu,
      ];
  const name = `coop-descriptor${labels ? '-cond' : ''}${width === 1 ? '' : `-w${width}`}`;
  return netSpec([size, size, channels], [...layers, { type: 'flatten' }, { type: 'dense', units: 100, init: SMALL }], name, labels ? { inputs: { label: [labels] } } : {});
}

/**
 * CoopNets' generator (DCGAN-style): z → dense to the first map → batch norm → ReLU, then
 * transposed 5×5 convs of stride 2 that double the map and halve the filters, each with batch
 * norm and ReLU, to a tanh image in [−1, 1]. Official (MNIST, Conditional CoopNets): z 100 (128
 * with labels), maps 7×7×128 → 14×14×64 → 28×28×1 at `ngf` 64. With `labels` the one-hot label
 * is concatenated to z.
 */
export function coopGeneratorNet(size = 28, channels = 1, latent = 100, ngf = 64, labels?: number): NetSpec {
  const l = halvings(size);
  const s0 = size / 2 ** l;
  const layers: LayerSpec[] = [
    ...(labels ? [{ type: 'concat', input: 'label' } as LayerSpec] : []),
    { type: 'dense', units: s0 * s0 * ngf * 2 ** (l - 1) },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'reshape', shape: [s0, s0, ngf * 2 ** (l - 1)] },
  ];
  for (let i = l - 2; i >= 0; i--) layers.push({ type: 'conv2dTranspose', filters: ngf * 2 ** i, kernel: 5, stride: 2 }, { type: 'batchNorm' }, { type: 'relu' });
  layers.push({ type: 'conv2dTranspose', filters: channels, kernel: 5, stride: 2, init: SMALL }, { type: 'tanh' });
  return netSpec([latent], layers, `coop-generator${labels ? '-cond' : ''}-ngf${ngf}`, labels ? { inputs: { label: [labels] } } : {});
}

/**
 * The image-to-image initializer of recovery (Conditional CoopNets' ResNet generator, CCoopNets
 * ResNet-128, scaled to small images): the damaged image and its mask as channels [H, W, C + 1]
 * → conv 3×3 → conv 4×4 s2 → `blocks` residual blocks (conv–BN–ReLU–conv–BN) → transposed conv
 * 4×4 s2 → conv 3×3 → tanh. Official: 128 px, 9 blocks of 256 filters at ngf 64.
 */
export function recoveryGeneratorNet(size = 28, channels = 1, ngf = 32, blocks = 2): NetSpec {
  if (size % 2 !== 0) throw new InvalidOptionError('recoveryGeneratorNet', 'size', size, 'an even size');
  const block: LayerSpec = {
    type: 'residual',
    layers: [{ type: 'conv2d', filters: 2 * ngf, kernel: 3 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'conv2d', filters: 2 * ngf, kernel: 3 }, { type: 'batchNorm' }],
  };
  return netSpec([size, size, channels + 1], [
    { type: 'conv2d', filters: ngf, kernel: 3 },
    { type: 'relu' },
    { type: 'conv2d', filters: 2 * ngf, kernel: 4, stride: 2 },
    { type: 'batchNorm' },
    { type: 'relu' },
    ...Array.from({ length: blocks }, () => block),
    { type: 'conv2dTranspose', filters: ngf, kernel: 4, stride: 2 },
    { type: 'batchNorm' },
    { type: 'relu' },
    { type: 'conv2d', filters: channels, kernel: 3, init: SMALL },
    { type: 'tanh' },
  ], `recovery-generator-ngf${ngf}`);
}
