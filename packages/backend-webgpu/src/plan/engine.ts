/**
 * The time loop of a neuron plan on WebGPU — the engine of every feed-forward fused integral (the
 * built-in models' and user-defined specs' alike): one thread per neuron walks the whole time axis;
 * outputs are packed in one buffer, then split by copies; neurons run in chunks when the packed buffer
 * would exceed the binding-size limit (bind.ts). A plan may have several sequence inputs and outputs
 * and any number of states; each step's WGSL is generated from the plan's instructions (wgsl.ts).
 *
 * - **forward**: packed output rows [nOut·T + nStates] per neuron: output j at step t in row
 *   j·T + t, then the final states.
 * - **backward** (BPTT): the thread first recomputes the trajectory, keeping at every step the few
 *   primal values its walk back reads (`tapedRegisters` of @snn/functional — for LIF the decayed
 *   voltage alone, not v and i; taped value c at step t in row c·T + t), then walks back from
 *   t = T−1 to 0, recomputing from them what else the adjoint needs. ∂L/∂input j at step t goes to
 *   row j·T + t — which held taped value j at step t, already read into registers by then, and no
 *   earlier step reads it. The output thus needs max(nIn, nTaped)·T + nStates rows per neuron (the
 *   last nStates: ∂L/∂ the initial states). When
 *   the tape of all neurons exceeds what one binding may hold, neurons run in chunks (blocking over
 *   neurons, as the plan allows); nothing is recomputed more than once.
 *
 * T = 0 runs no program: the final states (backward: their gradients) are copies of the initial
 * ones.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { liveRegisters, tapedRegisters, type NeuronPlan } from '@snn/functional';
import { chunkSize, storageBufferBudget } from '../bind.js';
import { copyBlock } from '../copy.js';
import { flatProgram, type ProgramUniform, type WebGPUBackendLike } from '../program.js';
import { bindingLayout, bindPlanTensors, type PlanBinding } from './bind-sequences.js';
import { uniformConstantIndices, planStatements, register } from './wgsl.js';

const BYTES = 4;

/** One call of a plan's kernel: the plan, its float32 parameter values, the kernel name for messages. */
export interface PlanCall {
  readonly plan: NeuronPlan;
  /** `attrs[plan.params[k]]`, in order. */
  readonly params: readonly number[];
  readonly kernel: string;
}

/** A program's direction: the forward time loop, or BPTT (its backward). */
export type Direction = 'fwd' | 'bwd';

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A constant passed as a uniform passed as a uniform: its WGSL name and value. */
interface UniformConstant {
  readonly name: string;
  readonly value: number;
}

/** Uniform names of the constants passed as uniforms: `cf<k>` for the forward program's instruction k, `cb<k>` for the backward one's. */
const forwardConstant = (k: number): string => `cf${k}`;
const backwardConstant = (k: number): string => `cb${k}`;

function uniformConstants(plan: NeuronPlan, direction: Direction): UniformConstant[] {
  const of = (instructions: NeuronPlan['forward']['instructions'], name: (k: number) => string): UniformConstant[] =>
    uniformConstantIndices(instructions).map((k) => { const s = instructions[k]!; return { name: name(k), value: s.op === 'const' ? s.value : NaN }; });
  const forward = of(plan.forward.instructions, forwardConstant);
  return direction === 'fwd' ? forward : [...forward, ...of(plan.backward.instructions, backwardConstant)];
}

/** The uniform block of a program: sizes, the zero behind `opaque()` (wgsl.ts), then the parameters, then the program's constants passed as uniforms. */
function uniformDeclaration(plan: NeuronPlan, constants: readonly UniformConstant[]): string {
  return 'neurons : i32, steps : i32, first : i32, chunk : i32, opaqueZero : i32, '
    + plan.params.map((_, k) => `p${k} : f32, `).join('') + constants.map((c) => `${c.name} : f32, `).join('');
}

