/**
 * Side-effect entry: `import '@snn/backend-wasm/register'` registers the wasm kernels and waits for
 * the kernels module to compile (a top-level await), so that no kernel call has to compile it
 * synchronously — which browsers refuse on the main thread for modules over 4 KiB.
 *
 * @module
 */
import { precompileWasmKernels, registerWasmKernels } from './index.js';

registerWasmKernels();
await precompileWasmKernels();
