/**
 * Side-effect entry: `import '@snn/backend-wasm/register'` registers the wasm kernels and has
 * `initBackend('wasm')` wait until the kernels module is compiled, so that no kernel call has to compile
 * it synchronously — which browsers refuse on the main thread for modules over 4 KiB. No top-level
 * await: the wait happens inside `initBackend`, which every program awaits anyway.
 *
 * @module
 */
import { addBackendPreparation } from '@snn/tensor';
import { precompileWasmKernels, registerWasmKernels } from './index.js';

registerWasmKernels();
addBackendPreparation('wasm', precompileWasmKernels);
