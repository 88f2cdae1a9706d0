/**
 * The time loop of a recurrent neuron plan on WebGPU (the recurrent sequence kernel of
 * @snn/functional's plan.ts): a recurrent layer's whole sequence, the recurrent product
 * r(t) = zPrev·wᵀ included, forward and BPTT, for any plan — the per-step neuron code is generated
 * from the plan's instructions (wgsl.ts), forward step and adjoint step.
 *
 * Why not one thread per neuron for all T, as the integral's engine (engine.ts) does: the recurrent
 * product couples every neuron of a row to every other one at each step, and threads of one dispatch
 * cannot wait for each other across workgroups. So each time step is one dispatch of B·H threads (one
 * per row b and neuron h); a dispatch sees everything the previous one wrote (WebGPU orders
 * dispatches that share a buffer), which is the step-to-step barrier.
 *
 * - **forward**: one packed buffer, the programs' read-write output across all T dispatches, in rows
 *   of B·H values: the fed-back output [z0, z(0), …, z(T−1)] (T + 1 rows), each other output (T rows
 *   each), each state (1 row; or, kept for the backward, T + 1 rows: the state at the start of every
 *   step and the final one), then (kept, when the adjoint reads it) r(t) (T rows), then B spike lists.
 *   Each step is two dispatches: B threads list the nonzero entries of each row of z(t−1), then thread
 *   (b, h) sums its recurrent current over that list only — event-driven, in ascending k — from wᵀ
 *   (transposed once per call so that the threads of a row read consecutive addresses; read in place
 *   for T = 1, a step function's call), and runs the plan's forward step.
 * - **backward** (BPTT): the forward again, keeping its packed buffer; then T dispatches from t = T−1
 *   down to 0 and one more for ∂L/∂z0. Thread (b, h) of step t computes gz(t + 1)[b, h] =
 *   Σ_j gr(t + 1)[b, j]·w[j, h] (dense: the surrogate makes gr dense), adds it to the fed-back
 *   output's gradient, and runs the plan's adjoint step with the states and r of step t read from the
 *   forward's buffer. The adjoint's buffer holds, in rows of B·H: gr(t) (T rows, first, so that it is
 *   the weight gradient's dy), the other inputs' gradients, the running adjoint of each state (the
 *   final states' gradients copied in first), ∂L/∂z0, and copies of the output gradients the adjoint
 *   reads. The weight gradient is computed once at the end: dw = Σ_t gr(t)ᵀ·zPrev(t) over all T·B
 *   rows at once, event-driven over the spikes — the spike-sparse weight gradient's programs
 *   (sparse-programs.ts).
 *
 * Storage buffers: every program binds at most four (its output included) — what compatibility
 * devices guarantee: forward steps the sequences (packed into one when they would not fit), wᵀ and
 * the packed buffer; backward steps w, the forward's buffer, the sequences the adjoint reads (packed)
 * and the adjoint's buffer. Everything else enters the packed buffers by copies (copy.ts). Inputs are
 * read through `f32()`: tfjs-webgpu stores a bool tensor cast to float32 in its i32 buffer.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NeuronPlan, PlanInstruction, PlanRecurrence } from '@snn/functional';
import { storageBufferBudget } from '../bind.js';
import { copyBlock } from '../copy.js';
import { flatProgram, flatView, type ProgramUniform, type WebGPUBackendLike } from '../program.js';
import { compactEvents, spikeMatMulGradProgram } from '../sparse-programs.js';
import { bindPlanTensors, type PlanBinding } from './bind-sequences.js';
import { planStatements, register, uniformConstantIndices, type PlanLeaves } from './wgsl.js';

const BYTES = 4;

/** One call of a recurrent plan's kernel: the plan, its float32 parameter values, the kernel name for messages. */
export interface RecurrentPlanCall {
  readonly plan: NeuronPlan;
  readonly recurrence: PlanRecurrence;
  /** `attrs[plan.params[k]]`, in order. */
  readonly params: readonly number[];
  readonly kernel: string;
}

/** The tensors of a call: the sequence inputs but r ([T, B, H] each), `<output>0` and the states ([B, H]), `w` ([H, H]). */
export interface RecurrentPlanInputs {
  readonly sequences: readonly TensorInfo[];
  readonly fedBack0: TensorInfo;
  readonly states: readonly TensorInfo[];
  readonly w: TensorInfo;
}

interface Sizes {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  readonly N: number;
}

