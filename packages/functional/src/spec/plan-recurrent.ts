/**
 * The reference semantics of a recurrent plan's sequence kernels (plan.ts, "The recurrent sequence
 * kernel"), in plain JavaScript: what every backend's recurrent generator is tested against. Slow (an
 * interpreter, and a dense walk over the weights) but exact to the contract: the recurrent product
 * adds its products in float64 over the spikes in ascending k and rounds once.
 */
import { evaluatePlanInstructions, type NeuronPlan, type PlanCompiler, type PlanRecurrence } from './plan.js';

const compilers = new Map<string, PlanCompiler>();

/**
 * Registers the recurrent sequence kernel generator of tfjs backend `backendName`: it receives plans
 * with `recurrent` (and only those; `registerPlanCompiler`'s generator receives the others) and builds
 * the kernels of the recurrent layout (plan.ts). It may throw `PlanUnsupportedError` (the layer then
 * runs its composite path there, saying so once). Registering again replaces the previous one.
 */
export function registerRecurrentPlanCompiler(backendName: string, compiler: PlanCompiler): void {
  if (typeof backendName !== 'string' || backendName.length === 0) {
    throw new Error(`registerRecurrentPlanCompiler: argument 'backendName' expected a backend name such as 'cpu'; received ${String(backendName)}`);
  }
  if (typeof compiler !== 'function') {
    throw new Error(`registerRecurrentPlanCompiler: argument 'compiler' expected a function (plan) => { forward, backward }; received ${typeof compiler}`);
  }
  compilers.set(backendName, compiler);
}

/** The recurrent kernel generator registered for `backendName`, if any. */
export function recurrentPlanCompiler(backendName: string): PlanCompiler | undefined {
  return compilers.get(backendName);
}

const f = Math.fround;

/** The arrays of one recurrent run: sequences T·B·H long (time-major), states and `fedBack0` B·H, `w` H·H. */
export interface RecurrentPlanArrays {
  /** One array per `plan.inputs` except the recurrent one, in order (T·B·H each). */
  readonly inputs: readonly Float32Array[];
  /** The fed-back output before the first step (`<output>0`, B·H). */
  readonly fedBack0: Float32Array;
  /** One array per `plan.states` (B·H): the initial state. */
  readonly states: readonly Float32Array[];
  /** The recurrent weights [H, H] ([out, in]). */
  readonly w: Float32Array;
}

/** The sizes of a recurrent run. */
export interface RecurrentSizes {
  /** Time steps. */
  readonly T: number;
  /** Rows (batch). */
  readonly B: number;
  /** Neurons per row. */
  readonly H: number;
}

/** What a recurrent plan's forward kernel returns, as arrays. */
export interface RecurrentPlanForwardResult {
  /** One array per `plan.outputs` (T·B·H). */
  outputs: Float32Array[];
  /** One array per `plan.states` (B·H): the final state. */
  states: Float32Array[];
}

/** What a recurrent plan's backward kernel returns, as arrays (one per forward input, in order). */
export interface RecurrentPlanBackwardResult {
  /** ∂L/∂ each sequence input but r (T·B·H). */
  inputs: Float32Array[];
  /** ∂L/∂`<output>0` (B·H). */
  fedBack0: Float32Array;
  /** ∂L/∂ each initial state (B·H). */
  states: Float32Array[];
  /** ∂L/∂w (H·H). */
  w: Float32Array;
}

/** The plan's recurrence, or an Error naming `fn` for a plan without one. */
export function planRecurrence(fn: string, plan: NeuronPlan): PlanRecurrence {
  if (!plan.recurrent) throw new Error(`${fn}: plan '${plan.kernelName}' has no recurrent wiring (plan.recurrent)`);
  return plan.recurrent;
}

/** The tensor input names of a recurrent plan's forward kernel, in order (see plan.ts). */
export function recurrentKernelInputs(plan: NeuronPlan): string[] {
  const rec = planRecurrence('recurrentKernelInputs', plan);
  return [
    ...plan.inputs.filter((_, k) => k !== rec.input), `${plan.outputs[rec.output]!}0`, ...plan.states.map((s) => `${s}0`), 'w',
  ];
}

/** r = zPrev·wᵀ for every row, in float64 over the nonzero spikes in ascending k, rounded once. */
function recurrentCurrent(zPrev: Float32Array, zOff: number, w: Float32Array, { B, H }: RecurrentSizes, r: Float32Array): void {
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      let sum = 0;
      for (let k = 0; k < H; k++) {
        const zk = zPrev[zOff + b * H + k]!;
        if (zk !== 0) sum += zk * w[h * H + k]!;
      }
      r[b * H + h] = sum;
    }
  }
}