function uniformData(call: PlanCall, constants: readonly UniformConstant[], neurons: number, steps: number, first: number, chunk: number): ProgramUniform[] {
  return [
    ...[neurons, steps, first, chunk, 0].map((v) => ({ type: 'int32' as const, data: [v] })),
    ...call.params.map((v) => ({ type: 'float32' as const, data: [v] })),
    ...constants.map((c) => ({ type: 'float32' as const, data: [c.value] })),
  ];
}

/** Always 0; a uniform, so that no shader compiler can fold it (see wgsl.ts). */
const OPAQUE_ZERO = 'uniforms.opaqueZero';
const param = (k: number): string => `uniforms.p${k}`;
const state = (s: number): string => `s${s}`;
const adjoint = (s: number): string => `g${s}`;

/**
 * What the backward program emits: the taped registers (`tapedRegisters`), and the instructions of its
 * three parts — the replay's forward step (for the next states), the replay's primal part (for the
 * taped values) and the walk back (the rest, with the taped registers read back). Derived once per
 * plan object (a max-flow), and shared by the code generator and `sequencesRead`, which must agree
 * on what the program reads.
 */
interface BackwardParts {
  readonly taped: readonly number[];
  readonly replayForward: readonly boolean[];
  readonly replayPrimal: readonly boolean[];
  readonly walk: readonly boolean[];
}
const backwardPartsCache = new WeakMap<NeuronPlan, BackwardParts>();
function backwardParts(plan: NeuronPlan): BackwardParts {
  let parts = backwardPartsCache.get(plan);
  if (parts === undefined) {
    const { instructions, gradInputs, gradStates } = plan.backward;
    const taped = tapedRegisters(plan);
    parts = {
      taped,
      replayForward: liveRegisters(plan.forward.instructions, plan.forward.nextStates),
      replayPrimal: liveRegisters(instructions, taped),
      walk: liveRegisters(instructions, [...gradInputs, ...gradStates], new Set(taped)),
    };
    backwardPartsCache.set(plan, parts);
  }
  return parts;
}

/** Sequence rows (per step) of the backward output: the input gradients, sharing rows with the tape. */
function backwardSequenceRows(plan: NeuronPlan): number {
  return Math.max(plan.inputs.length, backwardParts(plan).taped.length);
}

/** Rows per neuron of a program's packed output. */
function rowsOf(plan: NeuronPlan, direction: Direction, steps: number): number {
  const k = plan.states.length;
  return direction === 'fwd' ? plan.outputs.length * steps + k : backwardSequenceRows(plan) * steps + k;
}

const PROLOGUE = `let C = uniforms.chunk;
    if (index >= C) { return; }
    let n = uniforms.first + index;
    let N = uniforms.neurons;
    let T = uniforms.steps;
    let TN = T * N;`;

/** The forward program's WGSL for one binding. */
function forwardCode(call: PlanCall, bound: PlanBinding): string {
  const { plan } = call;
  const f = plan.forward;
  const body = planStatements(call.kernel, f.instructions, { param, state, input: bound.sequence, uniformConstant: forwardConstant, opaqueZero: OPAQUE_ZERO }, '      ');
  return `
  fn main(index : i32) {
    ${PROLOGUE}
    ${plan.states.map((_, s) => `var ${state(s)} : f32 = ${bound.row(s)};`).join('\n    ')}
    for (var t = 0; t < T; t = t + 1) {
      ${body}
      ${f.outputs.map((reg, j) => `result[(${j} * T + t) * C + index] = ${register(reg)};`).join('\n      ')}
      ${f.nextStates.map((reg, s) => `${state(s)} = ${register(reg)};`).join('\n      ')}
    }
    ${plan.states.map((_, s) => `result[(${plan.outputs.length} * T + ${s}) * C + index] = ${state(s)};`).join('\n    ')}
  }
`;
}