function sizesOf(inp: RecurrentPlanInputs): Sizes {
  const [T, B, H] = inp.sequences[0]!.shape as [number, number, number];
  return { T, B, H, N: B * H };
}

/** The indices a program's leaves of kind `op` read. */
function reads(instructions: readonly PlanInstruction[], op: PlanInstruction['op']): Set<number> {
  const found = new Set<number>();
  for (const s of instructions) if (s.op === op) found.add((s as { index: number }).index);
  return found;
}

/** Position of plan input `j` among the kernel's sequences (every input but r). */
function sequenceIndex(rec: PlanRecurrence, j: number): number {
  return j < rec.input ? j : j - 1;
}

/** The kernel's sequences (their positions, ascending) that a program reads. */
function sequencesRead(rec: PlanRecurrence, instructions: readonly PlanInstruction[]): number[] {
  return [...reads(instructions, 'input')].filter((j) => j !== rec.input).map((j) => sequenceIndex(rec, j)).sort((a, c) => a - c);
}

/** Position of plan output `j` among the outputs that are not fed back. */
function otherIndex(rec: PlanRecurrence, j: number): number {
  return j < rec.output ? j : j - 1;
}

/** Whether the plan's adjoint reads the recurrent current r (then the forward keeps r(t) for it). */
function adjointReadsR(call: RecurrentPlanCall): boolean {
  return reads(call.plan.backward.instructions, 'input').has(call.recurrence.input);
}

/** Rows (of B·H) of the forward's packed buffer, before its spike lists; and where each region starts. */
function forwardLayout(call: RecurrentPlanCall, T: number, keep: boolean): { rows: number; outRow: number; stateRow: number; stateStride: number; rRow: number } {
  const { plan } = call;
  const outRow = T + 1;
  const stateRow = outRow + (plan.outputs.length - 1) * T;
  const stateStride = keep ? T + 1 : 1;
  const afterStates = stateRow + plan.states.length * stateStride;
  const keepR = keep && adjointReadsR(call);
  return { rows: afterStates + (keepR ? T : 0), outRow, stateRow, stateStride, rRow: keepR ? afterStates : -1 };
}

/** Values of the forward's packed buffer: its rows, then one spike list per batch row (a count and up to H positions). */
function forwardSize(call: RecurrentPlanCall, s: Sizes, keep: boolean): number {
  return forwardLayout(call, s.T, keep).rows * s.N + s.B * (s.H + 1);
}

/** Constants passed as uniforms (NaN, ±∞, −0: see wgsl.ts), named `c<k>` after their instruction. */
function constantUniforms(instructions: readonly PlanInstruction[]): Array<{ name: string; value: number }> {
  return uniformConstantIndices(instructions).map((k) => {
    const s = instructions[k]!;
    return { name: `c${k}`, value: s.op === 'const' ? s.value : NaN };
  });
}

// Each ends with `opaqueZero`, always 0: the uniform a plan program's statements may xor rounded values with (wgsl.ts).
const FORWARD_SIZES = ['batch', 'width', 'steps', 'now', 'events', 'outRow', 'stateRow', 'stateStride', 'keepStep', 'rRow', 'wk', 'wh', 'opaqueZero'] as const;
const BACKWARD_SIZES = ['batch', 'width', 'steps', 'now', 'gradRow', 'adjointRow', 'fedBackRow', 'dOutRow', 'stateRow', 'rRow', 'opaqueZero'] as const;

function uniformDeclaration(sizes: readonly string[], plan: NeuronPlan, constants: ReadonlyArray<{ name: string }>): string {
  return sizes.map((n) => `${n} : i32, `).join('') + plan.params.map((_, k) => `p${k} : f32, `).join('') + constants.map((c) => `${c.name} : f32, `).join('');
}

function uniformData(ints: readonly number[], call: RecurrentPlanCall, constants: ReadonlyArray<{ value: number }>): ProgramUniform[] {
  return [
    ...ints.map((v) => ({ type: 'int32' as const, data: [v] })),
    ...call.params.map((v) => ({ type: 'float32' as const, data: [v] })),
    ...constants.map((c) => ({ type: 'float32' as const, data: [c.value] })),
  ];
}

/** Throws before any allocation when a buffer of `floats` values cannot be bound on this device. */
function checkBinding(backend: WebGPUBackendLike, kernel: string, what: string, floats: number): void {
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  if (floats * BYTES > limit) {
    throw new Error(
      `${kernel}: ${what} needs ${floats * BYTES} bytes in one buffer, more than this device's maxStorageBufferBindingSize (${limit} bytes); ` +
        'use a smaller batch or a shorter sequence per call',
    );
  }
}