/** Runs the forward program over every step, recording the states at the start of each step when `tape` is given. */
function forwardRun(
  plan: NeuronPlan, attrs: Readonly<Record<string, unknown>>, a: RecurrentPlanArrays, size: RecurrentSizes, tape?: Float32Array[],
): RecurrentPlanForwardResult {
  const rec = planRecurrence('runRecurrentPlanForward', plan);
  const { T, B, H } = size;
  const n = B * H;
  const params = plan.params.map((name) => f(attrs[name] as number));
  const outputs = plan.outputs.map(() => new Float32Array(T * n));
  const states = a.states.map((s) => Float32Array.from(s));
  const registers = new Float32Array(plan.forward.instructions.length);
  const r = new Float32Array(n);
  const sequence = (index: number): Float32Array => a.inputs[index < rec.input ? index : index - 1]!;
  for (let t = 0; t < T; t++) {
    if (t === 0) recurrentCurrent(a.fedBack0, 0, a.w, size, r);
    else recurrentCurrent(outputs[rec.output]!, (t - 1) * n, a.w, size, r);
    if (tape) states.forEach((s, j) => tape[j]!.set(s, t * n));
    for (let k = 0; k < n; k++) {
      evaluatePlanInstructions(plan.forward.instructions, registers, (op, index) => {
        if (op === 'param') return params[index]!;
        if (op === 'state') return states[index]![k]!;
        return index === rec.input ? r[k]! : sequence(index)[t * n + k]!;
      });
      plan.forward.outputs.forEach((reg, j) => { outputs[j]![t * n + k] = registers[reg]!; });
      plan.forward.nextStates.forEach((reg, s) => { states[s]![k] = registers[reg]!; });
    }
  }
  return { outputs, states };
}

/** The reference forward kernel of a recurrent plan (see plan.ts): every output over time and the final states. */
export function runRecurrentPlanForward(
  plan: NeuronPlan, attrs: Readonly<Record<string, unknown>>, arrays: RecurrentPlanArrays, size: RecurrentSizes,
): RecurrentPlanForwardResult {
  return forwardRun(plan, attrs, arrays, size);
}

/**
 * The reference backward kernel of a recurrent plan (BPTT, see plan.ts). `gradOutputs` are the
 * `d<output>` arrays (T·B·H), `gradStates` the `d<state>` arrays (B·H).
 */
export function runRecurrentPlanBackward(
  plan: NeuronPlan, attrs: Readonly<Record<string, unknown>>, arrays: RecurrentPlanArrays,
  gradOutputs: readonly Float32Array[], gradStates: readonly Float32Array[], size: RecurrentSizes,
): RecurrentPlanBackwardResult {
  const rec = planRecurrence('runRecurrentPlanBackward', plan);
  const { T, B, H } = size;
  const n = B * H;
  const tape = plan.states.map(() => new Float32Array(T * n));
  const run = forwardRun(plan, attrs, arrays, size, tape);
  const params = plan.params.map((name) => f(attrs[name] as number));
  const registers = new Float32Array(plan.backward.instructions.length);
  const adjoint = gradStates.map((g) => Float32Array.from(g));
  const gradInputs = arrays.inputs.map(() => new Float32Array(T * n));
  const gr = new Float32Array(n);
  const gz = new Float32Array(n); // gz(t + 1), read at step t
  const dw = new Float64Array(H * H);
  const fedBack = run.outputs[rec.output]!;
  const sequence = (index: number): Float32Array => arrays.inputs[index < rec.input ? index : index - 1]!;
  const r = new Float32Array(n);
  for (let t = T - 1; t >= 0; t--) {
    const zPrev = t === 0 ? arrays.fedBack0 : fedBack;
    const zOff = t === 0 ? 0 : (t - 1) * n;
    recurrentCurrent(zPrev, zOff, arrays.w, size, r);
    for (let k = 0; k < n; k++) {
      evaluatePlanInstructions(plan.backward.instructions, registers, (op, index) => {
        switch (op) {
          case 'param': return params[index]!;
          case 'state': return tape[index]![t * n + k]!;
          case 'input': return index === rec.input ? r[k]! : sequence(index)[t * n + k]!;
          case 'gradState': return adjoint[index]![k]!;
          default: {
            const given = gradOutputs[index]![t * n + k]!;
            return index === rec.output ? f(given + gz[k]!) : given;
          }
        }
      });
      plan.backward.gradInputs.forEach((reg, j) => {
        if (j === rec.input) gr[k] = registers[reg]!;
        else gradInputs[j < rec.input ? j : j - 1]![t * n + k] = registers[reg]!;
      });
      plan.backward.gradStates.forEach((reg, s) => { adjoint[s]![k] = registers[reg]!; });
    }
    for (let b = 0; b < B; b++) {
      for (let kk = 0; kk < H; kk++) {
        let sum = 0;
        for (let h = 0; h < H; h++) sum += gr[b * H + h]! * arrays.w[h * H + kk]!;
        gz[b * H + kk] = sum;
        const zk = zPrev[zOff + b * H + kk]!;
        if (zk !== 0) for (let h = 0; h < H; h++) dw[h * H + kk] = dw[h * H + kk]! + gr[b * H + h]! * zk;
      }
    }
  }
  return { inputs: gradInputs, fedBack0: Float32Array.from(gz), states: adjoint, w: Float32Array.from(dw) };
}
