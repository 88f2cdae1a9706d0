/**
 * Binding a program's per-neuron inputs within the device's storage-buffer budget.
 *
 * Every tensor a program reads is one storage buffer, and so is its output. The device says how many
 * one shader stage may use (`maxStorageBuffersPerShaderStage`): at least 8 on core WebGPU devices,
 * 4 in compatibility mode (the OpenGL ES device Dawn offers on Mesa's llvmpipe, unless the adapter
 * grants more). When a program's inputs exceed the budget, the last ones are packed into one buffer
 * first (one small copy per packed tensor), so the same kernels run on every device. Rows bound
 * directly are read through `f32()`: a bool tensor cast to float32 keeps its i32 buffer in tfjs-webgpu.
 *
 * Binding-size budget: when a program's packed output for all neurons would exceed the device's
 * maxStorageBufferBindingSize, the neurons are processed in chunks (`chunkSize`).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { packRows } from './copy.js';
import { flatView, type WebGPUBackendLike } from './program.js';

let cap = Number.POSITIVE_INFINITY;

/**
 * Caps the storage buffers a fused program binds (output included) below the device's own limit;
 * `Infinity` removes the cap. 4 reproduces WebGPU compatibility mode's guaranteed minimum on any device.
 */
export function setStorageBufferCap(buffers: number): void {
  if (!(buffers >= 4)) throw new Error(`setStorageBufferCap: argument 'buffers' expected a number ≥ 4 (WebGPU guarantees 4 storage buffers per stage); received ${String(buffers)}`);
  cap = buffers;
}

let bindingCap = Number.POSITIVE_INFINITY;

/**
 * Caps the bytes of one packed output below the device's maxStorageBufferBindingSize, so that tests
 * can exercise the chunked path with small tensors. `Infinity` removes the cap. Not exported publicly.
 */
export function setPackedBindingCap(bytes: number): void {
  if (!(bytes > 0)) throw new Error(`setPackedBindingCap: argument 'bytes' expected a number > 0; received ${String(bytes)}`);
  bindingCap = bytes;
}

/** Neurons per chunk so that a packed buffer of `rows` rows (4 bytes each per neuron) stays within the device's binding limit. */
export function chunkSize(backend: WebGPUBackendLike, rows: number, neurons: number, what: string): number {
  const limit = Math.min(bindingCap, backend.device.limits.maxStorageBufferBindingSize);
  const chunk = Math.min(neurons, Math.floor(limit / 4 / rows));
  if (chunk < 1) throw new Error(`${what}: ${rows} time rows of one neuron exceed this device's maxStorageBufferBindingSize (${limit} bytes)`);
  return chunk;
}

/** The storage buffers a fused program may bind on this backend, output included. */
export function storageBufferBudget(backend: WebGPUBackendLike): number {
  return Math.max(4, Math.min(cap, backend.device.limits.maxStorageBuffersPerShaderStage));
}

/** How a program reads its per-neuron rows: WGSL names to declare and an accessor per row. */
export interface RowBinding {
  /** Tensors to pass to `runWebGPUProgram`, after the program's other inputs. */
  readonly inputs: TensorInfo[];
  /** Their variable names (`R0`, `R1`, …, and `P` for the packed rest). */
  readonly names: string[];
  /** WGSL reading row `r` at neuron `n` (a variable `n` in scope). */
  readonly read: (row: number) => string;
  /** Packed buffers the caller disposes after running the program. */
  readonly temporaries: TensorInfo[];
}

/**
 * Binds `rows` (each `neurons` values) in at most `slots` buffers: one each while they fit, else the
 * first `slots − 1` one each and the rest packed into one buffer `P`.
 */
export function bindRows(backend: WebGPUBackendLike, rows: readonly TensorInfo[], neurons: number, slots: number): RowBinding {
  if (slots < 1) throw new Error(`bindRows: no storage buffer left for ${rows.length} inputs`);
  if (rows.length <= slots) {
    return { inputs: rows.map(flatView), names: rows.map((_, r) => `R${r}`), read: (r) => `f32(R${r}[n])`, temporaries: [] };
  }
  const direct = rows.slice(0, slots - 1);
  const packed = packRows(backend, rows.slice(slots - 1), neurons);
  return {
    inputs: [...direct.map(flatView), packed],
    names: [...direct.map((_, r) => `R${r}`), 'P'],
    read: (r) => (r < direct.length ? `f32(R${r}[n])` : `P[${r - direct.length} * uniforms.neurons + n]`),
    temporaries: [packed],
  };
}
