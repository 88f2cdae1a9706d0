/**
 * The cpu backend's neuron-plan compiler: a plan (@snn/functional's spec/plan.ts) becomes two tfjs
 * kernels — the integral forward and its BPTT backward — whose loops are JavaScript generated from
 * the plan's instructions (plan-source.ts) and compiled once per plan with `new Function`, so V8
 * optimizes them like the hand-written kernels. Registered for 'cpu' by `registerCpuKernels`.
 *
 * Memory: the forward keeps one value per state per neuron; the backward recomputes the forward
 * trajectory block by block (`blockSize` neurons at a time), keeping per step of one block only the
 * few values its walk back reads (`tapedRegisters` of @snn/functional; about 512 KiB in all), then
 * walks time back.
 *
 * Where the page's Content-Security-Policy forbids `new Function` (no 'unsafe-eval'), compiling throws
 * an EvalError: the kernels then run the plan through the reference interpreter (`runPlanForward`,
 * `runPlanBackward`) — the same values, slower — and say so once.
 */
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { runPlanBackward, runPlanForward, type CompiledPlan, type NeuronPlan } from '@snn/functional';
import { blockSize, cpuBackend, FORWARD_BLOCK, inputValues, output, type CpuBackendLike } from './cpu-data.js';
import { BACKWARD_PARAMETERS, backwardSource, checkPlan, FORWARD_PARAMETERS, forwardSource, tapedRegisters } from './plan-source.js';

/** The generated forward loop (argument order: plan-source.ts's `FORWARD_PARAMETERS`). */
type ForwardLoop = (P: Float32Array, X: Float32Array[], S: Float32Array[], O: Float32Array[], steps: number, n: number, block: number) => void;
/** The generated backward loop (argument order: plan-source.ts's `BACKWARD_PARAMETERS`). */
type BackwardLoop = (
  P: Float32Array, X: Float32Array[], S0: Float32Array[], DO: Float32Array[], G: Float32Array[], GX: Float32Array[],
  steps: number, n: number, bs: number, tape: Float32Array,
) => void;

interface Loops {
  readonly forward: ForwardLoop;
  readonly backward: BackwardLoop;
}

/** Builds a function from parameter names and a body; `new Function` unless a test substitutes it. */
export type FunctionFactory = (parameters: readonly string[], body: string) => (...args: never[]) => unknown;

/** Options of `compileCpuPlan` (tests use them; the registered compiler takes the defaults). */
export interface CpuPlanOptions {
  /** How source becomes a function (default `new Function`). An EvalError from it selects the interpreter. */
  readonly makeFunction?: FunctionFactory;
}

const newFunction: FunctionFactory = (parameters, body) => new Function(...parameters, body) as (...args: never[]) => unknown;

/** Compiled loops by plan key and kind; the source is kept to tell two plans that share a key apart. */
const cache = new Map<string, { readonly source: string; readonly loops: unknown }>();

let interpreterNoted = false;

/** The reference interpreter behind the generated loops' signatures (the fallback without `new Function`). */
function interpreterLoops(plan: NeuronPlan): Loops {
  const attrsOf = (P: Float32Array): Record<string, number> => parameterRecord(plan, P);
  return {
    forward: (P, X, S, O, steps, n) => {
      const run = runPlanForward(plan, attrsOf(P), { inputs: X, states: S }, steps, n);
      run.outputs.forEach((a, j) => O[j]!.set(a));
      run.states.forEach((a, s) => S[s]!.set(a));
    },
    backward: (P, X, S0, DO, G, GX, steps, n) => {
      const run = runPlanBackward(plan, attrsOf(P), { inputs: X, states: S0 }, DO, G, steps, n);
      run.inputs.forEach((a, j) => GX[j]!.set(a));
      run.states.forEach((a, s) => G[s]!.set(a));
    },
  };
}

/** The parameters as the reference interpreters take them (attributes by name). */
export function parameterRecord(plan: NeuronPlan, P: Float32Array): Record<string, number> {
  return Object.fromEntries(plan.params.map((name, k) => [name, P[k]!]));
}

function isEvalError(e: unknown): boolean {
  return e instanceof EvalError || (e as { name?: unknown } | null)?.name === 'EvalError';
}

/** Generated source and parameter names of one kernel pair. */
export interface LoopSources {
  readonly forward: string;
  readonly backward: string;
  readonly forwardParameters: readonly string[];
  readonly backwardParameters: readonly string[];
}

/**
 * A plan's loops: generated and compiled (cached by key and `kind`), or `interpreter()` where code
 * cannot be generated (an EvalError from `makeFunction`; said once).
 */
export function compileLoops<L extends { readonly forward: unknown; readonly backward: unknown }>(
  plan: NeuronPlan, kind: string, sources: LoopSources, makeFunction: FunctionFactory | undefined, interpreter: () => L,
): L {
  const make = makeFunction ?? newFunction;
  const source = `${sources.forward}\n/* backward */\n${sources.backward}`;
  const key = `${kind} ${plan.key}`;
  const cached = cache.get(key);
  if (cached?.source === source && make === newFunction) return cached.loops as L;
  try {
    const loops = { forward: make(sources.forwardParameters, sources.forward), backward: make(sources.backwardParameters, sources.backward) } as unknown as L;
    if (make === newFunction) cache.set(key, { source, loops });
    return loops;
  } catch (e) {
    if (!isEvalError(e)) throw e;
    if (!interpreterNoted) {
      interpreterNoted = true;
      console.warn(`@snn/backend-cpu: generated neuron kernels cannot be compiled here (${(e as Error).message}; a Content-Security-Policy without 'unsafe-eval'?): spec'd models run their plans through the reference interpreter on the cpu backend, with the same results, slower.`);
    }
    return interpreter();
  }
}

