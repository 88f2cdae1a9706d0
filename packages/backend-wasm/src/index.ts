/**
 * @snn/backend-wasm — the fused neuron kernels of @snn/functional for tfjs's wasm backend.
 *
 * Every neuron model is a spec (@snn/functional's `defineNeuron`); its plan — one Euler step and its
 * adjoint as straight-line float32 code — is compiled here at run time into a small SIMD wasm module
 * (src/plan/), instantiated on tfjs-backend-wasm's own memory: a kernel reads the input tensors and
 * writes the output tensors where they lie on the backend's heap. Feed-forward integrals run a whole
 * time loop in one call (`compileWasmPlan`); recurrent sequences (`compileWasmRecurrentPlan`) loop over
 * time in JavaScript, calling the event-driven recurrent product of a small AssemblyScript module
 * (assembly/recurrent.ts) and the generated step. The backward kernels run BPTT with the surrogate.
 * The same AssemblyScript module holds the spike-sparse products (`SnnSpikeMatMul`, `SnnSpikeConv2d`).
 *
 *     import { registerWasmKernels } from '@snn/backend-wasm';
 *     registerWasmKernels();            // or: import '@snn/backend-wasm/register'
 *
 * Once registered, `lifFeedForwardIntegral` & co. (and the modules built on them) take their generated
 * kernel whenever the active backend is `wasm` and every parameter is a plain number.
 *
 * One thread. In Node, tfjs-backend-wasm runs its single-threaded build, whose memory is an ordinary
 * (unshared) WebAssembly.Memory: a worker thread cannot see it (posting it throws DataCloneError),
 * so a second thread would have to copy the inputs into shared memory and the outputs back — as
 * much memory traffic as the kernel itself, which is bound by memory and instruction throughput.
 * Where tfjs runs its threaded build (a cross-origin-isolated page) the memory is shared and every
 * module here has a shared-memory build (instantiated there on that memory), but a synchronous
 * tfjs kernel on the main thread could only wait for a worker by spinning (Atomics.wait is refused
 * there), and tfjs runs one thread on a 2-core machine anyway: the kernels stay on the calling thread.
 *
 * Memory: tfjs-backend-wasm's heap is capped at 4 GiB; a kernel whose outputs do not fit throws an
 * out-of-memory Error instead of writing through the null pointer the backend's malloc returns.
 *
 * @module
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { registerFusedKernels, type FusedKernelRegistration } from '@snn/tensor';
import { SPIKE_MATMUL_WASM_KERNELS } from './kernels/sparse-matmul.js';
import { SPIKE_CONV2D_WASM_KERNELS } from './kernels/sparse-conv2d.js';
import { precompileWasmKernels } from './heap.js';
import { registerPlanCompiler, registerRecurrentPlanCompiler } from '@snn/functional';
import { compileWasmPlan } from './plan/compile.js';
import { compileWasmRecurrentPlan } from './plan/recurrent.js';

export { precompileWasmKernels } from './heap.js';
export { compileWasmPlan, precompileWasmPlan } from './plan/compile.js';
export { compileWasmRecurrentPlan } from './plan/recurrent.js';

/**
 * The kernels this package registers by name (forward and `…Grad`), for the `wasm` backend: the
 * spike-sparse products. The neuron kernels are generated per spec on first use (the plan compilers).
 */
export const WASM_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  ...SPIKE_MATMUL_WASM_KERNELS,
  ...SPIKE_CONV2D_WASM_KERNELS,
});

/** The kernel names this package registers. */
export const WASM_KERNEL_NAMES: readonly string[] = Object.freeze(Object.keys(WASM_KERNELS));

/**
 * Registers the spike-sparse product kernels for tfjs's `wasm` backend (harmless to call twice),
 * `compileWasmPlan` and `compileWasmRecurrentPlan` as the `wasm` backend's plan compilers (every
 * spec'd model's kernels — the built-in models' and user-defined ones — generated on first use), and
 * starts compiling the kernels module in the background (see `precompileWasmKernels`). `unregister()`
 * on the result removes the product kernels again; `setFusedKernelsEnabled(false)` (@snn/tensor) sends
 * every model to its composite path.
 */
export function registerWasmKernels(): FusedKernelRegistration {
  const registration = registerFusedKernels('wasm', WASM_KERNELS);
  // Models defined by a neuron spec get their kernels generated from its plan on first use (plan/compile.ts).
  registerPlanCompiler('wasm', compileWasmPlan);
  // Recurrent specs (plan.recurrent) get their sequence kernels from the recurrent generator (plan/recurrent.ts).
  registerRecurrentPlanCompiler('wasm', compileWasmRecurrentPlan);
  // A failed background compile is not fatal: the first kernel call compiles synchronously and reports the error there.
  precompileWasmKernels().catch(() => undefined);
  return registration;
}
