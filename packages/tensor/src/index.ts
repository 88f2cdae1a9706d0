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
export {
  isTensor, describeValue, formatShape, argumentError, assertTensor, assertSameShape, assertDt,
  assertFiniteNumber, broadcastsTo, assertShape, assertSize,
} from './validate.js';
export type { TensorExpectation } from './validate.js';
export { mergeParameters, assertParametersBroadcast, hasTensorParameters } from './parameters.js';
export type { ParameterValue, ParameterRules } from './parameters.js';
export { assertStableDt, assertUnstableDtPolicy, EULER_FACTOR_BOUND, UNSTABLE_DT_KEY } from './stability.js';
export type { StabilityOption, UnstableDtPolicy, EulerFactor } from './stability.js';
export { pmul, padd, psub, pdiv, pneg, asTensor } from './scalar-math.js';
export { tidy, stopGradient } from './ops.js';
export {
  defineFusedOp, registerFusedKernels, hasKernel, gradKernelNameOf, gradInputNameOf, setFusedKernelsEnabled,
  fusedKernelsEnabled,
} from './fused.js';
export type { FusedOp, FusedOpSpec, FusedAttrs, FusedKernelRegistration } from './fused.js';
