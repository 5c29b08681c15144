/**
 * @ebm/core: energy-based generative models in TypeScript.
 * p(x) ∝ exp(−U(x)); samplers descend U; a descriptor net's score f enters as U = −f + ‖x‖²/(2σ²).
 */
export { initBackend, currentBackend, type BackendInfo } from './backend';
export { setLogger, log, type Logger } from './log';
export { readStacked } from './stack';
export {
  EbmError,
  InvalidOptionError,
  NetSpecError,
  ShapeMismatchError,
  CheckpointError,
  DivergenceError,
  FormatError,
  BackendUnavailableError,
} from './errors';
export { tf } from './tf';
export type { Tensor, Tensor1D, Tensor2D, Variable } from './tf';
export { deriveSeed, permutation, mulberry32, gaussianArray, tfSeed } from './random';

export type * from './netspec/types';
export { inferShapes, paramCount, outputShape, type NetShapes } from './netspec/shapes';
export { netSpec, netSpecToJSON, parseNetSpec } from './netspec/json';
export { Net, createNet, type CreateNetOptions, type NetInputs } from './netspec/net';
export { registerLayer, layerModule, layerTypes } from './netspec/registry';
export type { LayerModule, InferContext, ApplyContext, LowerContext, LowerOptions, OnnxValue, Lowered, Back } from './netspec/registry';
export type { NetRuntime, NetExecutor, VjpResult, VjpWrt, RunOptions, FusedLangevinStep, FusedLangevinResult } from './runtime/types';
export { tfjsRuntime } from './runtime/tfjs';
export { registerRuntime, runtimeByName, type RuntimeName } from './runtime/registry';

export type { Energy, EnergyAndGrad, EnergyParamGrads } from './energy/energy';
export { gaussianReference, gaussianEnergy, sumPerExample, type GaussianEnergyOptions } from './energy/gaussian';
export { functionEnergy, type EnergyFn } from './energy/function-energy';
export { netEnergy, type NetEnergyOptions } from './energy/net-energy';
export { sumEnergies } from './energy/sum';

export { checkProjection, type Projection, type ProjectionOption } from './sampling/projection';
export { langevin, resolveLangevinOptions, type LangevinOptions, type LangevinResult, type LangevinStats } from './sampling/langevin';
export { fromShortRun, fromSGLD, temperature, type CanonicalStep } from './sampling/convert';
export {
  sampleNoise,
  noiseInit,
  replayBuffer,
  persistentChains,
  maskedStart,
  fixedStarts,
  fromGenerator,
  fromCoarser,
  type NoiseSpec,
  type ChainInitializer,
  type ChainStart,
  type ReplayBufferOptions,
} from './sampling/init';

export { Adam, Sgd, Optimizer, createOptimizer, type AdamOptions, type SgdOptions, type OptimizerOptions } from './training/optimizer';
export { scheduleFactor, noiseFactor, type Schedule, type NoiseAnneal } from './training/schedule';
export { chainInit, type ChainInitSpec, type Preset, type CoopPreset } from './training/preset';
export { mleGradients, mleStep, GradAccumulator, type MleStats, type MleGradients, type MleOptions } from './training/mle';
export { trainMle, type TrainMleOptions } from './training/train-mle';
export { coopStep, inferLatent, type CoopModels, type CoopStepOptions, type CoopStats, type CoopStepResult } from './training/coop';
export { trainCoop, type TrainCoopOptions } from './training/train-coop';
export { trainLoop, type TrainedModel, type IterationContext, type IterationResult, type StepStats, type LoopOptions } from './training/loop';
export { mleIteration, type MleIterationOptions } from './training/mle-iteration';
export { observedBatches, type Batches, type ObservedBatches } from './training/batching';
export { Guard, resolveGuard, type GuardOptions, type ResolvedGuard } from './training/guard';
export { EarlyStopping, type EarlyStoppingOptions, type ScorePoint } from './training/early-stopping';
export { Watch, resolveWatch, MAX_STEPS_SCALE, MIN_COLLAPSE_RATE_SCALE, type WatchOptions, type ResolvedWatch, type WatchFinding } from './training/watch';
export { diversityRatio, nearestDataRatio, reachRatios, type ExampleOrder } from './training/reach';
export type { TrainEvent, ProbeStats, StepEvent, SamplesEvent, CheckpointEvent, DivergedEvent, DoneEvent } from './training/events';

export { saveCheckpoint, loadCheckpoint, type CheckpointData, type ModelState, type ParamValues, type TrainState } from './checkpoint/checkpoint';
export { samplerData, type SamplerData } from './checkpoint/sampler-data';
export { snapshotParams, restoreParams } from './checkpoint/params';

export { Raster, colormap, PALETTE, type Rgb } from './report/raster';
export { linePanel, scatterPanel, niceTicks, formatTick, type Rect, type LineSeries, type LinePanelOptions, type ScatterLayer, type ScatterPanelOptions } from './report/plot';
export { Progress, type ProgressOptions } from './report/progress';
export { RunReport, type Metrics, type RunInfo, type ReportImage } from './report/run-report';
export { svgLineChart, type SvgSeries } from './report/svg';
export type { MetricInfo, MetricInfos } from './report/html';

export { onnxRuntime, type OnnxRuntimeOptions } from './onnx/runtime';
export { GraphBuilder } from './onnx/builder';
export { compileGraph, paramInputName, paramGradName, stateInputName, statOutputName, extraInputName, extraGradName, type CompileOptions, type CompiledGraph } from './onnx/compile';
export { exportOnnx, exportGeneratorOnnx, type ExportOnnxOptions, type ExportedOnnx } from './onnx/export';
export { frechetDistance, frechetFromStats, gaussianStats, type GaussianStats } from './metrics/frechet';
export { gramDistance, gramFeatures, type GramOptions } from './metrics/gram';
export { sniffPixels, decodeRgba, exifOrientation, rgbaToPixels, pixelsToRgba, isGrayPixels, encodePng, encodeJpeg, encodeGif, MAX_PIXELS, type Pixels, type PixelFormat, type RgbaFrames, type DecodeRgbaOptions, type GifOptions } from './pixels';
export { symmetricEigen } from './metrics/linalg';
export { decodeNpy, viewNpy, encodeNpy, unitRangeOf, type NpyArray, type NpyView } from './npy';
export { decodeNpz } from './npz';
export { readZip } from './zip';
export { decodeMat } from './mat';
export { decodePickle, decodeNpyObjects, isObjectNpy, type PickleValue } from './pickle';
export { decodeH5, isH5 } from './h5';
export { decodeArrays, pickArray, ARRAY_FILE_EXTENSIONS, type StoredArray, type PickArrayOptions } from './arrays';
export { withoutBom } from './bom';
export { fitLinearClassifier, fitLinearClassifierByValidation, LinearClassifier, type LinearClassifierOptions } from './classify/linear';

// The built-in layers and runtimes register here, in the entry module, so that netspec/ never
// imports a runtime and a bundler never drops the registration as an unused side effect.
import { BUILTIN_LAYERS } from './netspec/layers';
import { registerLayer as register } from './netspec/registry';
import { registerRuntime as registerRt } from './runtime/registry';
import { tfjsRuntime as tfjsRt } from './runtime/tfjs';
import { onnxRuntime as onnxRt } from './onnx/runtime';

for (const l of BUILTIN_LAYERS) register(l);
registerRt('tfjs', () => tfjsRt);
registerRt('onnx', () => onnxRt());