const TRANSPOSE = `
  fn main(index : i32) {
    let H = uniforms.width;
    if (index < H * H) {
      let k = index / H;
      let h = index - k * H;
      result[index] = f32(W[h * H + k]);
    }
  }
`;

/** wᵀ of a square [H, H] matrix, as a new flat tensor (made once per call). */
function transposed(backend: WebGPUBackendLike, w: TensorInfo, H: number): TensorInfo {
  const program = flatProgram('snn_rec_transpose', ['W'], [H * H], H * H, 'width : i32,', TRANSPOSE);
  return backend.runWebGPUProgram(program, [flatView(w)], 'float32', [{ type: 'int32', data: [H] }]);
}

/**
 * Thread b lists the nonzero entries of row b of z(t−1) (row t of the packed buffer) at `events`:
 * the count, then the ascending positions k (as f32: exact below 2²⁴). The step that follows sums
 * only those — the order a dense product adds them in.
 */
const EVENTS = `
  fn main(index : i32) {
    if (index >= uniforms.batch) { return; }
    let H = uniforms.width;
    let zRow = uniforms.now * uniforms.batch * H + index * H;
    let base = uniforms.events + index * (H + 1);
    var count = 0;
    for (var k = 0; k < H; k = k + 1) {
      if (result[zRow + k] != 0.0) {
        count = count + 1;
        result[base + count] = f32(k);
      }
    }
    result[base] = f32(count);
  }
`;

/** Thread (row b, neuron h) of step t: the opening of every step program (`n`, `N`, `t`, `TN` as bind-sequences.ts reads them). */
const STEP_PROLOGUE = `
  fn main(index : i32) {
    let H = uniforms.width;
    let N = uniforms.batch * H;
    if (index >= N) { return; }
    let T = uniforms.steps;
    let t = uniforms.now;
    let TN = T * N;
    let n = index;
    let row = index / H;
    let h = index - row * H;`;

const param = (k: number): string => `uniforms.p${k}`;
const OPAQUE_ZERO = 'uniforms.opaqueZero';

function forwardCode(call: RecurrentPlanCall, bound: PlanBinding, sequences: readonly number[]): string {
  const { plan, recurrence: rec } = call;
  const f = plan.forward;
  const stateAt = (s: number, step: string): string => `result[(uniforms.stateRow + ${s} * uniforms.stateStride + ${step}) * N + n]`;
  const leaves: PlanLeaves = {
    param,
    state: (s) => `s${s}`,
    input: (j) => (j === rec.input ? 'rec' : bound.sequence(sequences.indexOf(sequenceIndex(rec, j)))),
    uniformConstant: (k) => `c${k}`,
    opaqueZero: OPAQUE_ZERO,
  };
  const body = planStatements(call.kernel, f.instructions, leaves, '    ');
  const outputs = f.outputs.map((reg, j) => (j === rec.output
    ? `result[(t + 1) * N + n] = ${register(reg)};`
    : `result[(uniforms.outRow + ${otherIndex(rec, j)} * T + t) * N + n] = ${register(reg)};`));
  return `${STEP_PROLOGUE}
    let zRow = t * N + row * H;
    let base = uniforms.events + row * (H + 1);
    let count = i32(result[base]);
    var rec = 0.0f;
    for (var j = 1; j <= count; j = j + 1) {
      let k = i32(result[base + j]);
      rec = rec + result[zRow + k] * f32(WT[k * uniforms.wk + h * uniforms.wh]);
    }
    ${plan.states.map((_, s) => `let s${s} : f32 = ${stateAt(s, 't * uniforms.keepStep')};`).join('\n    ')}
    ${body}
    ${outputs.join('\n    ')}
    ${f.nextStates.map((reg, s) => `${stateAt(s, '(t + 1) * uniforms.keepStep')} = ${register(reg)};`).join('\n    ')}
    if (uniforms.rRow >= 0) {
      result[(uniforms.rRow + t) * N + n] = rec;
    }
  }
`;
}

/** Code per plan, direction and binding (the WGSL differs with the binding), generated once. */
const codes = new Map<string, string>();

function codeOf(key: string, make: () => string): string {
  let code = codes.get(key);
  if (code === undefined) {
    code = make();
    codes.set(key, code);
  }
  return code;
}

/**
 * Runs the forward time loop; returns the packed buffer (see the module comment), which the caller
 * disposes. `keep`: also keep the state at the start of every step (and r, if the adjoint reads it).
 */
