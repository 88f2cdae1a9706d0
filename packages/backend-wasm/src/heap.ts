/**
 * Reaching tfjs-backend-wasm's heap: its WebAssembly.Memory, the byte offset of a tensor on it, and
 * our kernels module instantiated on that same memory.
 *
 * The wasm backend keeps every tensor in one emscripten heap (`backend.wasm`, the emscripten module
 * object). Its exports object (`backend.wasm.asm` in 4.22) carries the `memory`. Our AssemblyScript
 * module imports exactly that memory, so its kernels read inputs and write outputs in place: nothing
 * is copied in or out, and a heap growth (emscripten's malloc calling memory.grow) is seen by both
 * modules at once. Outputs are allocated by the backend itself (`makeOutput`, its malloc) before a
 * kernel runs, and freed by it when the tensor is disposed.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';
import { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } from './generated/kernels-wasm.js';

/** The exports of assembly/index.ts: byte offsets and counts are numbers (wasm i32/f32). */
export type KernelExports = Readonly<Record<KernelExportName, (...args: number[]) => void>>;

export type KernelExportName =
  | 'transposeSquare' | 'denseRowsTimes' | 'recurrentProduct' | 'recurrentWeightGrad' | 'addArrays'
  | 'spikeScan' | 'spikeCompact' | 'spikeMatMulRows' | 'spikeMatMulGather' | 'spikeMatMulGradRows' | 'spikeMatMulGradGather'
  | 'spikeConv2d' | 'spikeConv2dGrad';

/** The emscripten module object as far as we use it (not in tfjs's typings). */
interface EmscriptenModule {
  readonly asm?: { readonly memory?: unknown };
  readonly wasmExports?: { readonly memory?: unknown };
  readonly wasmMemory?: unknown;
  readonly HEAPU8?: Uint8Array;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) bytes[k] = text.charCodeAt(k);
  return bytes;
}

const modules: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};
let compiling: Promise<void> | undefined;

/**
 * Compiles both builds of the kernels module asynchronously. Optional: the first kernel call
 * compiles synchronously otherwise, which browsers refuse on the main thread for modules over
 * 4 KiB (ours is ≈ 5 KiB) — there, await this (the `/register` entry does) before running a model.
 */
export function precompileWasmKernels(): Promise<void> {
  compiling ??= (async () => {
    const [plain, shared] = await Promise.all([
      modules.plain ?? WebAssembly.compile(decode(KERNELS_WASM_BASE64)),
      modules.shared ?? WebAssembly.compile(decode(KERNELS_WASM_SHARED_BASE64)),
    ]);
    modules.plain ??= plain;
    modules.shared ??= shared;
  })();
  return compiling;
}

function moduleFor(shared: boolean): WebAssembly.Module {
  if (shared) return (modules.shared ??= new WebAssembly.Module(decode(KERNELS_WASM_SHARED_BASE64)));
  return (modules.plain ??= new WebAssembly.Module(decode(KERNELS_WASM_BASE64)));
}

/** The wasm backend's memory, or an Error saying what was looked for. */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory {
  const em = (backend as unknown as { wasm?: EmscriptenModule }).wasm;
  if (em == null) throw new Error('@snn/backend-wasm: the wasm backend has no emscripten module (was it disposed?)');
  for (const candidate of [em.asm?.memory, em.wasmExports?.memory, em.wasmMemory]) {
    if (candidate instanceof WebAssembly.Memory) {
      if (em.HEAPU8 && em.HEAPU8.buffer !== candidate.buffer) continue;
      return candidate;
    }
  }
  throw new Error(
    "@snn/backend-wasm: cannot find tfjs-backend-wasm's WebAssembly.Memory (looked for backend.wasm.asm.memory, " +
      'backend.wasm.wasmExports.memory and backend.wasm.wasmMemory); this version of @tensorflow/tfjs-backend-wasm is not supported',
  );
}

const instances = new WeakMap<WebAssembly.Memory, KernelExports>();

/**
 * A new instance of the kernels module on `memory`: the shared-memory build when the memory is
 * shared (tfjs-backend-wasm's threaded build), the plain one otherwise.
 */
export function instantiateKernels(memory: WebAssembly.Memory): KernelExports {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const instance = new WebAssembly.Instance(moduleFor(shared), { env: { memory } });
  return instance.exports as unknown as KernelExports;
}

/** The kernels module instantiated on `memory` (one instance per memory, made on first use). */
export function kernelsOn(memory: WebAssembly.Memory): KernelExports {
  let exports = instances.get(memory);
  if (!exports) {
    exports = instantiateKernels(memory);
    instances.set(memory, exports);
  }
  return exports;
}

/** The kernels module instantiated on `backend`'s memory (one instance per memory, made on first use). */
export function kernelsFor(backend: BackendWasm): KernelExports {
  return kernelsOn(backendMemory(backend));
}

/** The compiled kernels module (`shared`: the shared-memory build), for inspection. */
export function kernelsModule(shared: boolean): WebAssembly.Module {
  return moduleFor(shared);
}

/** Byte offset of a tensor's data on the heap. */
export function offsetOf(backend: BackendWasm, info: TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}
