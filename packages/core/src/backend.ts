/**
 * tfjs backend selection, best first: `@tensorflow/tfjs-node-gpu` (CUDA) → `@tensorflow/tfjs-node` →
 * the pure-JS `cpu` backend. The native packages are optional peers loaded lazily: their installs
 * download libtensorflow and fail offline, so a missing or unbuilt one must never break ebm.
 * `EBM_BACKEND=cpu|tensorflow|gpu` forces a choice.
 */
import { BackendUnavailableError } from './errors';
import { log } from './log';
import { tf } from './tf';

export interface BackendInfo {
  /** tfjs backend name in use: 'tensorflow' (native, CPU or CUDA) or 'cpu'. */
  backend: string;
  /** Which package provides it. */
  provider: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node' | '@tensorflow/tfjs-backend-cpu';
  /** Why a better backend was not used, if one was tried and failed. */
  fallbackReason?: string;
}

// Names in variables so bundlers leave the optional imports alone.
const GPU_PKG = '@tensorflow/tfjs-node-gpu';
const NODE_PKG = '@tensorflow/tfjs-node';
const CHOICES = ['gpu', 'tensorflow', 'cpu'] as const;
type Choice = (typeof CHOICES)[number];

// On globalThis so the ESM and CJS builds of core, loaded in one process, share one choice.
const KEY = Symbol.for('@ebm/core/backend');
const DONE = Symbol.for('@ebm/core/backendInfo');
type Holder = { [KEY]?: Promise<BackendInfo>; [DONE]?: BackendInfo };

/**
 * Chooses and initialises the tfjs backend once per process; later calls return the same answer.
 * Logs the fallback reason once when a native backend could not be loaded.
 */
export function initBackend(): Promise<BackendInfo> {
  const g = globalThis as Holder;
  return (g[KEY] ??= choose().then((info) => ((g[DONE] = info), info)));
}

/** The backend chosen by a finished `initBackend()`, or undefined before. */
export function currentBackend(): BackendInfo | undefined {
  return (globalThis as { [DONE]?: BackendInfo })[DONE];
}

async function tryNative(pkg: string): Promise<string | undefined> {
  try {
    await import(pkg);
    if (!(await tf.setBackend('tensorflow'))) return `${pkg} loaded but the 'tensorflow' backend did not initialise`;
    return undefined;
  } catch (e) {
    // The first line says what failed; drop the install path it names.
    const msg = String((e as Error).message ?? e).split('\n')[0]!.replace(/ at path: \S+/, '').replace(/\s*\.?\s*$/, '');
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(msg)) return `${pkg} is not installed`;
    // Installed without its install script (it downloads libtensorflow, which fails offline).
    if (/native addon|tfjs_binding/.test(msg)) return `${pkg} is installed but its native addon was never built`;
    return `${pkg} failed to load: ${msg}`;
  }
}

async function choose(): Promise<BackendInfo> {
  const forced = process.env.EBM_BACKEND?.trim().toLowerCase();
  if (forced && !CHOICES.includes(forced as Choice)) {
    throw new BackendUnavailableError(`EBM_BACKEND must be one of ${CHOICES.join(', ')}, got "${forced}"`);
  }
  const reasons: string[] = [];
  if (!forced || forced === 'gpu') {
    const r = await tryNative(GPU_PKG);
    if (!r) return { backend: 'tensorflow', provider: GPU_PKG };
    if (forced) throw new BackendUnavailableError(`EBM_BACKEND=gpu but ${r}`);
    reasons.push(r);
  }
  if (!forced || forced === 'tensorflow') {
    const r = await tryNative(NODE_PKG);
    if (!r) return withReason({ backend: 'tensorflow', provider: NODE_PKG }, reasons);
    if (forced) throw new BackendUnavailableError(`EBM_BACKEND=tensorflow but ${r}`);
    reasons.push(r);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  // tfjs-backend-cpu prints an "install tfjs-node" banner on first use; ebm reports the choice itself.
  (tf.engine().findBackend('cpu') as unknown as { firstUse?: boolean }).firstUse = false;
  return withReason({ backend: 'cpu', provider: '@tensorflow/tfjs-backend-cpu' }, reasons);
}

function withReason(info: BackendInfo, reasons: string[]): BackendInfo {
  if (reasons.length === 0) return info;
  const fallbackReason = reasons.join('; ');
  // Said once per process, in words a user can act on: what was tried, what it means, how to quiet it.
  log(
    'info',
    `tfjs backend: ${info.backend} (${fallbackReason}). ` +
      (info.backend === 'cpu' ? "The tfjs runtime runs on the pure-JS CPU backend; ebm's onnx runtime ('auto' on a CPU) is not affected. " : '') +
      'Set EBM_BACKEND=cpu to skip the native backends and this notice.',
  );
  return { ...info, fallbackReason };
}
