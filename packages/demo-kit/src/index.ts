/**
 * @ebm/demo-kit (private, never published): what every apps/demo-* shares — the demo contract's
 * command line, the run folder, training with a report, data folders, class folders, held-out
 * splits and seed offsets, and classifier selection by validation. The CLI test harness is the
 * `@ebm/demo-kit/testing` entry.
 */
export { InputError } from './errors';
export { runCli } from './run-cli';
export { listenForInterrupt, type Interrupt } from './interrupt';
export { prepareRunFolder, resolveOut } from './run-folder';
export { startDemo, demoMain, parseDemoArgs, helpText, shapeLimit, SHAPE_LIMIT, type DemoDefinition, type RunContext, type TaskResult, type Mode } from './demo';
export { readDataFolder, readDataPath, describeFolder, DEFAULT_READ, type DataFolder, type ReadDataFolderOptions, type ReadOptions } from './data-folder';
export { majorityAccuracy, readClassFolders, splitClasses, type ClassSplit } from './class-folders';
export { avg, holdOut, SEED_OFFSET } from './split';
export { followTraining, trainWithReport, type OnStep, type TrainJob } from './train';
export { fewLabelAccuracy, fewLabelInfos, fewLabelMetrics, FEW_LABEL_DRAWS, FEW_LABELS, selectClassifier, type FeatureCandidate, type FeatureRows, type SelectedClassifier } from './classifier';
