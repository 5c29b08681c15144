/**
 * demo-video: spatial-temporal generative ConvNets (STGConvNet) on video — dynamic-texture
 * synthesis from one video, and recovery of occluded pixels and missing frames learned from the
 * damaged video alone, on the onnx runtime, each scored against baselines from the same run (the
 * demo contract: README).
 *
 *   pnpm --filter @ebm/demo-video start -- <task> [--data PATH] [--out DIR] [--quick|--smoke|--full] [--seed N]
 */
import { startDemo } from '@ebm/demo-kit';
import { recover } from './tasks/recover';
import { synthesize } from './tasks/synthesize';

startDemo({
  name: 'demo-video',
  tasks: {
    synthesize: { help: 'learn the dynamic texture of one video and synthesize new clips (also longer ones)', run: synthesize },
    recover: { help: 'learn from a video with hidden pixels (50% at random) and hidden frames, and recover them', run: recover },
  },
  data: {
    arg: 'PATH',
    help: `an animated GIF, a folder of PNG/JPEG/BMP/TIFF/PGM/PPM frames (in name order), an .npy array
(T×H×W[×C]; Moving MNIST's T×N×H×W: its first sequence), or a video
file (MP4, AVI, WebM, MOV, … through the system's ffmpeg).
Default: procedural travelling waves with flicker and noise`,
  },
  strict: false,
  modes: { quick: 'a run of at most about 5 minutes per task on 2 CPU cores (16 frames × 32×32)', full: 'a longer run at 24 frames × 64×64: about an hour on 2 CPU cores.' },
});
