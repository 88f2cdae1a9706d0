/**
 * Binding a plan program's tensors within the device's storage-buffer budget: its sequences (each
 * [T, N]: the inputs, and backward the output gradients) and its rows (each [N]: the states, and
 * backward the final-state gradients).
 *
 * Sequences are the large ones, so they keep their own buffers as long as possible: first the rows
 * are packed into one buffer (bind.ts), then, if the sequences alone still exceed the budget, the
 * last sequences are packed into one buffer `Q` (a copy of each on the GPU). A program thus needs at
 * most 3 storage buffers (its output, `Q`, `P`) — within WebGPU compatibility mode's guaranteed 4 —
 * so no plan is refused for its number of tensors.
 *
 * Tensors bound directly are read through `f32()`: tfjs-webgpu keeps a bool tensor cast to float32
 * (`tf.cast(a.greater(b), 'float32')`, as user code makes spikes) in its i32 buffer, and declares the
 * binding by that buffer's type, so a plain read would not compile. Packed copies are float32.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { bindRows } from '../bind.js';
import { packRows } from '../copy.js';
import { flatView, type WebGPUBackendLike } from '../program.js';

/** How a program reads its sequences and rows. */
export interface PlanBinding {
  /** Tensors to pass to `runWebGPUProgram`, in the order of `names`. */
  readonly inputs: TensorInfo[];
  /** Their WGSL variable names (`S0…`/`Q` for sequences, `R0…`/`P` for rows). */
  readonly names: string[];
  /** WGSL reading sequence `j` at step `t` of neuron `n` (`t`, `n`, `N`, `TN` in scope). */
  readonly sequence: (j: number) => string;
  /** WGSL reading row `r` of neuron `n`. */
  readonly row: (r: number) => string;
  /** Packed buffers the caller disposes after the program ran. */
  readonly temporaries: TensorInfo[];
}

/** The most storage buffers a program of `sequences` and `rows` tensors needs once everything possible is packed (output included). */
export function minimumStorageBuffers(sequences: number, rows: number): number {
  return 1 + Math.min(sequences, 1) + Math.min(rows, 1);
}

/**
 * How `bindPlanTensors` spends `slots` buffers on `sequences` and `rows` tensors: the row buffers, how
 * many sequences keep their own buffer (the rest are packed into `Q`), and how many of each are packed.
 */
export function bindingLayout(sequences: number, rows: number, slots: number): { rowSlots: number; direct: number; packedSequences: number; packedRows: number } {
  const rowSlots = rows === 0 ? 0 : Math.max(1, Math.min(rows, slots - sequences));
  const direct = sequences + rowSlots <= slots ? sequences : slots - rowSlots - 1;
  // bindRows: one buffer per row while they fit, else the first rowSlots − 1 and the rest packed.
  return { rowSlots, direct, packedSequences: sequences - direct, packedRows: rows <= rowSlots ? 0 : rows - (rowSlots - 1) };
}

/**
 * Binds `sequences` ([steps·neurons] each) and `rows` ([neurons] each) in at most `slots` buffers
 * (see the module comment). The caller checks `slots ≥ minimumStorageBuffers(…) − 1` first.
 */
export function bindPlanTensors(
  backend: WebGPUBackendLike, sequences: readonly TensorInfo[], rows: readonly TensorInfo[], steps: number, neurons: number, slots: number,
): PlanBinding {
  const { rowSlots, direct } = bindingLayout(sequences.length, rows.length, slots);
  const temporaries: TensorInfo[] = [];
  const seqInputs = sequences.slice(0, direct).map(flatView);
  const seqNames = seqInputs.map((_, j) => `S${j}`);
  if (direct < sequences.length) {
    const packed = packRows(backend, sequences.slice(direct), steps * neurons);
    temporaries.push(packed);
    seqInputs.push(packed);
    seqNames.push('Q');
  }
  const bound = rows.length === 0 ? undefined : bindRows(backend, rows, neurons, rowSlots);
  if (bound) temporaries.push(...bound.temporaries);
  return {
    inputs: [...seqInputs, ...(bound?.inputs ?? [])],
    names: [...seqNames, ...(bound?.names ?? [])],
    sequence: (j) => (j < direct ? `f32(S${j}[t * N + n])` : `Q[${j - direct} * TN + t * N + n]`),
    row: (r) => bound!.read(r),
    temporaries,
  };
}
