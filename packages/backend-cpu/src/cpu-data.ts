/**
 * The cpu backend's storage as a kernel sees it: each tensor's values are a Float32Array held by
 * the backend (`backend.data.get(dataId).values`), and a kernel hands back new arrays through
 * `backend.makeTensorInfo`. Typed structurally, so this package needs no direct dependency on
 * @tensorflow/tfjs-backend-cpu (it comes with @tensorflow/tfjs).
 */
import type { TensorInfo } from '@tensorflow/tfjs';

export interface CpuBackendLike {
  readonly data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The backend a kernel runs on, checked to be the cpu backend's shape. */
export function cpuBackend(backend: unknown, kernel: string): CpuBackendLike {
  const b = backend as Partial<CpuBackendLike> | null;
  if (!b || typeof b.makeTensorInfo !== 'function' || typeof b.data?.get !== 'function') {
    throw new Error(`${kernel}: expected to run on tfjs's cpu backend (a backend with data.get and makeTensorInfo)`);
  }
  return b as CpuBackendLike;
}

/**
 * The float32 values of input `name` (no copy where they are stored as float32: the kernel must not write
 * to them; a float32 tensor cast from bool or int32 is stored as their integers, and converted).
 */
export function inputValues(backend: CpuBackendLike, inputs: Record<string, TensorInfo | undefined>, name: string, kernel: string): Float32Array {
  const t = inputs[name];
  if (!t) throw new Error(`${kernel}: input '${name}' is missing`);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: input '${name}' expected dtype float32; received ${t.dtype}`);
  const values = backend.data.get(t.dataId)?.values;
  if (values instanceof Float32Array) return values;
  // tfjs-cpu's cast from bool or int32 to float32 shares the source's Uint8Array / Int32Array.
  if (values instanceof Uint8Array || values instanceof Int32Array) return Float32Array.from(values);
  throw new Error(`${kernel}: input '${name}' has no float32 values on the cpu backend`);
}

/** A new output tensor of `shape` holding `values`. */
export function output(backend: CpuBackendLike, shape: readonly number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo([...shape], 'float32', values);
}

/**
 * Neurons per block in the generated backward kernels: each block keeps its taped trajectory (T
 * steps × `states` values) in a scratch buffer of about 512 KiB, which stays in cache, instead of T
 * copies of every intermediate for the whole population.
 */
export function blockSize(neurons: number, steps: number, states: number): number {
  return Math.max(1, Math.min(neurons, Math.floor(131072 / Math.max(1, steps * states))));
}

/** Neurons per block in the forward kernels: the state of one block stays in L1/L2 while time runs. */
export const FORWARD_BLOCK = 2048;
