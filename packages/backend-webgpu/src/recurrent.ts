/**
 * The engine behind the fused recurrent sequences (`SnnLIFRecurrentIntegral` & co., layouts in
 * @snn/functional's fused/recurrent-kernels.ts): a recurrent layer's whole time loop, the recurrent
 * product z(t−1)·W_recᵀ included, forward and BPTT, as programs of one call.
 *
 * Why not one thread per neuron for all T, as integral.ts does: the recurrent product couples every
 * neuron of a row to every other one at each step, and threads of one dispatch cannot wait for each
 * other across workgroups. So each time step is one dispatch of B·H threads (one per row b and neuron
 * h); a dispatch sees everything the previous one wrote (WebGPU orders dispatches that share a
 * buffer), which is the step-to-step barrier.
 *
 * - **forward**: the state lives in one packed buffer, the program's read-write output, across all T
 *   dispatches: [z0, z(0), …, z(T−1)] (T + 1 rows of B·H), then one row per state variable, then
 *   (backward only) one row per step of each value the adjoint needs (vd, and bd for the adaptive
 *   models). Each step is two dispatches: B threads list the active neurons of each row of
 *   z(t−1) (row t), then thread (b, h) sums its recurrent current over that list only — event-driven,
 *   in ascending order — from W_recᵀ, transposed once per call so that the threads of a row read
 *   consecutive addresses; then runs its neuron's step. The lists live at the end of the same buffer.
 * - **backward** (BPTT): the forward again, keeping its packed buffer; then T dispatches from t = T−1
 *   down to 0 and one more for z0. Thread (b, h) of step t adds the recurrent adjoint
 *   Σ_j ∂x[t+1][b, j]·w[j, h] (the gradient of the current at t+1 through W_rec, dense: the surrogate
 *   makes it dense) to ∂z[t], runs its neuron's adjoint step, and writes ∂x[t] (the gradient of this
 *   step's input current, which is also what the recurrent product received). Adjoint states live in
 *   the output buffer as the forward's states do. The weight gradient is computed once at the end:
 *   dW = Σ_t ∂x[t]ᵀ·z(t−1) over all T·B rows at once, event-driven over the spikes — the spike-sparse
 *   weight gradient's programs (sparse-programs.ts: the spikes of each column listed, then summed).
 *
 * Storage buffers: every program binds at most four (the output included) — compatibility devices
 * allow no more: forward steps X, Wᵀ and the state; backward steps ∂z, W, the forward's packed buffer
 * and the adjoint state; the weight gradient the two packed buffers. The initial state and the final
 * states' gradients enter the packed buffers by copies (copy.ts), so they are never bound. Inputs are
 * read through `f32()`: tfjs-webgpu stores a bool tensor cast to float32 (spikes made by a comparison)
 * in its i32 buffer.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { copyBlock } from './copy.js';
import { flatProgram, flatView, type ProgramUniform, type WebGPUBackendLike } from './program.js';
import { compactEvents, spikeMatMulGradProgram } from './sparse-programs.js';
import { thresholdFunctions, type FusedSurrogateMethod } from './surrogate-wgsl.js';

/** One recurrent neuron model's step, forward and adjoint, in WGSL. */
export interface RecurrentModel {
  /** Shader-cache key prefix. */
  readonly key: string;
  /** WGSL names of the state variables besides z, in the order of the kernel's state inputs after `z0`. */
  readonly states: readonly string[];
  /** Names of the f32 uniforms the WGSL reads as `uniforms.<name>` (besides `alpha`). */
  readonly constants: readonly string[];
  /**
   * WGSL of one forward step: reads `x` (this step's input current), `rec` (this neuron's recurrent
   * current z(t−1)·wᵀ) and the state variables; defines `z` (`let`) and assigns the new state variables.
   */
  readonly forward: string;
  /** WGSL expressions (over the forward step's `let`s) kept per step for the adjoint: 1 or 2. */
  readonly saved: readonly string[];
  /**
   * WGSL of one adjoint step, from t to t−1: reads `gz` (∂L/∂z(t), the recurrent adjoint included),
   * `z`, `saved0`/`saved1` (the kept values of step t) and the adjoint variables `g<state>` (∂L/∂state
   * after step t); assigns `gx` (∂L/∂x[t]) and the adjoint variables (∂L/∂state before step t).
   */
  readonly backward: string;
}

