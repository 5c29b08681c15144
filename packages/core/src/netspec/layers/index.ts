/** The built-in layer modules, registered by the package entry (index.ts). */
import type { LayerModule } from '../registry';
import { activationLayer, leakyReluLayer } from './activation';
import { concatLayer } from './concat';
import { convLayer } from './conv';
import { denseLayer } from './dense';
import { normLayer } from './norm';
import { padLayer } from './pad';
import { axisPoolLayer } from './pool-axis';
import { windowPoolLayer } from './pool-window';
import { reshapeLayer } from './reshape';
import { residualLayer } from './residual';
import { upsampleLayer } from './upsample';

export const BUILTIN_LAYERS = [convLayer, denseLayer, axisPoolLayer, windowPoolLayer, padLayer, upsampleLayer, leakyReluLayer, activationLayer, normLayer, reshapeLayer, residualLayer, concatLayer] as unknown as LayerModule[];