function runForward(backend: WebGPUBackendLike, call: RecurrentPlanCall, inp: RecurrentPlanInputs, keep: boolean): TensorInfo {
  const { plan } = call;
  const s = sizesOf(inp);
  const { T, B, H, N } = s;
  const layout = forwardLayout(call, T, keep);
  const size = forwardSize(call, s, keep);
  const events = layout.rows * N;
  // Only what the step reads is bound (a shader compiler drops an unread binding, and tfjs's bind group would no longer match).
  const sequences = sequencesRead(call.recurrence, plan.forward.instructions);
  const bound = bindPlanTensors(backend, sequences.map((k) => inp.sequences[k]!), [], T, N, storageBufferBudget(backend) - 2);
  const packed = backend.makeTensorInfo([size], 'float32');
  // wᵀ, so that the threads of a row read consecutive addresses — unless one step would not repay the
  // transposition (T = 1: a step function's call), which then reads w in place.
  let wt: TensorInfo | undefined;
  try {
    if (T > 1) wt = transposed(backend, inp.w, H);
    const whole = (t: TensorInfo, row: number): void => { copyBlock(backend, t, packed, { rows: 1, cols: N, srcOffset: 0, srcStride: N, dstOffset: row * N, dstStride: N }); };
    whole(inp.fedBack0, 0);
    inp.states.forEach((t, k) => whole(t, layout.stateRow + k * layout.stateStride));
    const constants = constantUniforms(plan.forward.instructions);
    const key = `snn_recplan_${plan.key}_fwd_${bound.names.join('')}`;
    const code = codeOf(key, () => forwardCode(call, bound, sequences));
    const program = flatProgram(key, [...bound.names, 'WT'], [size], N, uniformDeclaration(FORWARD_SIZES, plan, constants), code);
    const lists = flatProgram('snn_rec_events', [], [size], B, 'batch : i32, width : i32, now : i32, events : i32,', EVENTS);
    for (let t = 0; t < T; t++) {
      backend.runWebGPUProgram(lists, [], 'float32', [B, H, t, events].map((v) => ({ type: 'int32' as const, data: [v] })), packed);
      const ints = [B, H, T, t, events, layout.outRow, layout.stateRow, layout.stateStride, keep ? 1 : 0, layout.rRow, wt ? H : 1, wt ? 1 : H, 0];
      backend.runWebGPUProgram(program, [...bound.inputs, wt ?? flatView(inp.w)], 'float32', uniformData(ints, call, constants), packed);
    }
  } catch (e) {
    backend.disposeData(packed.dataId);
    throw e;
  } finally {
    if (wt) backend.disposeData(wt.dataId);
    for (const t of bound.temporaries) backend.disposeData(t.dataId);
  }
  return packed;
}

/** Copies `rows` rows (of N values) of a packed buffer from row `row` into a new tensor of `shape`. */
function rowsOut(backend: WebGPUBackendLike, packed: TensorInfo, shape: number[], row: number, rows: number, N: number): TensorInfo {
  return copyBlock(backend, packed, shape, { rows: 1, cols: rows * N, srcOffset: row * N, srcStride: rows * N, dstOffset: 0, dstStride: rows * N });
}

function checkSequences(backend: WebGPUBackendLike, call: RecurrentPlanCall, inp: RecurrentPlanInputs, s: Sizes): void {
  inp.sequences.forEach((_, j) => checkBinding(backend, call.kernel, `sequence input ${j}`, s.T * s.N));
  if (inp.sequences.length > storageBufferBudget(backend) - 3) checkBinding(backend, call.kernel, 'the packed sequence inputs', inp.sequences.length * s.T * s.N);
}

const empty = (backend: WebGPUBackendLike, shape: number[]): TensorInfo => backend.makeTensorInfo(shape, 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)));

