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
  fusedKernelsEnabled, SEPARATE_GRADIENTS_ATTR,
} from './fused.js';
export type { FusedOp, FusedOpSpec, FusedAttrs, FusedKernelRegistration } from './fused.js';
export {
  markSpikes, isMarkedSpikes, markSpikesLike, setSpikeSparsity, spikeSparsity, assertSpikeSparsityMode, DEFAULT_SPIKE_CROSSOVER,
} from './sparse-spikes.js';
export type { SpikeSparsityMode, SpikeSparsitySettings } from './sparse-spikes.js';
export { spikeMatMul, resolveSpikeProduct, SPIKE_MATMUL } from './sparse-matmul.js';
export type { SpikeMatMulAttrs, SpikeProductOptions, SpikeProductChoice, SpikeKernelLayout } from './sparse-matmul.js';
export { spikeConv2d, spikeConv2dPadding, SPIKE_CONV2D } from './sparse-conv2d.js';
export type { SpikeConv2dAttrs, SpikeConv2dOptions } from './sparse-conv2d.js';
export {
  runBackendKernel, denseSpikeMatMul, denseSpikeMatMulInputGrad, denseSpikeMatMulWeightGrad, denseSpikeConv2d,
  denseSpikeConv2dInputGrad, denseSpikeConv2dFilterGrad, assertNoDilationInGradient, notBinaryError, takesSparsePath,
  recordSpikeDispatch, spikeDispatchCounts, resetSpikeDispatchCounts,
} from './sparse-dense-fallback.js';
export type { SpikeDispatchCounts } from './sparse-dense-fallback.js';
