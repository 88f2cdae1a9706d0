/**
 * Starts the fastest tfjs backend this browser offers — WebGPU, else wasm, else plain JavaScript — with
 * snn-ts's fused kernels registered for WebGPU and wasm (each LIF / LI layer's whole time loop as one
 * kernel).
 *
 * The wasm backend loads its `.wasm` binaries at run time. tfjs would fetch them from next to its script
 * (or a CDN); here they are imported as assets, so Vite copies them into the build and the page fetches
 * them from its own origin — it works offline and from any sub-folder.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import '@snn/backend-webgpu/register';
import '@snn/backend-wasm/register';
import { BACKEND_NAMES, initBackend, webgpuAdapterInfo, type BackendName } from '@snn/tensor';

/** The backends the page tries, in order, unless the URL names one (`?backend=wasm`). */
export const PAGE_BACKENDS: readonly BackendName[] = Object.freeze(['webgpu', 'wasm', 'cpu']);

/** The backend the URL's `backend` parameter asks for, or undefined for the default order. */
export function requestedBackend(search: string): BackendName | undefined {
  const name = new URLSearchParams(search).get('backend');
  if (name === null || name === '' || name === 'auto') return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(name) || name === 'tensorflow') {
    throw new Error(`the URL parameter 'backend' expected one of auto, ${PAGE_BACKENDS.join(', ')}; received '${name}'`);
  }
  return name as BackendName;
}

/**
 * Starts `requested` (exactly that one) or the first of PAGE_BACKENDS that works; resolves to its name and
 * a short description of the hardware behind it.
 *
 * A WebGPU adapter that runs on the CPU (SwiftShader, in a browser without a usable GPU) is accepted:
 * the page promises WebGPU wherever the browser offers it, and `initBackend`'s default of skipping such
 * adapters is meant for Node, where the wasm backend would be the faster choice.
 */
export async function startBackend(requested?: BackendName): Promise<{ name: BackendName; detail: string }> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  const name = await initBackend(requested ?? PAGE_BACKENDS, { allowSoftwareWebGPU: true });
  const detail = name === 'webgpu' ? webgpuAdapterInfo()?.summary ?? '' : name === 'wasm' ? 'WebAssembly' : 'JavaScript';
  return { name, detail };
}
