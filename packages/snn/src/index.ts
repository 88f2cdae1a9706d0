/**
 * snn-ts — spiking neural networks for TypeScript on TensorFlow.js, in one package: what
 * `@tensorflow/tfjs` is to tfjs's packages, `snn-ts` is to the `@snn/*` packages. Everything here is
 * re-exported from them unchanged (tensor and backends, surrogates, neuron models, modules, plasticity,
 * encoders, datasets, the fused kernels' registration functions), so the names and the documentation
 * are theirs. `import 'snn-ts/register'` registers the fused kernels; `snn-ts/node` adds the Node file
 * loaders; `snn-ts/plot` (Node) and `snn-ts/plot/browser` the plots.
 *
 * To add a package: one `export *` line here (its names must not clash), the dependency in package.json,
 * and its README in the list of the root README.
 *
 * @module
 */
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
