/**
 * `snn-ts/register` registers the fused kernels of every backend snn-ts has kernels for — cpu, wasm and
 * webgpu — so that each neuron layer's time loop runs as one kernel on whichever of them `initBackend()`
 * starts. `snn-ts` itself imports it: a program that imports `snn-ts` has the fast path without naming
 * this entry (`setFusedKernelsEnabled(false)` turns the kernels off). Registering a backend's kernels costs
 * nothing when that backend never runs. `initBackend('wasm')` waits for the wasm kernels module to compile
 * (no top-level await here).
 *
 * @module
 */
import '@snn/backend-cpu/register';
import '@snn/backend-wasm/register';
import '@snn/backend-webgpu/register';
