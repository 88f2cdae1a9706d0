/**
 * The event list of a spike tensor on the wasm heap (assembly/spikes.ts): one SIMD pass counts the
 * ones and checks 0/1, the dispatch decides (@snn/tensor's `takesSparsePath`), and when the sparse path
 * is taken a second pass writes each row's active columns into scratch memory of the kernel.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';
import { takesSparsePath } from '@snn/tensor';
import { backendMemory } from '../heap.js';
import type { KernelContext } from '../kernel.js';

/** The exports of assembly/spikes.ts (spikeScan returns a count). */
export type SpikeExports = Readonly<Record<
  'spikeScan' | 'spikeCompact' | 'spikeMatMulRows' | 'spikeMatMulGather' | 'spikeMatMulGradRows' | 'spikeMatMulGradGather' | 'spikeConv2d' | 'spikeConv2dGrad',
  (...args: number[]) => number
>>;

/** The spike kernels of the module a kernel context runs on. */
export function spikeExports(ctx: KernelContext): SpikeExports {
  return ctx.kernels as unknown as SpikeExports;
}

/** Heap offsets of the compressed rows of `x` ([rows, cols]): `start` (rows + 1 i32) and `idx`. */
export interface SpikeEvents {
  readonly start: number;
  readonly idx: number;
}

/** What decides the path, as in the attrs of both spike kernels. */
export interface SpikeDispatch {
  readonly forceSparse: boolean;
  readonly crossover: number;
  readonly name: string;
}

/**
 * The events of `x` seen as [rows, cols] when the sparse path is taken, else null; throws (naming
 * the tensor) when the sparse path is forced on a non-binary `x`.
 */
export function eventsOf(kernel: string, ctx: KernelContext, backend: BackendWasm, x: TensorInfo, rows: number, cols: number, a: SpikeDispatch): SpikeEvents | null {
  const k = spikeExports(ctx);
  const count = rows * cols;
  const scanned = k.spikeScan(ctx.ptr(x), count);
  const bad = scanned < 0 ? -scanned - 1 : -1;
  const badValue = bad >= 0 ? new Float32Array(backendMemory(backend).buffer, ctx.ptr(x) + 4 * bad, 1)[0]! : Number.NaN;
  if (!takesSparsePath(kernel, a.name, a.forceSparse, a.crossover, Math.max(scanned, 0), count, bad, badValue)) return null;
  const start = ctx.scratch(rows + 1);
  const idx = ctx.scratch(Math.max(scanned, 1));
  k.spikeCompact(ctx.ptr(x), rows, cols, start, idx);
  return { start, idx };
}
