/**
 * What the replacement kernels for tfjs's wasm backend share (wasm-slice, wasm-conv-grad, wasm-matmul,
 * wasm-max-pool-grad): the shapes of the kernel arguments as tfjs-backend-wasm passes them, calling
 * another registered wasm kernel directly, and swapping a registered kernel for a new function.
 */
import * as tf from '@tensorflow/tfjs';

/** A tensor as kernels see it. */
export interface TensorInfo { dataId: object; shape: number[]; dtype: tf.DataType }

/** The parts of tfjs-backend-wasm's `BackendWasm` the kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean | void;
}

/** A kernel's arguments. */
export interface KernelArgs { inputs: Record<string, TensorInfo>; backend: WasmBackendLike; attrs: Record<string, unknown> }

/** A kernel function returning one tensor (or several, for Unpack and SplitV). */
export type KernelFunc<R = TensorInfo> = (args: KernelArgs) => R;

/** The registered wasm kernel `name` as a function, or undefined when the wasm backend has none. */
export function wasmKernel<R = TensorInfo>(name: string): KernelFunc<R> | undefined {
  return tf.getKernel(name, 'wasm')?.kernelFunc as unknown as KernelFunc<R> | undefined;
}

/**
 * Registers `kernelFunc` as the wasm kernel `name`, replacing the registered one. The original's
 * `setupFunc` is kept: the engine runs it when the backend starts, and a fallback to the original needs it.
 */
export function replaceWasmKernel<R>(name: string, kernelFunc: KernelFunc<R>): void {
  const original = tf.getKernel(name, 'wasm');
  if (original) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...(original ?? {}), kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}