/**
 * The backward program's WGSL for one binding (sequences: inputs then output gradients; rows: states
 * then final-state gradients). The replay runs the forward step (prefix `w`, for the next state) and
 * the backward program's primal part (prefix `q`, for the taped values); the walk back runs the rest
 * of the backward program with the taped registers read back.
 */
function backwardCode(call: PlanCall, bound: PlanBinding): string {
  const { plan } = call;
  const k = plan.states.length;
  const nIn = plan.inputs.length;
  const { instructions, gradInputs, gradStates } = plan.backward;
  const parts = backwardParts(plan);
  const tape = parts.taped;
  const row = (c: number): string => `result[(${c} * T + t) * C + index]`;
  const forwardLeaves = { param, state, input: bound.sequence, uniformConstant: forwardConstant, opaqueZero: OPAQUE_ZERO };
  const replayForward = planStatements(call.kernel, plan.forward.instructions, forwardLeaves, '      ', {
    prefix: 'w', include: parts.replayForward,
  });
  const replayPrimal = planStatements(call.kernel, instructions, { ...forwardLeaves, uniformConstant: backwardConstant }, '      ', {
    prefix: 'q', include: parts.replayPrimal,
  });
  const noState = (): string => {
    throw new Error(`${call.kernel}: the webgpu plan compiler found the walk back reading a state the tape does not recompute (tapedRegisters)`);
  };
  const walk = planStatements(call.kernel, instructions, {
    param, state: noState, input: bound.sequence, gradState: adjoint, gradOutput: (j) => bound.sequence(nIn + j),
    uniformConstant: backwardConstant, opaqueZero: OPAQUE_ZERO,
  }, '      ', {
    include: parts.walk,
    bound: new Map(tape.map((reg, c) => [reg, row(c)] as const)),
  });
  const rows = backwardSequenceRows(plan);
  return `
  fn main(index : i32) {
    ${PROLOGUE}
    ${plan.states.map((_, s) => `var ${state(s)} : f32 = ${bound.row(s)};`).join('\n    ')}
    for (var t = 0; t < T; t = t + 1) {
      ${replayForward}
      ${replayPrimal}
      ${tape.map((reg, c) => `${row(c)} = q${reg};`).join('\n      ')}
      ${plan.forward.nextStates.map((reg, s) => `${state(s)} = w${reg};`).join('\n      ')}
    }
    ${plan.states.map((_, s) => `var ${adjoint(s)} : f32 = ${bound.row(k + s)};`).join('\n    ')}
    for (var t = T - 1; t >= 0; t = t - 1) {
      ${walk}
      ${gradInputs.map((reg, j) => `${row(j)} = ${register(reg)};`).join('\n      ')}
      ${gradStates.map((reg, s) => `${adjoint(s)} = ${register(reg)};`).join('\n      ')}
    }
    ${plan.states.map((_, s) => `result[(${rows} * T + ${s}) * C + index] = ${adjoint(s)};`).join('\n    ')}
  }
`;
}

function checkBytes(backend: WebGPUBackendLike, kernel: string, what: string, elements: number): void {
  const limit = backend.device.limits.maxStorageBufferBindingSize;
  if (elements * BYTES > limit) {
    throw new Error(`${kernel}: ${what} holds ${elements * BYTES} bytes, more than this device's maxStorageBufferBindingSize (${limit} bytes); use a smaller batch or a shorter sequence per call`);
  }
}

/**
 * Whether a program reads each of its sequences (forward: the inputs; backward: the inputs, then the
 * output gradients). A plan may leave some unread: a surrogate whose derivative is 0 (heaviside) never
 * reads ∂L/∂z, and a user's spec may ignore an input.
 */