/** Forward: → one [T, B, H] per plan output, then the final states [B, H]. */
export function recurrentPlanForward(backend: WebGPUBackendLike, call: RecurrentPlanCall, inp: RecurrentPlanInputs): TensorInfo[] {
  const { plan, recurrence: rec } = call;
  const s = sizesOf(inp);
  const { T, B, H, N } = s;
  if (N === 0) return [...plan.outputs.map(() => empty(backend, [T, B, H])), ...plan.states.map(() => empty(backend, [B, H]))];
  if (T === 0) {
    return [
      ...plan.outputs.map(() => empty(backend, [T, B, H])),
      ...inp.states.map((t) => copyBlock(backend, t, [B, H], { rows: 1, cols: N, srcOffset: 0, srcStride: N, dstOffset: 0, dstStride: N })),
    ];
  }
  checkSequences(backend, call, inp, s);
  checkBinding(backend, call.kernel, 'the packed state of every step', forwardSize(call, s, false));
  const layout = forwardLayout(call, T, false);
  const packed = runForward(backend, call, inp, false);
  const made: TensorInfo[] = [];
  try {
    plan.outputs.forEach((_, j) => made.push(rowsOut(backend, packed, [T, B, H], j === rec.output ? 1 : layout.outRow + otherIndex(rec, j) * T, T, N)));
    plan.states.forEach((_, k) => made.push(rowsOut(backend, packed, [B, H], layout.stateRow + k, 1, N)));
    return made;
  } catch (e) {
    for (const t of made) backend.disposeData(t.dataId);
    throw e;
  } finally {
    backend.disposeData(packed.dataId);
  }
}

/** Rows (of B·H) of the adjoint's packed buffer and where each region starts (see the module comment). */
function backwardLayout(call: RecurrentPlanCall, T: number, dOuts: readonly number[]): { rows: number; gradRow: number; adjointRow: number; fedBackRow: number; dOutRow: number } {
  const { plan } = call;
  const gradRow = T;
  const adjointRow = gradRow + (plan.inputs.length - 1) * T;
  const fedBackRow = adjointRow + plan.states.length;
  const dOutRow = fedBackRow + 1;
  return { rows: dOutRow + dOuts.length * T, gradRow, adjointRow, fedBackRow, dOutRow };
}

function backwardCode(call: RecurrentPlanCall, bound: PlanBinding, dOuts: readonly number[], sequences: readonly number[]): string {
  const { plan, recurrence: rec } = call;
  const b = plan.backward;
  const dOut = (j: number): string => `result[(uniforms.dOutRow + ${dOuts.indexOf(j)} * T + t) * N + n]`;
  const leaves: PlanLeaves = {
    param,
    state: (s) => `SAVED[(uniforms.stateRow + ${s} * (T + 1) + t) * N + n]`,
    input: (j) => (j === rec.input ? 'SAVED[(uniforms.rRow + t) * N + n]' : bound.sequence(sequences.indexOf(sequenceIndex(rec, j)))),
    gradState: (s) => `g${s}`,
    gradOutput: (j) => (j === rec.output ? `(${dOut(j)} + gz)` : dOut(j)),
    uniformConstant: (k) => `c${k}`,
    opaqueZero: OPAQUE_ZERO,
  };
  const body = planStatements(call.kernel, b.instructions, leaves, '    ');
  const grads = b.gradInputs.map((reg, j) => (j === rec.input
    ? `result[t * N + n] = ${register(reg)};`
    : `result[(uniforms.gradRow + ${sequenceIndex(rec, j)} * T + t) * N + n] = ${register(reg)};`));
  return `${STEP_PROLOGUE}
    var gz = 0.0f;
    if (t + 1 < T) {
      let gRow = (t + 1) * N + row * H;
      for (var j = 0; j < H; j = j + 1) {
        gz = gz + result[gRow + j] * f32(W[j * H + h]);
      }
    }
    if (t < 0) {
      result[uniforms.fedBackRow * N + n] = gz;
      return;
    }
    ${plan.states.map((_, s) => `let g${s} : f32 = result[(uniforms.adjointRow + ${s}) * N + n];`).join('\n    ')}
    ${body}
    ${grads.join('\n    ')}
    ${b.gradStates.map((reg, s) => `result[(uniforms.adjointRow + ${s}) * N + n] = ${register(reg)};`).join('\n    ')}
  }
`;
}

/**
 * Backward (BPTT): the forward inputs plus `dOutputs` (∂L/∂ each output, [T, B, H]) and `dFinals`
 * (∂L/∂ each final state, [B, H]) → ∂L/∂ each sequence input but r ([T, B, H]), ∂L/∂`<output>0`,
 * ∂L/∂ each initial state ([B, H]), ∂L/∂w ([H, H]).
 */
