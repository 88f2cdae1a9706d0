/**
 * The shape of every kernel here: check the inputs and attrs (before allocating anything), allocate
 * the outputs on the wasm heap, run one exported function of the kernels module on their offsets,
 * return the outputs. Scratch memory, where a kernel needs some, is allocated the same way and freed
 * before returning; a failure frees whatever was allocated.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor, offsetOf, type KernelExports } from './heap.js';

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const formatShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
const formatValue = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value));

/** What a kernel body works with. */
export interface KernelContext {
  readonly kernels: KernelExports;
  /** The backend the kernel runs on (its memory holds every tensor). */
  readonly backend: BackendWasm;
  /** The input `name` (checked present and float32). */
  input(name: string): TensorInfo;
  /** Heap offset of an input or output. */
  ptr(info: TensorInfo): number;
  /** A new float32 output of `shape` on the heap (its content is written by the kernel). */
  output(shape: readonly number[]): TensorInfo;
  /** Float32 scratch of `size` elements, freed when the kernel returns; returns its heap offset. */
  scratch(size: number): number;
  /** A numeric attribute (checked finite). */
  num(name: string): number;
}

/** Checks that the inputs in `names` have one shape; returns it. */
export function sameShape(kernelName: string, ctx: KernelContext, names: readonly string[]): readonly number[] {
  const first = ctx.input(names[0]!).shape;
  for (const name of names.slice(1)) {
    const shape = ctx.input(name).shape;
    if (shape.length !== first.length || shape.some((d, k) => d !== first[k])) {
      throw new Error(`${kernelName} (wasm): input '${name}' expected the shape of '${names[0]}', ${formatShape(first)}; received ${formatShape(shape)}`);
    }
  }
  return first;
}

/** Checks a sequence input `[T, ...S]` against state inputs of shape S; returns T, n = |S| and S. */
export function sequenceShape(kernelName: string, ctx: KernelContext, seq: string, states: readonly string[]): { T: number; n: number; state: readonly number[] } {
  const state = sameShape(kernelName, ctx, states);
  const x = ctx.input(seq).shape;
  if (x.length !== state.length + 1 || x.slice(1).some((d, k) => d !== state[k])) {
    throw new Error(`${kernelName} (wasm): input '${seq}' expected shape [T, ${state.join(', ')}] (time first, then the shape of '${states[0]}'); received ${formatShape(x)}`);
  }
  return { T: x[0]!, n: sizeOf(state), state };
}

/**
 * emscripten's malloc returns 0 when the heap cannot grow any more (tfjs-backend-wasm's memory is
 * capped at 4 GiB) and the backend does not check: writing there would overwrite the heap from its
 * start. Throw instead (the caller frees what was allocated).
 */
function checkAllocated(kernelName: string, wasm: BackendWasm, info: TensorInfo): void {
  if (offsetOf(wasm, info) === 0 && sizeOf(info.shape) > 0) {
    throw new Error(
      `${kernelName} (wasm): out of memory: the wasm heap cannot hold another ${formatShape(info.shape)} float32 tensor ` +
        `(${(sizeOf(info.shape) * 4 / 2 ** 20).toFixed(0)} MiB; tfjs-backend-wasm's memory is limited to 4 GiB)`,
    );
  }
}

/** Wraps a kernel body as a tfjs KernelFunc for the wasm backend. */
export function wasmKernel(kernelName: string, inputNames: readonly string[], body: (ctx: KernelContext) => TensorInfo[]): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const given = inputs as Record<string, TensorInfo | undefined>;
    for (const name of inputNames) {
      const info = given[name];
      if (info == null) throw new Error(`${kernelName} (wasm): missing input '${name}' (expected ${inputNames.join(', ')})`);
      if (info.dtype !== 'float32') throw new Error(`${kernelName} (wasm): input '${name}' expected dtype float32; received ${info.dtype}`);
    }
    const a = (attrs ?? {}) as NamedAttrMap;
    const allocated: TensorInfo[] = [];
    const scratch: TensorInfo[] = [];
    const kernels = kernelsFor(wasm);
    const ctx: KernelContext = {
      kernels,
      backend: wasm,
      input: (name) => {
        const info = given[name];
        if (info == null) throw new Error(`${kernelName} (wasm): no input '${name}'`);
        return info;
      },
      ptr: (info) => offsetOf(wasm, info),
      output: (shape) => {
        const info = wasm.makeOutput([...shape], 'float32');
        allocated.push(info);
        checkAllocated(kernelName, wasm, info);
        return info;
      },
      scratch: (size) => {
        const info = wasm.makeOutput([size], 'float32');
        scratch.push(info);
        checkAllocated(kernelName, wasm, info);
        return offsetOf(wasm, info);
      },
      num: (name) => {
        const value = a[name];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new Error(`${kernelName} (wasm): attribute '${name}' expected a finite number; received ${formatValue(value)}`);
        }
        return value;
      },
    };
    try {
      return body(ctx);
    } catch (error) {
      for (const info of allocated) wasm.disposeData(info.dataId, true);
      throw error;
    } finally {
      for (const info of scratch) wasm.disposeData(info.dataId, true);
    }
  };
}