/** What one kernel call runs. */
export interface RecurrentCall {
  readonly model: RecurrentModel;
  readonly method: FusedSurrogateMethod;
  readonly alpha: number;
  /** Values of `model.constants`, in order. */
  readonly constants: readonly number[];
  /** Name of the kernel, for error messages. */
  readonly kernel: string;
}

/** The tensors of a recurrent sequence kernel: `x` [T, B, H], `z0` and `states` [B, H], `w` [H, H]. */
export interface RecurrentInputs {
  readonly x: TensorInfo;
  readonly z0: TensorInfo;
  readonly states: readonly TensorInfo[];
  readonly w: TensorInfo;
}

const BYTES = 4;

const SIZES = 'batch : i32, width : i32, steps : i32, now : i32, events : i32, alpha : f32, ';

function uniformsOf(model: RecurrentModel): string {
  return SIZES + model.constants.map((c) => `${c} : f32, `).join('');
}

function uniformData(call: RecurrentCall, B: number, H: number, T: number, t: number, events = 0): ProgramUniform[] {
  return [
    { type: 'int32', data: [B] }, { type: 'int32', data: [H] }, { type: 'int32', data: [T] }, { type: 'int32', data: [t] }, { type: 'int32', data: [events] },
    { type: 'float32', data: [call.alpha] }, ...call.constants.map((c) => ({ type: 'float32' as const, data: [c] })),
  ];
}

