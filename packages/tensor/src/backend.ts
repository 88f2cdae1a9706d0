/**
 * Backend selection for Node and the browser.
 *
 * snn-ts has one tensor type, tfjs's own `Tensor`; what varies is the backend that computes it.
 * `initBackend()` starts one of webgpu, tensorflow (tfjs-node), wasm or cpu, registering it on
 * demand so that a user who never asks for WebGPU never loads Dawn.
 */
import * as tf from '@tensorflow/tfjs';
import { installWasmSliceKernels } from './wasm-slice.js';
import { installWasmConvGradKernels } from './wasm-conv-grad.js';
import { installWasmMatMulKernel } from './wasm-matmul.js';
import { installWasmMaxPoolGradKernel } from './wasm-max-pool-grad.js';
import { installWasmIdentityTileKernels } from './wasm-identity-tile.js';
import { installCpuTileKernel } from './cpu-tile.js';
import { installReductionGradients } from './reduction-gradients.js';
import { ensureNodeWebGPU, isNode, describeAdapter, mayHaveHardwareGPU, type AdapterDescription } from './node-webgpu.js';
import { bundledWasmPaths, wasmBinariesMessage, type WasmPaths } from './wasm-paths.js';
import { runBackendPreparations } from './preparations.js';

/** The backends snn-ts knows how to start. */
export type BackendName = 'webgpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Every backend name, in the order of the default preference in a browser. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['webgpu', 'tensorflow', 'wasm', 'cpu']);

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /**
   * Accept a WebGPU adapter that runs on the CPU (Mesa llvmpipe, SwiftShader). The default
   * preference in Node skips such adapters because the wasm backend is faster there; naming
   * `'webgpu'` explicitly accepts them unless this is `false`.
   */
  readonly allowSoftwareWebGPU?: boolean;
  /**
   * In a browser, where tfjs-backend-wasm fetches its `.wasm` binaries from: a folder URL ending in `/`,
   * or a URL per file name. By default the locations the bundler emitted (Vite and webpack 5 do; see the
   * README's bundler section); `false` keeps what you set with tfjs's own `setWasmPaths`. Ignored in Node.
   */
  readonly wasmPaths?: WasmPaths | false;
  /**
   * Let the backends print their notices (tfjs's "install tfjs-node" banner on cpu in Node). Off by default;
   * the environment variable `SNN_VERBOSE=1` turns it on too.
   */
  readonly verbose?: boolean;
}

/** What `initBackend` found out about the WebGPU adapter it used, if it used one. */
let lastAdapter: AdapterDescription | undefined;

/** The WebGPU adapter behind the `webgpu` backend, once `initBackend` has started it. */
export function webgpuAdapterInfo(): AdapterDescription | undefined {
  return lastAdapter;
}

/**
 * The default order. The cpu backend is not in it: it is 10–20× slower than wasm, so falling back to it
 * silently would hide a broken setup (a bundle without the wasm binaries); name it to accept it.
 */
function defaultPreference(): BackendName[] {
  return isNode() ? ['tensorflow', 'webgpu', 'wasm'] : ['webgpu', 'wasm'];
}

function verboseByDefault(): boolean {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['SNN_VERBOSE'] === '1';
}

function isBackendName(x: unknown): x is BackendName {
  return typeof x === 'string' && (BACKEND_NAMES as readonly string[]).includes(x);
}

/**
 * Starts a backend and makes it tfjs's current one; resolves to the name it started.
 *
 * - `initBackend()` tries, in Node: tensorflow (only when the user installed `@tensorflow/tfjs-node`),
 *   webgpu on a hardware adapter (only with the `webgpu` package installed), wasm; in a browser: webgpu, wasm.
 *   It never falls back to cpu by itself (`initBackend(['wasm', 'cpu'])` does): it throws, saying what failed.
 * - `initBackend('webgpu')` starts exactly that backend or throws an Error that says why it cannot.
 * - `initBackend(['webgpu', 'wasm'])` tries the names in order and throws, with every reason, if none starts.
 */