export function sequencesRead(plan: NeuronPlan, direction: Direction): boolean[] {
  type Instructions = NeuronPlan['forward']['instructions'];
  const reads = (instructions: Instructions, emitted: readonly boolean[] | undefined, op: 'input' | 'gradOutput', j: number): boolean =>
    instructions.some((s, k) => (emitted === undefined || emitted[k]) && s.op === op && 'index' in s && s.index === j);
  if (direction === 'fwd') return plan.inputs.map((_, j) => reads(plan.forward.instructions, undefined, 'input', j));
  // The backward program emits only parts of its instructions (backwardParts): what it reads is what those read.
  const parts = backwardParts(plan);
  const { instructions } = plan.backward;
  const walkOrPrimal = parts.walk.map((w, k) => w || parts.replayPrimal[k]!);
  return [
    ...plan.inputs.map((_, j) => reads(plan.forward.instructions, parts.replayForward, 'input', j) || reads(instructions, walkOrPrimal, 'input', j)),
    ...plan.outputs.map((_, j) => reads(instructions, parts.walk, 'gradOutput', j)),
  ];
}

/** Code per plan, direction and binding (the WGSL differs with the binding), generated once. */
const codes = new Map<string, string>();

/**
 * Runs one program over `sequences` and `rows` and returns, per `extract` block, a new tensor:
 * `extract[b]` = [first row in the packed output, rows, shape].
 */
function runPlanProgram(
  backend: WebGPUBackendLike, call: PlanCall, direction: Direction, sequences: readonly TensorInfo[], rows: readonly TensorInfo[],
  steps: number, neurons: number, extract: ReadonlyArray<readonly [number, number, readonly number[]]>,
): TensorInfo[] {
  const { plan } = call;
  sequences.forEach((s, j) => checkBytes(backend, call.kernel, `sequence ${j}`, product(s.shape)));
  const total = rowsOf(plan, direction, steps);
  const chunk = chunkSize(backend, total, neurons, call.kernel);
  const outs = extract.map(([, , shape]) => backend.makeTensorInfo([...shape], 'float32'));
  // Only the sequences the program reads are bound: WebGPU drops a binding the shader never reads
  // from the pipeline's layout, and binding a tensor there fails the whole submission.
  const read = sequencesRead(plan, direction);
  const slot = read.map((_, j) => read.slice(0, j).filter(Boolean).length);
  const readCount = read.filter(Boolean).length;
  const slots = storageBufferBudget(backend) - 1;
  // Only the tensors that do not keep a buffer of their own are packed into one: what must fit one binding.
  const layout = bindingLayout(readCount, rows.length, slots);
  checkBytes(backend, call.kernel, 'the packed sequences', layout.packedSequences * steps * neurons);
  checkBytes(backend, call.kernel, 'the packed states', layout.packedRows * neurons);
  const packedBinding = bindPlanTensors(backend, sequences.filter((_, j) => read[j]), rows, steps, neurons, slots);
  const bound: PlanBinding = { ...packedBinding, sequence: (j) => packedBinding.sequence(slot[j]!) };
  try {
    const constants = uniformConstants(plan, direction);
    const key = `snn_plan_${plan.key}_${direction}_${bound.names.join('')}`;
    let code = codes.get(key);
    if (code === undefined) {
      code = direction === 'fwd' ? forwardCode(call, bound) : backwardCode(call, bound);
      codes.set(key, code);
    }
    for (let first = 0; first < neurons; first += chunk) {
      const c = Math.min(chunk, neurons - first);
      const program = flatProgram(key, bound.names, [total * c], c, uniformDeclaration(plan, constants), code);
      const packed = backend.runWebGPUProgram(program, bound.inputs, 'float32', uniformData(call, constants, neurons, steps, first, c));
      try {
        extract.forEach(([row, count], b) => copyBlock(backend, packed, outs[b]!, { rows: count, cols: c, srcOffset: row * c, srcStride: c, dstOffset: first, dstStride: neurons }));
      } finally {
        backend.disposeData(packed.dataId);
      }
    }
  } catch (error) {
    for (const t of outs) backend.disposeData(t.dataId);
    throw error;
  } finally {
    for (const t of bound.temporaries) backend.disposeData(t.dataId);
  }
  return outs;
}

