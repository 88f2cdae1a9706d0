/**
 * @snn/tensor — the one tensor type of snn-ts is tfjs's own `Tensor`. This package starts backends
 * (webgpu, tensorflow, wasm, cpu) in Node and the browser, and holds the argument checks and the
 * parameter helpers every other package uses.
 *
 * @module
 */
export type { Tensor, Rank, DataType } from '@tensorflow/tfjs';
export { initBackend, webgpuAdapterInfo, describeAdapter, BACKEND_NAMES } from './backend.js';
export type { BackendName, InitBackendOptions } from './backend.js';
export type { AdapterDescription } from './node-webgpu.js';
export { bundledWasmPaths } from './wasm-paths.js';
export type { WasmPaths, WasmBinaryName } from './wasm-paths.js';
export { addBackendPreparation } from './preparations.js';
export {
  isTensor, describeValue, formatShape, argumentError, assertTensor, assertSameShape, assertDt,
  assertFiniteNumber, broadcastsTo,
} from './validate.js';
export type { TensorExpectation } from './validate.js';
export { mergeParameters, assertParametersBroadcast, hasTensorParameters } from './parameters.js';
export type { ParameterValue, ParameterRules } from './parameters.js';
export { pmul, padd, psub, pdiv, pneg, asTensor } from './scalar-math.js';
export { tidy, stopGradient } from './ops.js';
export {
  defineFusedOp, registerFusedKernels, hasKernel, gradKernelNameOf, gradInputNameOf, setFusedKernelsEnabled,
  fusedKernelsEnabled,
} from './fused.js';
export type { FusedOp, FusedOpSpec, FusedAttrs, FusedKernelRegistration } from './fused.js';
