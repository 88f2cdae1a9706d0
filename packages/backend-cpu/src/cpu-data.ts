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

/** The shape of input `name`. */
export function inputShape(inputs: Record<string, TensorInfo | undefined>, name: string): number[] {
  return [...inputs[name]!.shape];
}

/**
 * The number of time steps of an integral kernel's input `x` [T, ...S], checked against the state
 * size n = |S| (the models check shapes before calling; this guards direct `runKernel` calls).
 */
export function sequenceSteps(kernel: string, inputs: Record<string, TensorInfo | undefined>, x: Float32Array, n: number): number {
  const steps = inputs['x']!.shape[0] ?? 0;
  if (x.length !== steps * n) {
    throw new Error(`${kernel}: input 'x' expected shape [T, ...S] with S the state's shape (${n} values per step); received shape [${inputs['x']!.shape.join(', ')}]`);
  }
  return steps;
}

/** Checks that every named input holds `n` values (a state: one per neuron; a sequence: T per neuron). */
export function sameSize(kernel: string, n: number, arrays: Readonly<Record<string, Float32Array>>): void {
  for (const [name, a] of Object.entries(arrays)) {
    if (a.length !== n) throw new Error(`${kernel}: input '${name}' expected ${n} values to match the other inputs; received ${a.length}`);
  }
}

/** A new output tensor of `shape` holding `values`. */
export function output(backend: CpuBackendLike, shape: readonly number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo([...shape], 'float32', values);
}

/** A tuple of `N` Float32Arrays. */
type Arrays<N extends number, A extends Float32Array[] = []> = A['length'] extends N ? A : Arrays<N, [...A, Float32Array]>;

/**
 * The prologue and epilogue of an elementwise step kernel: reads the named inputs (in order) as
 * Float32Arrays, checks that each holds as many values as input `sizeOf`, and allocates `outputs`
 * zeroed Float32Arrays of that size. `finish` wraps arrays as the kernel's output tensors (default:
 * `out`), each shaped like input `shapes[k]` (default: 'v').
 */
export function stepIO<const Names extends readonly string[], N extends number>(
  backend: unknown, inputs: Record<string, TensorInfo | undefined>, kernel: string, names: Names, outputs: N, sizeOf = 'v',
): {
  x: { [K in keyof Names]: Float32Array };
  n: number;
  out: Arrays<N>;
  finish(values?: readonly Float32Array[], shapes?: readonly string[]): TensorInfo[];
} {
  const cpu = cpuBackend(backend, kernel);
  const values = names.map((name) => inputValues(cpu, inputs, name, kernel));
  const n = values[names.indexOf(sizeOf)]!.length;
  sameSize(kernel, n, Object.fromEntries(names.map((name, k) => [name, values[k]!])));
  const out = Array.from({ length: outputs }, () => new Float32Array(n)) as Arrays<N>;
  return {
    x: values as { [K in keyof Names]: Float32Array },
    n,
    out,
    finish: (arrays = out, shapes = []) => arrays.map((a, k) => output(cpu, inputShape(inputs, shapes[k] ?? 'v'), a)),
  };
}

/**
 * Neurons per block in the backward kernels: each block keeps its forward trajectory (T steps ×
 * `states` variables) in a scratch buffer of about 512 KiB, which stays in cache, instead of T
 * copies of every intermediate for the whole population.
 */
export function blockSize(neurons: number, steps: number, states: number): number {
  return Math.max(1, Math.min(neurons, Math.floor(131072 / Math.max(1, steps * states))));
}

/** Neurons per block in the forward kernels: the state of one block stays in L1/L2 while time runs. */
export const FORWARD_BLOCK = 2048;

/**
 * Θ(d) as the composite's threshold computes it: 1 for d > 0, else 0 — NaN included (Θ(NaN) = 0,
 * as Norse's Heaviside: spikes are 0/1 whatever the input).
 *
 * The kernels round every operation to float32 except where the result is exact without it: the
 * sign of a difference of two float32 values (rounding never changes it, nor makes it zero), and the
 * products z·x and (1 − z)·x for a spike z ∈ {0, 1}. A value stored into a Float32Array is rounded
 * by the store.
 */
export function spike(d: number): number {
  return d > 0 ? 1 : 0;
}