/** Copies of `rows` (each of `shape`), or empty tensors when there are no neurons. */
function copies(backend: WebGPUBackendLike, rows: readonly TensorInfo[], shape: readonly number[], neurons: number): TensorInfo[] {
  if (neurons === 0) return rows.map(() => backend.makeTensorInfo([...shape], 'float32', new Float32Array(0)));
  return rows.map((r) => copyBlock(backend, r, [...shape], { rows: 1, cols: neurons, srcOffset: 0, srcStride: neurons, dstOffset: 0, dstStride: neurons }));
}

/** The time steps, state shape and neuron count of a call, from its first sequence input [T, ...S]. */
function sequenceGeometry(inputs: readonly TensorInfo[]): { seqShape: readonly number[]; steps: number; stateShape: number[]; neurons: number } {
  const seqShape = inputs[0]!.shape;
  const stateShape = seqShape.slice(1);
  return { seqShape, steps: seqShape[0]!, stateShape, neurons: product(stateShape) };
}

/**
 * A call with no step or no neuron runs no program: `count` empty sequences of `seqShape`, then copies of
 * `finals` (the initial states forward, the final-state gradients backward).
 */
function emptyRun(
  backend: WebGPUBackendLike, count: number, seqShape: readonly number[], finals: readonly TensorInfo[], stateShape: readonly number[], neurons: number,
): TensorInfo[] {
  const empty = Array.from({ length: count }, () => backend.makeTensorInfo([...seqShape], 'float32', new Float32Array(0)));
  return [...empty, ...copies(backend, finals, stateShape, neurons)];
}

/**
 * Forward: `inputs` (each [T, ...S]) and the initial `states` (each [...S]) → one [T, ...S] tensor per
 * plan output, then the final states.
 */
export function planForward(backend: WebGPUBackendLike, call: PlanCall, inputs: readonly TensorInfo[], states: readonly TensorInfo[]): TensorInfo[] {
  const { plan } = call;
  const { seqShape, steps, stateShape, neurons } = sequenceGeometry(inputs);
  if (neurons === 0 || steps === 0) return emptyRun(backend, plan.outputs.length, seqShape, states, stateShape, neurons);
  return runPlanProgram(backend, call, 'fwd', inputs, states, steps, neurons, [
    ...plan.outputs.map((_, j) => [j * steps, steps, [...seqShape]] as const),
    ...plan.states.map((_, s) => [plan.outputs.length * steps + s, 1, [...stateShape]] as const),
  ]);
}

/**
 * Backward (BPTT): the forward `inputs` and initial `states`, `dOutputs` (∂L/∂ each output, [T, ...S])
 * and `dFinals` (∂L/∂ each final state, [...S]) → ∂L/∂ each input ([T, ...S]), then ∂L/∂ each initial state.
 */
export function planBackward(
  backend: WebGPUBackendLike, call: PlanCall, inputs: readonly TensorInfo[], states: readonly TensorInfo[],
  dOutputs: readonly TensorInfo[], dFinals: readonly TensorInfo[],
): TensorInfo[] {
  const { plan } = call;
  const { seqShape, steps, stateShape, neurons } = sequenceGeometry(inputs);
  if (neurons === 0 || steps === 0) return emptyRun(backend, plan.inputs.length, seqShape, dFinals, stateShape, neurons);
  const rows = backwardSequenceRows(plan);
  return runPlanProgram(backend, call, 'bwd', [...inputs, ...dOutputs], [...states, ...dFinals], steps, neurons, [
    ...plan.inputs.map((_, j) => [j * steps, steps, [...seqShape]] as const),
    ...plan.states.map((_, s) => [rows * steps + s, 1, [...stateShape]] as const),
  ]);
}
