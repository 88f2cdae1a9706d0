/**
 * The cpu backend's recurrent sequence kernel generator: a plan with `recurrent` (@snn/functional's
 * spec/plan.ts, "The recurrent sequence kernel") becomes a forward and a BPTT kernel whose loops are
 * JavaScript generated from the plan (plan-recurrent-source.ts), compiled once per plan. The recurrent
 * current r = zPrev·wᵀ is the shared event-driven product of recurrent-product.ts, summed as tfjs-cpu's
 * matMul sums, so a spec'd recurrent layer equals its composite path bit for bit on this backend.
 * Registered for 'cpu' by `registerCpuKernels` (`registerRecurrentPlanCompiler`).
 *
 * Memory: the forward keeps the states of the B·H neurons; the backward keeps, per step, the taped
 * registers and the fed-back output of every neuron (neurons are coupled, so the trajectory is not
 * recomputed block by block), and dw in float64.
 *
 * Without `new Function` (a Content-Security-Policy without 'unsafe-eval') the kernels run the
 * reference interpreter (`runRecurrentPlanForward` / `runRecurrentPlanBackward`) and say so once.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { runRecurrentPlanBackward, runRecurrentPlanForward, type CompiledPlan, type NeuronPlan } from '@snn/functional';
import { cpuBackend, inputValues, output, type CpuBackendLike } from './cpu-data.js';
import { compileLoops, parameterRecord, parameters, sameShape, shapeText, type CpuPlanOptions } from './plan-compiler.js';
import { checkPlan } from './plan-source.js';
import {
  RECURRENT_BACKWARD_PARAMETERS, RECURRENT_FORWARD_PARAMETERS, recurrentBackwardSource, recurrentForwardSource, recurrentTapedRegisters,
} from './plan-recurrent-source.js';
import { matMulBlock, recurrentCurrent, recurrentProductAdjoint, transpose, transposedToFloat32 } from './recurrent-product.js';

type Current = typeof recurrentCurrent;
type Adjoint = typeof recurrentProductAdjoint;

/** The generated forward loop (argument order: `RECURRENT_FORWARD_PARAMETERS`). */
type ForwardLoop = (
  P: Float32Array, X: Float32Array[], S: Float32Array[], O: Float32Array[], Z0: Float32Array, WT: Float32Array,
  steps: number, B: number, H: number, block: number, current: Current,
) => void;
/** The generated backward loop (argument order: `RECURRENT_BACKWARD_PARAMETERS`). */
type BackwardLoop = (
  P: Float32Array, X: Float32Array[], S0: Float32Array[], Z0: Float32Array, WT: Float32Array, W: Float32Array,
  DO: Float32Array[], G: Float32Array[], GX: Float32Array[], GZ: Float32Array, DWT: Float64Array,
  steps: number, B: number, H: number, block: number, current: Current, adjoint: Adjoint, tape: Float32Array, ZS: Float32Array,
) => void;

interface Loops {
  readonly forward: ForwardLoop;
  readonly backward: BackwardLoop;
}

/** The plan's recurrent wiring, checked: r and the fed-back output are entries of the plan's lists. */
function checkRecurrence(plan: NeuronPlan, compiler: string): { readonly input: number; readonly output: number } {
  const rec = plan.recurrent;
  const fail = (what: string): never => {
    throw new Error(`${compiler}: plan '${plan.kernelName}' ${what}`);
  };
  if (!rec) return fail('has no recurrent wiring (plan.recurrent); feed-forward plans go to compileCpuPlan');
  if (!Number.isInteger(rec.input) || rec.input < 0 || rec.input >= plan.inputs.length) fail(`expected recurrent.input to index plan.inputs (${plan.inputs.length}); received ${String(rec.input)}`);
  if (!Number.isInteger(rec.output) || rec.output < 0 || rec.output >= plan.outputs.length) fail(`expected recurrent.output to index plan.outputs (${plan.outputs.length}); received ${String(rec.output)}`);
  if (plan.inputs.length < 2) fail(`has r ('${plan.inputs[rec.input]}') as its only input (a recurrent kernel needs a sequence input: it gives T)`);
  const names = [
    ...plan.inputs.filter((_, j) => j !== rec.input), `${plan.outputs[rec.output]!}0`, ...plan.states.map((v) => `${v}0`), 'w',
    ...plan.outputs.map((o) => `d${o}`), ...plan.states.map((v) => `d${v}`),
  ];
  const clash = names.find((v, k) => names.indexOf(v) !== k);
  if (clash !== undefined) fail(`names the kernel input '${clash}' twice (inputs, <output>0, <state>0, w, d<output>, d<state> must differ)`);
  return rec;
}

