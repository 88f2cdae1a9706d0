/**
 * The engine behind every fused time loop: one GPU thread per neuron walks the whole time axis.
 *
 * A model (models/*.ts) gives the WGSL of one Euler step forward and of one step of its adjoint
 * backward; this file wraps them into two programs:
 *
 * - **forward**: reads the input x [T, N] and the initial state; writes the per-step output (spikes,
 *   or the voltage of a leaky integrator) and the final state into one packed buffer
 *   [(T + k) rows of N], which copies split into the kernel's outputs.
 * - **backward** (BPTT): the same thread first recomputes the forward trajectory, keeping only the
 *   one or two values per step that the adjoint needs (the voltage before the reset, …), in the rows
 *   of its own output that will later hold ∂L/∂x — no tensor of T intermediate states is ever
 *   created. It then walks back from t = T−1 to 0, overwriting each kept value with ∂L/∂x[t], and
 *   ends with the gradient of the initial state.
 *
 * Storage buffers: the state rows (and, backward, the final-state gradients) are bound one buffer
 * each while the device's budget allows, the rest packed (bind.ts).
 *
 * Binding-size budget: when the packed output of all neurons would exceed the device's
 * maxStorageBufferBindingSize, neurons are processed in chunks (each thread still walks all of T).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { bindRows, storageBufferBudget } from './bind.js';
import { copyBlock } from './copy.js';
import { flatProgram, flatView, type ProgramUniform, type WebGPUBackendLike } from './program.js';
import { thresholdFunctions, type FusedSurrogateMethod } from './surrogate-wgsl.js';

/** One neuron model's step, forward and adjoint, in WGSL. */
export interface IntegralModel {
  /** Shader-cache key prefix. */
  readonly key: string;
  /** WGSL names of the state variables, in the order of the kernel's state inputs and outputs. */
  readonly states: readonly string[];
  /** Names of the f32 uniforms the WGSL reads as `uniforms.<name>` (besides `alpha`). */
  readonly constants: readonly string[];
  /** Whether the step has a threshold (then `spike`, `surrogate` and `uniforms.alpha` exist). */
  readonly spiking: boolean;
  /**
   * WGSL of one forward step: reads `x` and the state variables; assigns the new state variables and
   * `out` (the step's output).
   */
  readonly forward: string;
  /** WGSL expressions (over the forward step's `let`s) kept per step for the backward; at most 2. */
  readonly saved: readonly string[];
  /**
   * WGSL of one adjoint step, from t to t−1: reads `gout` (∂L/∂out[t]), `saved0`/`saved1` (the kept
   * values of step t) and the adjoint variables `g<state>` (∂L/∂state after step t); assigns `gx`
   * (∂L/∂x[t]) and the adjoint variables (∂L/∂state before step t).
   */
  readonly backward: string;
}

const BYTES = 4;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function adjoint(state: string): string {
  return `g${state}`;
}

const SIZE_UNIFORMS = 'neurons : i32, steps : i32, first : i32, chunk : i32, alpha : f32, ';

function uniformsOf(model: IntegralModel): string {
  return SIZE_UNIFORMS + model.constants.map((c) => `${c} : f32, `).join('');
}

