/**
 * demo-toy: learn the 8-Gaussian ring with a small MLP energy by maximum likelihood with Langevin
 * synthesis, then sample it, score it and write the run folder (the demo contract: each demo's README).
 *
 *   pnpm --filter @ebm/demo-toy start ring [--data FILE.csv] [--out DIR] [--quick|--smoke] [--seed N]
 */
import { startDemo } from '@ebm/demo-kit';
import { ring } from './task-ring';

startDemo({
  name: 'demo-toy',
  tasks: { ring: { help: 'learn the 8-Gaussian ring (or your 2-D points with --data) and sample it', run: ring } },
  data: { arg: 'FILE', help: '2-D points, one "x,y" per line (CSV); default: 4000 points of the built-in ring' },
  modes: { quick: 'a real run in under 2 minutes on 2 CPU cores', full: 'the full run trains 3000 iterations.' },
  strict: false,
});