/** The reference interpreter behind the generated loops' signatures. */
function interpreterLoops(plan: NeuronPlan, r: number): Loops {
  const own = (X: readonly Float32Array[]): Float32Array[] => X.filter((_, j) => j !== r);
  return {
    forward: (P, X, S, O, Z0, WT, T, B, H) => {
      const run = runRecurrentPlanForward(plan, parameterRecord(plan, P), { inputs: own(X), fedBack0: Z0, states: S, w: transpose(WT, H) }, { T, B, H });
      run.outputs.forEach((a, j) => O[j]!.set(a));
      run.states.forEach((a, s) => S[s]!.set(a));
    },
    backward: (P, X, S0, Z0, _WT, W, DO, G, GX, GZ, DWT, T, B, H) => {
      const run = runRecurrentPlanBackward(plan, parameterRecord(plan, P), { inputs: own(X), fedBack0: Z0, states: S0, w: W }, DO, G, { T, B, H });
      run.inputs.forEach((a, j) => GX[j < r ? j : j + 1]!.set(a));
      run.states.forEach((a, s) => G[s]!.set(a));
      GZ.set(run.fedBack0);
      DWT.set(transpose(run.w, H)); // kept transposed, as the generated loop accumulates it
    },
  };
}

/** The values and sizes of one recurrent kernel call, read and checked. */
interface Operands {
  /** Per name of `sequences`, T·B·H values. */
  readonly sequences: Float32Array[];
  /** Per name of `rows`, B·H values. */
  readonly rows: Float32Array[];
  readonly w: Float32Array;
  readonly T: number;
  readonly B: number;
  readonly H: number;
}

/**
 * Reads every input (presence and dtype first, in order), then checks the shapes against the fed-back
 * output's [B, H] (`rows[0]`): every row input [B, H], `w` [H, H], every sequence [T, B, H] with one T.
 */
function operands(
  cpu: CpuBackendLike, inputs: Record<string, TensorInfo | undefined>, kernel: string, sequenceNames: readonly string[], rowNames: readonly string[],
): Operands {
  const sequences = sequenceNames.map((name) => inputValues(cpu, inputs, name, kernel));
  const rows = rowNames.map((name) => inputValues(cpu, inputs, name, kernel));
  const w = inputValues(cpu, inputs, 'w', kernel);
  const first = rowNames[0]!;
  const rowShape = inputs[first]!.shape;
  if (rowShape.length !== 2) throw new Error(`${kernel}: input '${first}' expected shape [B, H] (rows, neurons); received ${shapeText(rowShape)}`);
  const [B, H] = rowShape as [number, number];
  for (const name of rowNames) {
    const shape = inputs[name]!.shape;
    if (!sameShape(shape, rowShape)) throw new Error(`${kernel}: input '${name}' expected shape ${shapeText(rowShape)} ([B, H], as '${first}'); received ${shapeText(shape)}`);
  }
  const wShape = inputs['w']!.shape;
  if (!sameShape(wShape, [H, H])) throw new Error(`${kernel}: input 'w' expected shape [${H}, ${H}] (the recurrent weights [H, H], H = ${H} as '${first}'); received ${shapeText(wShape)}`);
  const T = inputs[sequenceNames[0]!]!.shape[0] ?? -1;
  for (const name of sequenceNames) {
    const shape = inputs[name]!.shape;
    if (shape.length !== 3 || shape[0] !== T || !sameShape(shape.slice(1), rowShape)) {
      throw new Error(`${kernel}: input '${name}' expected shape [T, ${B}, ${H}] (time first, then [B, H] as '${first}'${T >= 0 ? `, T = ${T} as '${sequenceNames[0]}'` : ''}); received ${shapeText(shape)}`);
    }
  }
  return { sequences, rows, w, T, B, H };
}

