/**
 * demo-pointcloud: Generative PointNet (Xie et al., CVPR 2021) on point clouds — generation,
 * reconstruction, interpolation and classification, each learned by maximum likelihood with
 * short-run Langevin chains on the onnx runtime and scored against baselines from the same run
 * (the demo contract: each demo's README).
 *
 *   pnpm --filter @ebm/demo-pointcloud start -- <task> [--data PATH] [--category bunny] [--out DIR] [--up y|z] [--quick|--smoke] [--seed N]
 */
import { shapeLimit, startDemo } from '@ebm/demo-kit';
import { MESH_EXTENSIONS } from '@ebm/pointcloud';
import { CATEGORIES } from './data';
import { classify } from './tasks/classify';
import { generate } from './tasks/generate';
import { interpolate } from './tasks/interpolate';
import { reconstruct } from './tasks/reconstruct';

startDemo({
  name: 'demo-pointcloud',
  tasks: {
    generate: { help: 'learn clouds of one category and generate new ones from noise', run: generate },
    reconstruct: { help: "learn them, then reconstruct held-out clouds by inferring the chain's initial noise", run: reconstruct },
    interpolate: { help: 'learn them, then walk between two initial noises (a strip of renders)', run: interpolate },
    classify: { help: 'learn one energy on clouds of several classes; classify held-out clouds from its features', run: classify },
  },
  data: {
    arg: 'PATH',
    help: `generate/reconstruct/interpolate: a folder of .ply/.pcd/.npy/.npz/.h5/.off/.xyz/.txt/.pts clouds or ${MESH_EXTENSIONS.join('/')}
meshes (sampled) of one category, searched recursively, or one such file (an .npy, .npz or HDF5
array of N×P×3 holds N clouds); a quarter held out; classify: one subfolder per class (with
train/ and test/ inside, or a quarter held out), or HDF5 files of labelled clouds (PointNet's
modelnet40_ply_hdf5_2048: data and label, class names from shape_names.txt, files named "test"
for testing).
Default: the Stanford bunny (npm stl-models) or procedural shapes`,
  },
  category: { values: CATEGORIES, default: 'bunny', help: 'without --data', notFor: ['classify'], withData: 'with HDF5 files of labelled clouds as --data: the class to learn (chair)' },
  up: "which axis points up in the --data files: y (ShapeNet, the default) or z (ModelNet's OFF files,\nmany STL and scan files); z-up shapes are turned to stand on y",
  limit: shapeLimit('cloud or mesh'),
  modes: { quick: '256 points, 700 updates: about 5 minutes on 2 CPU cores', full: 'the full run trains on 1024 points for 3000 updates.' },
});