export async function initBackend(
  preference?: BackendName | readonly BackendName[],
  options: InitBackendOptions = {},
): Promise<BackendName> {
  const explicit = preference !== undefined;
  const names = preference === undefined ? defaultPreference() : typeof preference === 'string' ? [preference] : [...preference];
  if (names.length === 0) {
    throw new Error(`initBackend: argument 'preference' expected a backend name or a non-empty list of ${BACKEND_NAMES.join(', ')}; received []`);
  }
  for (const name of names) {
    if (!isBackendName(name)) {
      throw new Error(`initBackend: argument 'preference' expected one of ${BACKEND_NAMES.join(', ')}; received ${JSON.stringify(name)}`);
    }
  }
  const reasons: string[] = [];
  for (const name of names) {
    // A single explicit name accepts a software adapter: the user asked for WebGPU itself.
    const allowSoftware = options.allowSoftwareWebGPU ?? (explicit && names.length === 1);
    try {
      await startBackend(name, allowSoftware, options);
      return name;
    } catch (error) {
      reasons.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (names.length === 1) throw new Error(`initBackend: backend '${names[0]}' cannot start: ${reasons[0]!.slice(names[0]!.length + 2)}`);
  const hint = explicit ? '' : "\n(the default never falls back to the slow cpu backend: initBackend([..., 'cpu']) accepts it)";
  throw new Error(`initBackend: none of ${names.join(', ')} could start:\n  ${reasons.join('\n  ')}${hint}`);
}

async function startBackend(name: BackendName, allowSoftwareWebGPU: boolean, options: InitBackendOptions): Promise<void> {
  let wasmPaths: WasmPaths | false | undefined;
  // Every backend: the gradients of sum and mean as one broadcast (reduction-gradients.ts).
  installReductionGradients();
  switch (name) {
    case 'cpu':
      installCpuTileKernel();
      break;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In a browser, point tfjs at the binaries the bundler emitted (before the backend first starts).
      if (!isNode() && !tf.findBackend('wasm')) {
        wasmPaths = options.wasmPaths ?? bundledWasmPaths();
        if (wasmPaths !== false) wasm.setWasmPaths(wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
      }
      installWasmSliceKernels();
      installWasmConvGradKernels();
      installWasmMatMulKernel();
      installWasmMaxPoolGradKernel();
      installWasmIdentityTileKernels();
      break;
    }
    case 'tensorflow': {
      if (!isNode()) throw new Error('the tensorflow backend (@tensorflow/tfjs-node) exists only in Node');
      // A computed specifier keeps bundlers from resolving an optional peer that is not installed.
      const specifier = ['@tensorflow', 'tfjs-node'].join('/');
      try {
        await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
      } catch (error) {
        throw new Error(`@tensorflow/tfjs-node is not installed or does not load (${firstLine(error)}); install it beside @tensorflow/tfjs to use this backend`);
      }
      break;
    }
    case 'webgpu': {
      if (!allowSoftwareWebGPU && isNode() && !(await mayHaveHardwareGPU())) {
        throw new Error('this machine has no GPU device (/dev/dri/renderD*, /dev/nvidia*); a WebGPU adapter would run on the CPU, where the wasm backend is faster');
      }
      const adapter = await ensureNodeWebGPU();
      if (adapter.isSoftware && !allowSoftwareWebGPU) {
        throw new Error(`the only WebGPU adapter runs on the CPU (${adapter.summary}); the wasm backend is faster there (pass { allowSoftwareWebGPU: true } or name 'webgpu' alone to use it)`);
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      lastAdapter = adapter;
      break;
    }
  }
  if (tf.getBackend() === name && tf.findBackend(name)) {
    await runBackendPreparations(name);
    return;
  }
  if (!tf.findBackendFactory(name)) {
    throw new Error(`no tfjs backend named '${name}' is registered after loading its package`);
  }
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { warnings.push(args.map(String).join(' ')); };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
  }
  if (!ok) {
    const reason = `tf.setBackend('${name}') failed${warnings.length ? `: ${warnings.join('; ')}` : ''}`;
    if (name === 'wasm' && wasmPaths !== undefined) throw new Error(wasmBinariesMessage(reason, wasmPaths));
    throw new Error(reason);
  }
  await tf.ready();
  if (name === 'cpu' && !(options.verbose ?? verboseByDefault())) quietCpuBanner();
  await runBackendPreparations(name);
}

/**
 * tfjs's cpu backend prints a banner in Node on its first use, urging to install tfjs-node (a native
 * download): snn-ts users chose cpu on purpose, so it stays quiet unless `verbose` asks for it.
 */
function quietCpuBanner(): void {
  const backend = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (backend && typeof backend.firstUse === 'boolean') backend.firstUse = false;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0]!;
}

export { describeAdapter };