/**
 * Compiles a recurrent plan into the cpu backend's recurrent sequence kernels (plan.ts's recurrent
 * layout). The plan is checked first (an Error names the plan and what is wrong).
 */
export function compileCpuRecurrentPlan(plan: NeuronPlan, options: CpuPlanOptions = {}): CompiledPlan {
  checkPlan(plan, 'compileCpuRecurrentPlan');
  const rec = checkRecurrence(plan, 'compileCpuRecurrentPlan');
  const loops = compileLoops(plan, 'recurrent', {
    forward: recurrentForwardSource(plan), backward: recurrentBackwardSource(plan),
    forwardParameters: RECURRENT_FORWARD_PARAMETERS, backwardParameters: RECURRENT_BACKWARD_PARAMETERS,
  }, options.makeFunction, () => interpreterLoops(plan, rec.input));
  const name = plan.kernelName;
  const grad = `${name}Grad`;
  const sequenceNames = plan.inputs.filter((_, j) => j !== rec.input);
  const rowNames = [`${plan.outputs[rec.output]!}0`, ...plan.states.map((s) => `${s}0`)];
  const tapeWidth = Math.max(1, recurrentTapedRegisters(plan).length);
  const empty = new Float32Array(0);
  /** The sequence inputs in plan.inputs order, r's slot empty. */
  const withR = (own: readonly Float32Array[]): Float32Array[] => plan.inputs.map((_, j) => (j === rec.input ? empty : own[j < rec.input ? j : j - 1]!));

  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const cpu = cpuBackend(backend, name);
    const io = operands(cpu, inputs, name, sequenceNames, rowNames);
    const P = parameters(plan, attrs as NamedAttrMap, name);
    const { T, B, H } = io;
    const states = io.rows.slice(1).map((a) => a.slice());
    const outputs = plan.outputs.map(() => new Float32Array(T * B * H));
    loops.forward(P, withR(io.sequences), states, outputs, io.rows[0]!, transpose(io.w, H), T, B, H, matMulBlock(backend), recurrentCurrent);
    return [...outputs.map((a) => output(cpu, [T, B, H], a)), ...states.map((a) => output(cpu, [B, H], a))];
  };

  const backward: KernelFunc = ({ inputs, backend, attrs }) => {
    const cpu = cpuBackend(backend, grad);
    const io = operands(cpu, inputs, grad, [...sequenceNames, ...plan.outputs.map((o) => `d${o}`)], [...rowNames, ...plan.states.map((s) => `d${s}`)]);
    const P = parameters(plan, attrs as NamedAttrMap, grad);
    const { T, B, H } = io;
    const n = B * H;
    const states = plan.states.length;
    const x = io.sequences.slice(0, sequenceNames.length);
    const dOutputs = io.sequences.slice(sequenceNames.length);
    const adjoint = io.rows.slice(1 + states).map((a) => a.slice());
    const gradInputs = sequenceNames.map(() => new Float32Array(T * n));
    const gz0 = new Float32Array(n);
    const dwt = new Float64Array(H * H);
    loops.backward(
      P, withR(x), io.rows.slice(1, 1 + states), io.rows[0]!, transpose(io.w, H), io.w, dOutputs, adjoint, withR(gradInputs), gz0, dwt,
      T, B, H, matMulBlock(backend), recurrentCurrent, recurrentProductAdjoint, new Float32Array(T * tapeWidth * n), new Float32Array(T * n),
    );
    return [
      ...gradInputs.map((a) => output(cpu, [T, B, H], a)), output(cpu, [B, H], gz0), ...adjoint.map((a) => output(cpu, [B, H], a)),
      output(cpu, [H, H], transposedToFloat32(dwt, H)),
    ];
  };

  return { forward, backward };
}
