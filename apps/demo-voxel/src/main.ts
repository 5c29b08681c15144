/**
 * demo-voxel: the 3D DescriptorNet (Xie et al., CVPR 2018) on voxel shapes — synthesis, recovery,
 * super-resolution and classification, each learned by maximum likelihood with Langevin chains on
 * the onnx runtime and scored against a baseline from the same run (the demo contract: each
 * demo's README).
 *
 *   pnpm --filter @ebm/demo-voxel start -- <task> [--data PATH] [--category chair] [--out DIR] [--up y|z] [--quick|--smoke] [--seed N]
 */
import { shapeLimit, startDemo } from '@ebm/demo-kit';
import { MESH_EXTENSIONS, SHAPE_CATEGORIES } from '@ebm/voxel';
import { classify } from './tasks/classify';
import { recover } from './tasks/recover';
import { superres } from './tasks/superres';
import { synthesize } from './tasks/synthesize';

startDemo({
  name: 'demo-voxel',
  tasks: {
    synthesize: { help: 'learn the shapes of one category and synthesize new ones', run: synthesize },
    recover: { help: 'learn to fill in shapes of the category with 70% of their voxels hidden; score on unseen ones', run: recover },
    superres: { help: 'learn to upsample 16³ shapes of the category to 32³; score on unseen ones', run: superres },
    classify: { help: 'learn one descriptor on shapes of several classes; classify held-out shapes from its features', run: classify },
  },
  data: {
    arg: 'PATH',
    help: `synthesize/recover/superres: a folder of .binvox/.npy/.npz/.h5/.mat voxel files (any side, resampled to the run's) or
${MESH_EXTENSIONS.join('/')} meshes of one category, searched recursively, or one such file; an .npy, .npz or HDF5
array of N×D×H×W holds N shapes (recover and superres hold out the last quarter);
classify: one subfolder per class (with train/ and test/ inside, or a quarter held out).
Default: procedural shapes made by @ebm/voxel`,
  },
  category: { values: SHAPE_CATEGORIES, default: 'chair', help: 'procedural category without --data', notFor: ['classify'] },
  up: "which axis points up in the --data files: y (ShapeNet, the default) or z (ModelNet's OFF files,\nmany STL and scan files); z-up shapes are turned to stand on y",
  limit: shapeLimit('voxel or mesh'),
  modes: { quick: 'a run of 3 to 9 minutes on 2 CPU cores (16³ grids; superres 16³ → 32³)', full: 'the full run trains on 32³ grids (tens of minutes to hours on a CPU).' },
});
