/**
 * The dense halves of the spike-sparse kernels, shared by every backend package: where a kernel
 * decides against the event-driven path (density above the crossover, input not binary), and for the
 * input gradient (never sparse), it runs the backend's own tfjs kernel — `BatchMatMul`, `Conv2D`,
 * `Conv2DBackpropInput`, `Conv2DBackpropFilter` — exactly as `tf.matMul` / `tf.conv2d` and their
 * gradients would, on the same backend object, with no tensor made on the main path.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { SpikeMatMulAttrs } from './sparse-matmul.js';
import { spikeConv2dPadding, type SpikeConv2dAttrs } from './sparse-conv2d.js';
import { SEPARATE_GRADIENTS_ATTR } from './fused.js';

/** Runs tfjs's kernel `name` of backend `backendName` on `backend` (inside another kernel). */
export function runBackendKernel(name: string, backendName: string, backend: unknown, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo {
  const kernel = tf.getKernel(name, backendName);
  if (!kernel) throw new Error(`spike-sparse kernels: the backend '${backendName}' has no '${name}' kernel for the dense path`);
  return kernel.kernelFunc({ inputs, backend: backend as never, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** `x @ w` (or `x @ wᵀ`) by the backend's BatchMatMul. */
export function denseSpikeMatMul(backendName: string, backend: unknown, x: TensorInfo, w: TensorInfo, a: SpikeMatMulAttrs): TensorInfo {
  return runBackendKernel('BatchMatMul', backendName, backend, { a: x, b: w }, { transposeA: false, transposeB: a.transposeB });
}

/**
 * Where the gradient makes the input gradient itself (`SEPARATE_GRADIENTS_ATTR`, see fused.ts), the
 * backward kernels return this empty tensor in its place instead of computing it.
 */
function separateGradient(backend: unknown, a: object): TensorInfo | undefined {
  if ((a as Record<string, unknown>)[SEPARATE_GRADIENTS_ATTR] !== true) return undefined;
  // cpu and webgpu make tensors with makeTensorInfo; the wasm backend has only makeOutput.
  const maker = backend as {
    makeTensorInfo?: (shape: number[], dtype: 'float32', values: Float32Array) => TensorInfo;
    makeOutput?: (shape: number[], dtype: 'float32') => TensorInfo;
  };
  if (maker.makeTensorInfo) return maker.makeTensorInfo([0], 'float32', new Float32Array(0));
  if (maker.makeOutput) return maker.makeOutput([0], 'float32');
  throw new Error('spike-sparse kernels: the backend can make no tensor (neither makeTensorInfo nor makeOutput)');
}

/** The input gradient `dx = dy · w` (or `dy · wᵀ`), never sparse (empty when made separately). */
export function denseSpikeMatMulInputGrad(backendName: string, backend: unknown, dy: TensorInfo, w: TensorInfo, a: SpikeMatMulAttrs): TensorInfo {
  const skipped = separateGradient(backend, a);
  if (skipped) return skipped;
  return runBackendKernel('BatchMatMul', backendName, backend, { a: dy, b: w }, { transposeA: false, transposeB: !a.transposeB });
}

/** The weight gradient by the dense product: `xᵀ·dy` [K, N], or `dyᵀ·x` [N, K] with `transposeB`. */
export function denseSpikeMatMulWeightGrad(backendName: string, backend: unknown, x: TensorInfo, dy: TensorInfo, a: SpikeMatMulAttrs): TensorInfo {
  const [first, second] = a.transposeB ? [dy, x] : [x, dy];
  return runBackendKernel('BatchMatMul', backendName, backend, { a: first, b: second }, { transposeA: true, transposeB: false });
}

function convAttrs(a: SpikeConv2dAttrs): { strides: [number, number]; pad: ReturnType<typeof spikeConv2dPadding>; dataFormat: 'NHWC'; dimRoundingMode: undefined } {
  return { strides: [a.strideH, a.strideW], pad: spikeConv2dPadding(a), dataFormat: 'NHWC', dimRoundingMode: undefined };
}

/** The convolution by the backend's Conv2D. */
export function denseSpikeConv2d(backendName: string, backend: unknown, x: TensorInfo, filter: TensorInfo, a: SpikeConv2dAttrs): TensorInfo {
  return runBackendKernel('Conv2D', backendName, backend, { x, filter }, { ...convAttrs(a), dilations: [a.dilationH, a.dilationW] });
}

/** tfjs has no conv2d gradient with dilations: neither do we (the same message as tfjs's). */
export function assertNoDilationInGradient(kernel: string, a: SpikeConv2dAttrs): void {
  if (a.dilationH !== 1 || a.dilationW !== 1) {
    throw new Error(`${kernel}: the gradient of a convolution with dilations [${a.dilationH}, ${a.dilationW}] is not supported (tfjs's conv2d has none either)`);
  }
}

/** The input gradient of the convolution (never sparse), by the backend's Conv2DBackpropInput (empty when made separately). */
export function denseSpikeConv2dInputGrad(backendName: string, backend: unknown, dy: TensorInfo, filter: TensorInfo, x: TensorInfo, a: SpikeConv2dAttrs): TensorInfo {
  const skipped = separateGradient(backend, a);
  if (skipped) return skipped;
  return runBackendKernel('Conv2DBackpropInput', backendName, backend, { dy, filter }, { ...convAttrs(a), inputShape: [...x.shape] });
}

/** The filter gradient by the backend's Conv2DBackpropFilter. */
export function denseSpikeConv2dFilterGrad(backendName: string, backend: unknown, x: TensorInfo, dy: TensorInfo, filter: TensorInfo, a: SpikeConv2dAttrs): TensorInfo {
  return runBackendKernel('Conv2DBackpropFilter', backendName, backend, { x, dy }, { ...convAttrs(a), filterShape: [...filter.shape] });
}

/** The Error of a forced sparse product whose input holds a value other than 0 and 1. */
export function notBinaryError(kernel: string, name: string, index: number, value: number): Error {
  return new Error(
    `${kernel}: the sparse path is forced (mode 'sparse') but the tensor '${name}' is not binary: element ${index} is ${value}; ` +
      "only 0/1 spike tensors can take the event-driven kernel (use mode 'auto' or 'dense')",
  );
}

/** Whether a kernel takes its event-driven path: forced, or binary and at most `crossover` dense. */
export function takesSparsePath(kernel: string, name: string, forceSparse: boolean, crossover: number, active: number, total: number, badIndex: number, badValue: number): boolean {
  if (badIndex >= 0) {
    if (forceSparse) throw notBinaryError(kernel, name, badIndex, badValue);
    counts.dense++;
    return false;
  }
  const sparse = forceSparse || active <= crossover * total;
  recordSpikeDispatch(sparse);
  return sparse;
}

const counts = { sparse: 0, dense: 0 };

/** What `spikeDispatchCounts` returns. */
export interface SpikeDispatchCounts {
  /** Kernel calls that took the event-driven path. */
  readonly sparse: number;
  /** Kernel calls that took the dense path. */
  readonly dense: number;
}

/** Counts one decision of a spike-sparse kernel (backends that decide without `takesSparsePath` call it). */
export function recordSpikeDispatch(sparse: boolean): void {
  if (sparse) counts.sparse++;
  else counts.dense++;
}

/**
 * How many spike-sparse kernel calls (forward and backward) took the event-driven path and how many
 * the dense one since the last `resetSpikeDispatchCounts()`: for tests of the dispatch and for benches.
 */
export function spikeDispatchCounts(): SpikeDispatchCounts {
  return { sparse: counts.sparse, dense: counts.dense };
}

/** Sets the counters of `spikeDispatchCounts` to zero. */
export function resetSpikeDispatchCounts(): void {
  counts.sparse = 0;
  counts.dense = 0;
}
