/**
 * Starts WebGPU, else wasm, else plain JavaScript (or the one `?backend=` names), with snn-ts's fused
 * kernels registered. The wasm binaries are imported as assets, so Vite copies them into the build and
 * the page fetches them from its own origin (it works offline and from any sub-folder).
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import '@snn/backend-webgpu/register';
import '@snn/backend-wasm/register';
import { initBackend, type BackendName } from '@snn/tensor';

const PAGE_BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** Starts the backend `?backend=` asks for, or the first of WebGPU, wasm, cpu that works; resolves to its name. */
export async function startBackend(search: string): Promise<BackendName> {
  const asked = new URLSearchParams(search).get('backend');
  if (asked !== null && asked !== 'auto' && !PAGE_BACKENDS.includes(asked as BackendName)) {
    throw new Error(`the URL parameter 'backend' expected one of auto, ${PAGE_BACKENDS.join(', ')}; received '${asked}'`);
  }
  setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlainUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl });
  return initBackend(asked === null || asked === 'auto' ? PAGE_BACKENDS : (asked as BackendName), { allowSoftwareWebGPU: true });
}