export function recurrentPlanBackward(
  backend: WebGPUBackendLike, call: RecurrentPlanCall, inp: RecurrentPlanInputs, dOutputs: readonly TensorInfo[], dFinals: readonly TensorInfo[],
): TensorInfo[] {
  const { plan, recurrence: rec } = call;
  const s = sizesOf(inp);
  const { T, B, H, N } = s;
  const nSeq = plan.inputs.length - 1;
  if (N === 0 || T === 0) {
    return [
      ...Array.from({ length: nSeq }, () => empty(backend, [T, B, H])),
      empty(backend, [B, H]),
      ...dFinals.map((d) => (N === 0 ? empty(backend, [B, H]) : copyBlock(backend, d, [B, H], { rows: 1, cols: N, srcOffset: 0, srcStride: N, dstOffset: 0, dstStride: N }))),
      empty(backend, [H, H]),
    ];
  }
  // What the adjoint step reads: output gradients (copied into its buffer) and sequence inputs (bound).
  const dOuts = [...reads(plan.backward.instructions, 'gradOutput')].sort((a, c) => a - c);
  const sequences = sequencesRead(rec, plan.backward.instructions);
  // The forward's buffer is bound only when the adjoint reads from it (states or r; an adjoint such as
  // a soft reset's under the heaviside surrogate reads neither, and an unread binding would be dropped).
  const readsSaved = reads(plan.backward.instructions, 'state').size > 0 || adjointReadsR(call);
  const layout = backwardLayout(call, T, dOuts);
  checkSequences(backend, call, inp, s);
  checkBinding(backend, call.kernel, 'the packed state of every step', forwardSize(call, s, true));
  checkBinding(backend, call.kernel, 'the packed gradient of every step', layout.rows * N);
  const saved = runForward(backend, call, inp, true);
  const fwd = forwardLayout(call, T, true);
  const grads = backend.makeTensorInfo([layout.rows * N], 'float32');
  const bound = bindPlanTensors(backend, sequences.map((k) => inp.sequences[k]!), [], T, N, storageBufferBudget(backend) - 3);
  const made: TensorInfo[] = [];
  try {
    dFinals.forEach((d, k) => copyBlock(backend, d, grads, { rows: 1, cols: N, srcOffset: 0, srcStride: N, dstOffset: (layout.adjointRow + k) * N, dstStride: N }));
    dOuts.forEach((j, k) => copyBlock(backend, dOutputs[j]!, grads, { rows: 1, cols: T * N, srcOffset: 0, srcStride: T * N, dstOffset: (layout.dOutRow + k * T) * N, dstStride: T * N }));
    const constants = constantUniforms(plan.backward.instructions);
    const key = `snn_recplan_${plan.key}_bwd_${bound.names.join('')}`;
    const code = codeOf(key, () => backwardCode(call, bound, dOuts, sequences));
    const program = flatProgram(key, [...bound.names, 'W', ...(readsSaved ? ['SAVED'] : [])], [layout.rows * N], N, uniformDeclaration(BACKWARD_SIZES, plan, constants), code);
    for (let t = T - 1; t >= -1; t--) {
      const ints = [B, H, T, t, layout.gradRow, layout.adjointRow, layout.fedBackRow, layout.dOutRow, fwd.stateRow, fwd.rRow, 0];
      backend.runWebGPUProgram(program, [...bound.inputs, flatView(inp.w), ...(readsSaved ? [saved] : [])], 'float32', uniformData(ints, call, constants), grads);
    }
    // dw[h, k] = Σ over the T·B rows of gr[·, h]·zPrev[·, k] (the first T·B rows of each packed
    // buffer): the spike-sparse weight gradient's programs, over the nonzero zPrev of each column only.
    const events = compactEvents(backend, saved, T * B, H, true);
    let dw: TensorInfo;
    try {
      dw = spikeMatMulGradProgram(backend, saved, events, grads, T * B, H, H, true);
    } finally {
      backend.disposeData(events.dataId);
    }
    made.push(dw);
    const dSeq = Array.from({ length: nSeq }, (_, k) => rowsOut(backend, grads, [T, B, H], layout.gradRow + k * T, T, N));
    made.push(...dSeq);
    const dFedBack = rowsOut(backend, grads, [B, H], layout.fedBackRow, 1, N);
    made.push(dFedBack);
    const dInitial = plan.states.map((_, k) => rowsOut(backend, grads, [B, H], layout.adjointRow + k, 1, N));
    made.push(...dInitial);
    return [...dSeq, dFedBack, ...dInitial, dw];
  } catch (e) {
    for (const t of made) backend.disposeData(t.dataId);
    throw e;
  } finally {
    backend.disposeData(saved.dataId);
    backend.disposeData(grads.dataId);
    for (const t of bound.temporaries) backend.disposeData(t.dataId);
  }
}