/** A shape as `[2, 3]`, for errors. */
export const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;
/** Whether two shapes are equal. */
export const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, k) => d === b[k]);

/** The plan's attributes as float32 values, in `plan.params` order, each checked to be a number. */
export function parameters(plan: NeuronPlan, attrs: NamedAttrMap | undefined, kernel: string): Float32Array {
  return Float32Array.from(plan.params, (name) => {
    const value = attrs?.[name];
    if (typeof value !== 'number') throw new Error(`${kernel}: attribute '${name}' expected a number; received ${value === undefined ? 'nothing' : typeof value}`);
    return value;
  });
}

/** Sequence inputs [T, ...S] and per-neuron inputs [...S] of one kernel call, read and checked. */
interface Operands {
  readonly sequences: Float32Array[];
  readonly perNeuron: Float32Array[];
  /** The neuron shape S (of the first per-neuron input). */
  readonly neuronShape: number[];
  readonly steps: number;
  readonly n: number;
}

/**
 * Reads every named input (presence and dtype first, in order), then checks the shapes: every
 * per-neuron input has the first one's shape S, every sequence input has shape [T, ...S] with one T.
 */
function operands(
  cpu: CpuBackendLike, inputs: Record<string, TensorInfo | undefined>, kernel: string, sequenceNames: readonly string[], neuronNames: readonly string[],
): Operands {
  const sequences = sequenceNames.map((name) => inputValues(cpu, inputs, name, kernel));
  const perNeuron = neuronNames.map((name) => inputValues(cpu, inputs, name, kernel));
  // The neuron shape S: the first per-neuron input's, or (a plan without states) the first sequence's after T.
  const first = neuronNames[0] ?? sequenceNames[0]!;
  const neuronShape = neuronNames.length > 0 ? [...inputs[first]!.shape] : inputs[first]!.shape.slice(1);
  for (const name of neuronNames) {
    const shape = inputs[name]!.shape;
    if (!sameShape(shape, neuronShape)) {
      throw new Error(`${kernel}: input '${name}' expected shape ${shapeText(neuronShape)} (the neuron shape, as '${first}'); received ${shapeText(shape)}`);
    }
  }
  const steps = inputs[sequenceNames[0]!]!.shape[0] ?? -1;
  for (const name of sequenceNames) {
    const shape = inputs[name]!.shape;
    if (shape.length !== neuronShape.length + 1 || shape[0] !== steps || !sameShape(shape.slice(1), neuronShape)) {
      throw new Error(`${kernel}: input '${name}' expected shape [T, ${neuronShape.join(', ')}] (time first, then the neuron shape of '${first}'${steps >= 0 ? `, T = ${steps} as '${sequenceNames[0]}'` : ''}); received ${shapeText(shape)}`);
    }
  }
  const n = neuronShape.reduce((size, d) => size * d, 1);
  return { sequences, perNeuron, neuronShape, steps, n };
}

/**
 * Compiles `plan` into the cpu backend's forward and backward kernels, implementing plan.ts's
 * integral layout. The plan is checked first (an Error names the plan and the offending instruction).
 */
export function compileCpuPlan(plan: NeuronPlan, options: CpuPlanOptions = {}): CompiledPlan {
  checkPlan(plan, 'compileCpuPlan');
  const loops = compileLoops(plan, 'integral', {
    forward: forwardSource(plan), backward: backwardSource(plan), forwardParameters: FORWARD_PARAMETERS, backwardParameters: BACKWARD_PARAMETERS,
  }, options.makeFunction, () => interpreterLoops(plan));
  const name = plan.kernelName;
  const grad = `${name}Grad`;
  const stateInputs = plan.states.map((s) => `${s}0`);
  const tapeWidth = Math.max(1, tapedRegisters(plan).length);

  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const cpu = cpuBackend(backend, name);
    const io = operands(cpu, inputs, name, plan.inputs, stateInputs);
    const P = parameters(plan, attrs, name);
    const states = io.perNeuron.map((a) => a.slice());
    const outputs = plan.outputs.map(() => new Float32Array(io.steps * io.n));
    loops.forward(P, io.sequences, states, outputs, io.steps, io.n, FORWARD_BLOCK);
    const sequenceShape = [io.steps, ...io.neuronShape];
    return [...outputs.map((a) => output(cpu, sequenceShape, a)), ...states.map((a) => output(cpu, io.neuronShape, a))];
  };

  const backward: KernelFunc = ({ inputs, backend, attrs }) => {
    const cpu = cpuBackend(backend, grad);
    const io = operands(
      cpu, inputs, grad, [...plan.inputs, ...plan.outputs.map((o) => `d${o}`)], [...stateInputs, ...plan.states.map((s) => `d${s}`)],
    );
    const P = parameters(plan, attrs, grad);
    const x = io.sequences.slice(0, plan.inputs.length);
    const dOutputs = io.sequences.slice(plan.inputs.length);
    const initial = io.perNeuron.slice(0, plan.states.length);
    const adjoint = io.perNeuron.slice(plan.states.length).map((a) => a.slice());
    const gradInputs = plan.inputs.map(() => new Float32Array(io.steps * io.n));
    const bs = blockSize(io.n, io.steps, tapeWidth);
    const tape = new Float32Array(io.steps * tapeWidth * bs);
    loops.backward(P, x, initial, dOutputs, adjoint, gradInputs, io.steps, io.n, bs, tape);
    const sequenceShape = [io.steps, ...io.neuronShape];
    return [...gradInputs.map((a) => output(cpu, sequenceShape, a)), ...adjoint.map((a) => output(cpu, io.neuronShape, a))];
  };

  return { forward, backward };
}