function sizesOf(x: TensorInfo): { T: number; B: number; H: number } {
  return { T: x.shape[0]!, B: x.shape[1]!, H: x.shape[2]! };
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

/** Rows of the forward's packed buffer (units of B·H): spikes, states, then the kept values. */
function forwardRows(model: RecurrentModel, T: number, keep: boolean): number {
  return T + 1 + model.states.length + (keep ? model.saved.length * T : 0);
}

/** Values of the forward's packed buffer: its rows, then the last step's spike lists (B of 1 + H). */
function forwardSize(model: RecurrentModel, T: number, B: number, H: number, keep: boolean): number {
  return forwardRows(model, T, keep) * B * H + B * (H + 1);
}

/**
 * Thread b lists the spikes of row b of z(t−1) (row t of the packed buffer) at `events`: the count,
 * then the ascending positions k with z ≠ 0 (as f32: exact below 2²⁴). The step that follows sums
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

/** Thread (row b, neuron h) of step t: the opening of every step program. */
const STEP_PROLOGUE = `
  fn main(index : i32) {
    let H = uniforms.width;
    let BH = uniforms.batch * H;
    if (index >= BH) { return; }
    let T = uniforms.steps;
    let t = uniforms.now;
    let row = index / H;
    let h = index - row * H;`;

function forwardCode(call: RecurrentCall, keep: boolean): string {
  const { model } = call;
  const k = model.states.length;
  const loads = model.states.map((s, r) => `var ${s} = result[S + ${r} * BH + index];`).join('\n    ');
  const stores = model.states.map((s, r) => `result[S + ${r} * BH + index] = ${s};`).join('\n    ');
  const kept = keep ? model.saved.map((e, j) => `result[(T + 1 + ${k} + ${j} * T + t) * BH + index] = ${e};`).join('\n    ') : '';
  return `${thresholdFunctions(call.method)}
${STEP_PROLOGUE}
    let zRow = t * BH + row * H;
    let base = uniforms.events + row * (H + 1);
    let count = i32(result[base]);
    var rec = 0.0;
    for (var j = 1; j <= count; j = j + 1) {
      let k = i32(result[base + j]);
      rec = rec + result[zRow + k] * WT[k * H + h];
    }
    let S = (T + 1) * BH;
    ${loads}
    let x = f32(X[t * BH + index]);
    ${model.forward}
    result[(t + 1) * BH + index] = z;
    ${stores}
    ${kept}
  }
`;
}

/**
 * Runs the forward time loop; returns the packed buffer (see the module comment), which the caller
 * disposes. `keep`: also keep the adjoint's values of every step.
 */
function runForward(backend: WebGPUBackendLike, call: RecurrentCall, inp: RecurrentInputs, keep: boolean): TensorInfo {
  const { model } = call;
  const { T, B, H } = sizesOf(inp.x);
  const BH = B * H;
  const size = forwardSize(model, T, B, H, keep);
  const events = forwardRows(model, T, keep) * BH;
  const packed = backend.makeTensorInfo([size], 'float32');
  const wt = transposed(backend, inp.w, H);
  try {
    copyBlock(backend, inp.z0, packed, { rows: 1, cols: BH, srcOffset: 0, srcStride: BH, dstOffset: 0, dstStride: BH });
    inp.states.forEach((s, r) => copyBlock(backend, s, packed, { rows: 1, cols: BH, srcOffset: 0, srcStride: BH, dstOffset: (T + 1 + r) * BH, dstStride: BH }));
    const key = `snn_rec_${model.key}_fwd_${call.method}_${keep ? 'keep' : 'run'}`;
    const program = flatProgram(key, ['X', 'WT'], [size], BH, uniformsOf(model), forwardCode(call, keep));
    const lists = flatProgram('snn_rec_events', [], [size], B, 'batch : i32, width : i32, now : i32, events : i32,', EVENTS);
    for (let t = 0; t < T; t++) {
      backend.runWebGPUProgram(lists, [], 'float32', [B, H, t, events].map((v) => ({ type: 'int32' as const, data: [v] })), packed);
      backend.runWebGPUProgram(program, [flatView(inp.x), wt], 'float32', uniformData(call, B, H, T, t, events), packed);
    }
  } catch (e) {
    backend.disposeData(packed.dataId);
    throw e;
  } finally {
    backend.disposeData(wt.dataId);
  }
  return packed;
}

/** Copies row `row` (B·H values) of a packed buffer into a new tensor of `shape`. */
function rowsOut(backend: WebGPUBackendLike, packed: TensorInfo, shape: number[], row: number, rows: number, BH: number): TensorInfo {
  return copyBlock(backend, packed, shape, { rows: 1, cols: rows * BH, srcOffset: row * BH, srcStride: rows * BH, dstOffset: 0, dstStride: rows * BH });
}

function checkCall(backend: WebGPUBackendLike, call: RecurrentCall, inp: RecurrentInputs, keep: boolean): void {
  const { T, B, H } = sizesOf(inp.x);
  checkBinding(backend, call.kernel, `'x'`, T * B * H);
  checkBinding(backend, call.kernel, 'the packed state of every step', forwardSize(call.model, T, B, H, keep));
}

/** Forward: → [z [T, B, H], ...final states [B, H]]. */
export function recurrentForward(backend: WebGPUBackendLike, call: RecurrentCall, inp: RecurrentInputs): TensorInfo[] {
  const { T, B, H } = sizesOf(inp.x);
  const BH = B * H;
  const k = call.model.states.length;
  if (BH === 0) return [[T, B, H], ...inp.states.map(() => [B, H])].map((s) => backend.makeTensorInfo(s, 'float32', new Float32Array(0)));
  checkCall(backend, call, inp, false);
  const packed = runForward(backend, call, inp, false);
  try {
    const z = T === 0 ? backend.makeTensorInfo([T, B, H], 'float32', new Float32Array(0)) : rowsOut(backend, packed, [T, B, H], 1, T, BH);
    return [z, ...Array.from({ length: k }, (_, r) => rowsOut(backend, packed, [B, H], T + 1 + r, 1, BH))];
  } finally {
    backend.disposeData(packed.dataId);
  }
}

function backwardCode(call: RecurrentCall): string {
  const { model } = call;
  const k = model.states.length;
  const loads = model.states.map((s, r) => `var g${s} = result[A + ${r} * BH + index];`).join('\n    ');
  const stores = model.states.map((s, r) => `result[A + ${r} * BH + index] = g${s};`).join('\n    ');
  const recall = model.saved.map((_, j) => `let saved${j} = SAVED[(T + 1 + ${k} + ${j} * T + t) * BH + index];`).join('\n    ');
  return `${thresholdFunctions(call.method)}
${STEP_PROLOGUE}
    var grec = 0.0;
    if (t + 1 < T) {
      let gRow = (t + 1) * BH + row * H;
      for (var j = 0; j < H; j = j + 1) {
        grec = grec + result[gRow + j] * f32(W[j * H + h]);
      }
    }
    let A = T * BH;
    if (t < 0) {
      result[A + ${k} * BH + index] = grec;
      return;
    }
    ${loads}
    let z = SAVED[(t + 1) * BH + index];
    ${recall}
    let gz = f32(DZ[t * BH + index]) + grec;
    var gx = 0.0;
    ${model.backward}
    result[t * BH + index] = gx;
    ${stores}
  }
`;
}

/**
 * Backward (BPTT): the forward inputs plus `dz` = ∂L/∂z [T, B, H] and `dFinals` = ∂L/∂(final states)
 * → [∂L/∂x [T, B, H], ∂L/∂z0, ...∂L/∂(initial states), ∂L/∂w [H, H]].
 */
export function recurrentBackward(
  backend: WebGPUBackendLike, call: RecurrentCall, inp: RecurrentInputs, dz: TensorInfo, dFinals: readonly TensorInfo[],
): TensorInfo[] {
  const { model } = call;
  const { T, B, H } = sizesOf(inp.x);
  const BH = B * H;
  const k = model.states.length;
  if (BH === 0) {
    return [[T, B, H], [B, H], ...inp.states.map(() => [B, H]), [H, H]].map((s) => backend.makeTensorInfo(s, 'float32', new Float32Array(s.reduce((a, b) => a * b, 1))));
  }
  // Rows of the adjoint's packed buffer: [0, T) ∂x, [T, T + k) the adjoint states, T + k: ∂z0.
  const rows = T + k + 1;
  checkCall(backend, call, inp, true);
  checkBinding(backend, call.kernel, 'the packed gradient of every step', rows * BH);
  const saved = runForward(backend, call, inp, true);
  const grads = backend.makeTensorInfo([rows * BH], 'float32');
  try {
    dFinals.forEach((d, r) => copyBlock(backend, d, grads, { rows: 1, cols: BH, srcOffset: 0, srcStride: BH, dstOffset: (T + r) * BH, dstStride: BH }));
    const program = flatProgram(`snn_rec_${model.key}_bwd_${call.method}`, ['DZ', 'W', 'SAVED'], [rows * BH], BH, uniformsOf(model), backwardCode(call));
    for (let t = T - 1; t >= -1; t--) {
      backend.runWebGPUProgram(program, [flatView(dz), flatView(inp.w), saved], 'float32', uniformData(call, B, H, T, t), grads);
    }
    // dW[h, k] = Σ over the T·B rows r of ∂x[r, h]·z_prev[r, k] (the first T·B rows of each packed
    // buffer): the spike-sparse weight gradient's programs, over the spikes of each column k only.
    const events = compactEvents(backend, saved, T * B, H, true);
    let dw: TensorInfo;
    try {
      dw = spikeMatMulGradProgram(backend, saved, events, grads, T * B, H, H, true);
    } finally {
      backend.disposeData(events.dataId);
    }
    const dx = T === 0 ? backend.makeTensorInfo([T, B, H], 'float32', new Float32Array(0)) : rowsOut(backend, grads, [T, B, H], 0, T, BH);
    const dInitial = Array.from({ length: k }, (_, r) => rowsOut(backend, grads, [B, H], T + r, 1, BH));
    const dz0 = rowsOut(backend, grads, [B, H], T + k, 1, BH);
    return [dx, dz0, ...dInitial, dw];
  } finally {
    backend.disposeData(saved.dataId);
    backend.disposeData(grads.dataId);
  }
}
