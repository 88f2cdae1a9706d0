/**
 * snn-ts — spiking neural networks for TypeScript on TensorFlow.js, in one package: what
 * `@tensorflow/tfjs` is to tfjs's packages, `snn-ts` is to the `@snn/*` packages. Everything here is
 * re-exported from them unchanged (tensor and backends, surrogates, neuron models, modules, plasticity,
 * encoders, datasets, the fused kernels' registration functions), so the names and the documentation
 * are theirs. `snn-ts/node` adds the Node file loaders; `snn-ts/plot` (Node) and `snn-ts/plot/browser`
 * the plots.
 *
 * **The fast path is on by default.** Importing `snn-ts` (or `snn-ts/node`) registers the fused kernels
 * of cpu, wasm and webgpu as a side effect (`snn-ts/register`, imported below), so every neuron layer's
 * time loop runs as one kernel on whichever backend `initBackend()` starts — with nothing to call. On
 * wasm, `initBackend()` also waits for the kernels module to compile (browsers refuse to compile it
 * synchronously on the main thread); no entry point uses a top-level await. To run the composite
 * op-by-op path instead (to compare the two, or to rule the kernels out while debugging), call
 * `setFusedKernelsEnabled(false)`; `setFusedKernelsEnabled(true)` turns them back on. Programs that
 * import the `@snn/*` packages one by one register kernels themselves (`@snn/backend-wasm/register`, …).
 *
 * To add a package: one `export *` line here (its names must not clash), the dependency in package.json,
 * and its README in the list of the root README.
 *
 * @module
 */
import './register.js';

export * from '@snn/tensor';
export * from '@snn/surrogate';
export * from '@snn/functional';
export * from '@snn/modules';
export * from '@snn/nir';
export * from '@snn/plasticity';
export * from '@snn/encoders';
export * from '@snn/datasets';
export * from '@snn/backend-cpu';
export * from '@snn/backend-wasm';
export * from '@snn/backend-webgpu';