function uniformData(neurons: number, steps: number, first: number, chunk: number, alpha: number, constants: readonly number[]): ProgramUniform[] {
  return [
    { type: 'int32', data: [neurons] }, { type: 'int32', data: [steps] }, { type: 'int32', data: [first] }, { type: 'int32', data: [chunk] },
    { type: 'float32', data: [alpha] }, ...constants.map((c) => ({ type: 'float32' as const, data: [c] })),
  ];
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

/** Neurons per chunk so that a packed buffer of `rows` rows stays within the device's binding limit. */
export function chunkSize(backend: WebGPUBackendLike, rows: number, neurons: number, what: string): number {
  const limit = Math.min(bindingCap, backend.device.limits.maxStorageBufferBindingSize);
  const chunk = Math.min(neurons, Math.floor(limit / BYTES / rows));
  if (chunk < 1) throw new Error(`${what}: ${rows} time rows of one neuron exceed this device's maxStorageBufferBindingSize (${limit} bytes)`);
  return chunk;
}

function checkBinding(backend: WebGPUBackendLike, what: string, name: string, t: TensorInfo): void {
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  const bytes = product(t.shape) * BYTES;
  if (bytes > limit) {
    throw new Error(`${what}: '${name}' holds ${bytes} bytes, more than this device's maxStorageBufferBindingSize (${limit} bytes); use a smaller batch or a shorter sequence per call`);
  }
}

function header(model: IntegralModel, method: FusedSurrogateMethod | undefined): string {
  return model.spiking ? thresholdFunctions(method ?? 'super') : '';
}

/** The shader key: model, threshold method, how the rows are bound (the WGSL differs with each). */
function shaderKey(model: IntegralModel, direction: string, method: FusedSurrogateMethod | undefined, names: readonly string[]): string {
  return `snn_${model.key}_${direction}_${model.spiking ? method : 'none'}_${names.join('')}`;
}

export interface IntegralCall {
  readonly model: IntegralModel;
  /** Surrogate method (spiking models only). */
  readonly method?: FusedSurrogateMethod;
  readonly alpha?: number;
  /** Values of `model.constants`, in order. */
  readonly constants: readonly number[];
  /** Name of the kernel, for error messages. */
  readonly kernel: string;
}

/**
 * Forward: `x` [T, ...], `states` (each of one step's shape) → [out [T, ...], ...final states].
 */
export function integralForward(backend: WebGPUBackendLike, call: IntegralCall, x: TensorInfo, states: readonly TensorInfo[]): TensorInfo[] {
  const { model } = call;
  const steps = x.shape[0]!;
  const stateShape = x.shape.slice(1);
  const neurons = product(stateShape);
  const k = model.states.length;
  if (neurons === 0) return [x.shape, ...states.map(() => stateShape)].map((s) => backend.makeTensorInfo([...s], 'float32', new Float32Array(0)));
  // Every check before the first allocation: a kernel that throws leaves nothing behind.
  checkBinding(backend, call.kernel, 'x', x);
  const chunk = chunkSize(backend, steps + k, neurons, call.kernel);
  const out = backend.makeTensorInfo([...x.shape], 'float32');
  const finals = states.map(() => backend.makeTensorInfo([...stateShape], 'float32'));

  const rows = bindRows(backend, states, neurons, storageBufferBudget(backend) - 2);
  const loads = model.states.map((s, r) => `var ${s} = ${rows.read(r)};`).join('\n    ');
  const stores = model.states.map((s, r) => `result[(T + ${r}) * C + index] = ${s};`).join('\n    ');
  const code = `${header(model, call.method)}
  fn main(index : i32) {
    let C = uniforms.chunk;
    if (index >= C) { return; }
    let n = uniforms.first + index;
    let N = uniforms.neurons;
    let T = uniforms.steps;
    ${loads}
    var out = 0.0;
    for (var t = 0; t < T; t = t + 1) {
      let x = X[t * N + n];
      ${model.forward}
      result[t * C + index] = out;
    }
    ${stores}
  }
`;
  const names = ['X', ...rows.names];
  const key = shaderKey(model, 'fwd', call.method, names);
  try {
    for (let first = 0; first < neurons; first += chunk) {
      const c = Math.min(chunk, neurons - first);
      const program = flatProgram(key, names, [(steps + k) * c], c, uniformsOf(model), code);
      const packed = backend.runWebGPUProgram(program, [flatView(x), ...rows.inputs], 'float32',
        uniformData(neurons, steps, first, c, call.alpha ?? 1, call.constants));
      try {
        copyBlock(backend, packed, out, { rows: steps, cols: c, srcOffset: 0, srcStride: c, dstOffset: first, dstStride: neurons });
        finals.forEach((f, r) => copyBlock(backend, packed, f, { rows: 1, cols: c, srcOffset: (steps + r) * c, srcStride: c, dstOffset: first, dstStride: neurons }));
      } finally {
        backend.disposeData(packed.dataId);
      }
    }
  } finally {
    for (const t of rows.temporaries) backend.disposeData(t.dataId);
  }
  return [out, ...finals];
}

/**
 * Backward (BPTT): `x` [T, ...], the initial `states`, `dOut` = ∂L/∂out [T, ...] and `dFinals` =
 * ∂L/∂(final states) → [∂L/∂x [T, ...], ...∂L/∂(initial states)].
 */
export function integralBackward(
  backend: WebGPUBackendLike, call: IntegralCall, x: TensorInfo, states: readonly TensorInfo[], dOut: TensorInfo, dFinals: readonly TensorInfo[],
): TensorInfo[] {
  const { model } = call;
  const steps = x.shape[0]!;
  const stateShape = x.shape.slice(1);
  const neurons = product(stateShape);
  const k = model.states.length;
  const saved = model.saved.length;
  if (saved > 2) throw new Error(`${call.kernel}: a model may keep at most 2 values per step for its backward pass`);
  if (neurons === 0) return [x.shape, ...states.map(() => stateShape)].map((s) => backend.makeTensorInfo([...s], 'float32', new Float32Array(0)));
  checkBinding(backend, call.kernel, 'x', x);
  checkBinding(backend, call.kernel, 'dy', dOut);
  // Rows of the packed output: [0, T) ∂L/∂x (first the kept value 0), [T, T+k) ∂L/∂state₀, [T+k, 2T+k) kept value 1.
  const totalRows = steps + k + (saved > 1 ? steps : 0);
  const chunk = chunkSize(backend, totalRows, neurons, call.kernel);
  const dx = backend.makeTensorInfo([...x.shape], 'float32');
  const dInitial = states.map(() => backend.makeTensorInfo([...stateShape], 'float32'));
  const rows = bindRows(backend, [...states, ...dFinals], neurons, storageBufferBudget(backend) - 3);
  const loads = model.states.map((s, r) => `var ${s} = ${rows.read(r)};`).join('\n    ');
  const adjointLoads = model.states.map((s, r) => `var ${adjoint(s)} = ${rows.read(k + r)};`).join('\n    ');
  const keep = model.saved.map((e, j) => `result[${j === 0 ? 't' : '(T + K + t)'} * C + index] = ${e};`).join('\n      ');
  const recall = model.saved.map((_, j) => `let saved${j} = result[${j === 0 ? 't' : '(T + K + t)'} * C + index];`).join('\n      ');
  const stores = model.states.map((s, r) => `result[(T + ${r}) * C + index] = ${adjoint(s)};`).join('\n    ');
  const code = `${header(model, call.method)}
  fn main(index : i32) {
    let C = uniforms.chunk;
    if (index >= C) { return; }
    let n = uniforms.first + index;
    let N = uniforms.neurons;
    let T = uniforms.steps;
    let K = ${k};
    ${loads}
    var out = 0.0;
    for (var t = 0; t < T; t = t + 1) {
      let x = X[t * N + n];
      ${model.forward}
      ${keep}
    }
    ${adjointLoads}
    var gx = 0.0;
    for (var t = T - 1; t >= 0; t = t - 1) {
      ${recall}
      let gout = DY[t * N + n];
      ${model.backward}
      result[t * C + index] = gx;
    }
    ${stores}
  }
`;
  const names = ['X', 'DY', ...rows.names];
  const key = shaderKey(model, 'bwd', call.method, names);
  try {
    for (let first = 0; first < neurons; first += chunk) {
      const c = Math.min(chunk, neurons - first);
      const program = flatProgram(key, names, [totalRows * c], c, uniformsOf(model), code);
      const packed = backend.runWebGPUProgram(program, [flatView(x), flatView(dOut), ...rows.inputs], 'float32',
        uniformData(neurons, steps, first, c, call.alpha ?? 1, call.constants));
      try {
        copyBlock(backend, packed, dx, { rows: steps, cols: c, srcOffset: 0, srcStride: c, dstOffset: first, dstStride: neurons });
        dInitial.forEach((d, r) => copyBlock(backend, packed, d, { rows: 1, cols: c, srcOffset: (steps + r) * c, srcStride: c, dstOffset: first, dstStride: neurons }));
      } finally {
        backend.disposeData(packed.dataId);
      }
    }
  } finally {
    for (const t of rows.temporaries) backend.disposeData(t.dataId);
  }
  return [dx, ...dInitial];
}
