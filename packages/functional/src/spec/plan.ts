/**
 * The neuron plan: what a neuron spec lowers to, and the one thing every backend's kernel generator
 * reads (cpu: JavaScript source; wasm: bytecode emitted at run time; webgpu: WGSL). A generator never
 * sees a spec, a surrogate method or a model name — only straight-line float32 arithmetic over
 * registers, one Euler step forward and one step of its adjoint backward.
 *
 * ## Instructions
 *
 * A program is a list of instructions in SSA form: instruction k defines register k, and its operands
 * (`a`, `b`, `cond`) are indices of earlier instructions. Every value is float32: each instruction's
 * result is rounded to float32 (`Math.fround`) — doing each operation in float32, in this order,
 * reproduces the composite (op-by-op tfjs) path bit for bit on the cpu backend.
 *
 * - `const`: a float32 constant.
 * - `param`: the kernel attribute `plan.params[index]` (a float32 number, same for every neuron).
 * - `state`: the state variable `plan.states[index]` before this step.
 * - `input`: the sequence input `plan.inputs[index]` at this step.
 * - `gradState` (backward only): ∂L/∂(`plan.states[index]` after this step) — the running adjoint.
 * - `gradOutput` (backward only): ∂L/∂(`plan.outputs[index]` at this step).
 * - unary `neg abs exp log sqrt tanh` and binary `add sub mul div min max`: IEEE float32 arithmetic
 *   (`min`/`max` of a NaN operand: NaN).
 * - `spike`: Θ(a) = 1 when a > 0, else 0 — NaN gives 0.
 * - `gt`: 1 when a > b, else 0 (NaN gives 0). Carries no gradient.
 * - `select`: `cond > 0 ? a : b`.
 *
 * ## The integral kernel a generator builds from a plan (same contract as every fused kernel)
 *
 * - **Forward** `plan.kernelName`: tensor inputs, by name, `plan.inputs` (each [T, ...S], time first),
 *   then one `<state>0` per state (each [...S], the initial state). Returns, in order, one [T, ...S]
 *   tensor per `plan.outputs` (register `forward.outputs[j]` at each step), then the final value of
 *   each state ([...S], register `forward.nextStates[s]` after the last step). T = 0 is allowed (empty
 *   sequence outputs, final state = initial state). Neurons (the elements of S) are independent.
 * - **Backward** `plan.kernelName + 'Grad'`: the forward inputs under the same names, plus
 *   `d<output>` ([T, ...S]) for every sequence output and `d<state>` ([...S]) for every final state.
 *   Returns ∂L/∂ each forward input, in forward input order: one [T, ...S] per sequence input (register
 *   `backward.gradInputs[j]` at each step), then one [...S] per initial state (the running adjoint
 *   after walking back to t = 0). BPTT: recompute the forward trajectory from the inputs, keeping the
 *   state at the start of every step (or recomputing it; a generator may block over neurons to bound
 *   memory), set the running adjoint to `d<state>`, then for t = T−1 … 0 run `backward.instrs` with
 *   `state`/`input` = the values at step t and `gradState` = the running adjoint, write
 *   `gradInputs` at t and replace the running adjoint with `backward.gradStates`.
 * - **Attributes**: `attrs[name]` for every name in `plan.params` (float32 numbers). Other attributes
 *   (raw parameters for the composite path) may be present and are ignored.
 * - All tensors float32; a generator checks input presence, dtype and shapes as the hand-written
 *   kernels do, and names the kernel in its errors.
 *
 * ## The recurrent sequence kernel (a plan with `recurrent`)
 *
 * A recurrent layer feeds one output (the spikes z) back through square weights w [H, H] ([out, in]):
 * the plan's input `plan.inputs[recurrent.input]` (call it r) is, at step t, the recurrent current
 *
 *     r(t)[b, h] = Σ_k zPrev[b, k]·w[h, k],   zPrev = z0 at t = 0, else output `recurrent.output` at t − 1
 *
 * summed over the k with zPrev[b, k] ≠ 0 only, in ascending k (event-driven: spikes are mostly 0). A
 * backend sums as its own matMul of z·wᵀ does, so that the fused sequence equals the composite one
 * (which computes r with tfjs's matMul) bit for bit where that backend's composite is reproducible;
 * the reference interpreter adds the products in float64 and rounds once (what tfjs-cpu's matMul does
 * for H ≤ its block size, 48). Shapes are [B, H]: S is two-dimensional, H = the weights' size.
 *
 * - **Forward** `plan.kernelName`: tensor inputs, by name: every `plan.inputs` except r ([T, B, H]),
 *   then `<output>0` for the fed-back output (e.g. `z0`, [B, H]), then one `<state>0` per state
 *   ([B, H]), then `w` ([H, H]). Returns, as the integral kernel, one [T, B, H] per `plan.outputs`
 *   then the final states ([B, H]). T = 0 is allowed.
 * - **Backward** `plan.kernelName + 'Grad'`: the forward inputs plus `d<output>` ([T, B, H]) for
 *   every output and `d<state>` ([B, H]) for every final state; returns ∂L/∂ each forward input in
 *   forward input order (sequence inputs but r, `<output>0`, each `<state>0`, `w`). BPTT as the
 *   integral's, except that the fed-back output's `gradOutput` at step t is d<output>[t] + gz(t + 1),
 *   where, with gr(t) = register `backward.gradInputs[recurrent.input]` at step t:
 *
 *       gz(t)[b, k] = Σ_h gr(t)[b, h]·w[h, k]            (0 past the last step; gz(0) = ∂L/∂<output>0)
 *       ∂L/∂w[h, k] = Σ_t Σ_b gr(t)[b, h]·zPrev(t)[b, k]  (only the spikes zPrev ≠ 0 add)
 *
 *   A backend may accumulate these sums in float64 (the reference interpreter does, rounding each
 *   gz(t) to float32 before it is read as a gradient; dw is rounded once at the end).
 */
import type { KernelFunc } from '@tensorflow/tfjs';

/** Unary float32 operations. */
export type PlanUnaryOp = 'neg' | 'abs' | 'exp' | 'log' | 'sqrt' | 'tanh';
/** Binary float32 operations. */
export type PlanBinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';

/** One instruction of a plan program (see the module comment). Operands are earlier register indices. */
export type PlanInstruction = PlanConstant | PlanLeaf | PlanUnary | PlanBinary | PlanSelect;

/** A float32 constant. */
export interface PlanConstant {
  /** The operation. */
  readonly op: 'const';
  /** The constant (a float32 number). */
  readonly value: number;
}

/** A value read from outside the program: a parameter, a state, an input or a gradient. */
export interface PlanLeaf {
  /** Which list it reads (see the module comment). */
  readonly op: 'param' | 'state' | 'input' | 'gradState' | 'gradOutput';
  /** The position in that list. */
  readonly index: number;
}

/** A unary operation, or Θ. */
export interface PlanUnary {
  /** The operation. */
  readonly op: PlanUnaryOp | 'spike';
  /** The operand's register. */
  readonly a: number;
}

/** A binary operation, or the comparison `gt`. */
export interface PlanBinary {
  /** The operation. */
  readonly op: PlanBinaryOp | 'gt';
  /** The first operand's register. */
  readonly a: number;
  /** The second operand's register. */
  readonly b: number;
}

/** `cond > 0 ? a : b`. */
export interface PlanSelect {
  /** The operation. */
  readonly op: 'select';
  /** The condition's register. */
  readonly cond: number;
  /** The register taken when the condition is positive. */
  readonly a: number;
  /** The register taken otherwise. */
  readonly b: number;
}

/** The forward program of one Euler step. */
export interface PlanForward {
  /** The step's instructions; instruction k defines register k. */
  readonly instructions: readonly PlanInstruction[];
  /** Register holding each state after the step, in `plan.states` order. */
  readonly nextStates: readonly number[];
  /** Register holding each sequence output of the step, in `plan.outputs` order. */
  readonly outputs: readonly number[];
}

/** The adjoint program of one Euler step (reads `state`/`input` at step t and the running adjoint). */
export interface PlanBackward {
  /** The adjoint step's instructions (they may recompute forward values); instruction k defines register k. */
  readonly instructions: readonly PlanInstruction[];
  /** Register holding ∂L/∂(each state before the step), in `plan.states` order. */
  readonly gradStates: readonly number[];
  /** Register holding ∂L/∂(each sequence input at the step), in `plan.inputs` order. */
  readonly gradInputs: readonly number[];
}

/** A neuron model lowered for kernel generators (see the module comment). */
export interface NeuronPlan {
  /** The forward kernel's name (unique per spec and surrogate method); the backward one appends `Grad`. */
  readonly kernelName: string;
  /** A stable key of the programs' content (generators may cache compiled code by it). */
  readonly key: string;
  /** Scalar float32 attributes the programs read (`param`), in index order. */
  readonly params: readonly string[];
  /** State variables, in index order. */
  readonly states: readonly string[];
  /** Per-step sequence inputs, in index order. */
  readonly inputs: readonly string[];
  /** Per-step sequence outputs, in index order. */
  readonly outputs: readonly string[];
  /** One Euler step. */
  readonly forward: PlanForward;
  /** One step of the adjoint (BPTT). */
  readonly backward: PlanBackward;
  /** Present for a recurrent sequence kernel (see the module comment): which input is r, which output is fed back. */
  readonly recurrent?: PlanRecurrence;
}

/** The recurrent wiring of a plan: the input r(t) = zPrev·wᵀ and the output z fed back into it. */
export interface PlanRecurrence {
  /** Index in `plan.inputs` of the recurrent current r. */
  readonly input: number;
  /** Index in `plan.outputs` of the output fed back (the spikes). */
  readonly output: number;
}

/** The tfjs kernel functions a backend builds from a plan, implementing the layout above. */
export interface CompiledPlan {
  /** The forward kernel (`plan.kernelName`). */
  readonly forward: KernelFunc;
  /** The backward kernel (`plan.kernelName + 'Grad'`). */
  readonly backward: KernelFunc;
}

/**
 * Thrown by a compiler for a plan beyond its backend's limits (WebGPU's storage buffers on a
 * compatibility device, say): the model then runs the composite path on that backend, saying so once.
 *
 * Gives its `message`; the model that meets it runs the composite path on that backend (the results equal).
 */
export class PlanUnsupportedError extends Error {
  /**
   * @param message what exceeds the backend's limits, and which plan
   */
  constructor(message: string) {
    super(message);
    this.name = 'PlanUnsupportedError';
  }
}

/** Builds a backend's kernels from a plan, synchronously (see `registerPlanCompiler`). */
export type PlanCompiler = (plan: NeuronPlan) => CompiledPlan;

const compilers = new Map<string, PlanCompiler>();

/**
 * Registers the kernel generator of tfjs backend `backendName` (done by each `@snn/backend-*`
 * package's registration). A spec'd model's kernels are generated on first use on that backend.
 * Registering again replaces the previous compiler.
 */
export function registerPlanCompiler(backendName: string, compiler: PlanCompiler): void {
  if (typeof backendName !== 'string' || backendName.length === 0) {
    throw new Error(`registerPlanCompiler: argument 'backendName' expected a backend name such as 'cpu'; received ${String(backendName)}`);
  }
  if (typeof compiler !== 'function') {
    throw new Error(`registerPlanCompiler: argument 'compiler' expected a function (plan) => { forward, backward }; received ${typeof compiler}`);
  }
  compilers.set(backendName, compiler);
}

/** The kernel generator registered for `backendName`, if any. */
export function planCompiler(backendName: string): PlanCompiler | undefined {
  return compilers.get(backendName);
}

const f = Math.fround;

/** Evaluates one instruction list over registers `r` (float32 semantics); `read` resolves the leaf ops. */
export function evaluatePlanInstructions(instructions: readonly PlanInstruction[], r: Float32Array, read: (op: string, index: number) => number): void {
  for (let k = 0; k < instructions.length; k++) {
    const s = instructions[k]!;
    let value: number;
    switch (s.op) {
      case 'const': value = s.value; break;
      case 'param': case 'state': case 'input': case 'gradState': case 'gradOutput': value = read(s.op, s.index); break;
      case 'neg': value = -r[s.a]!; break;
      case 'abs': value = Math.abs(r[s.a]!); break;
      case 'exp': value = Math.exp(r[s.a]!); break;
      case 'log': value = Math.log(r[s.a]!); break;
      case 'sqrt': value = Math.sqrt(r[s.a]!); break;
      case 'tanh': value = Math.tanh(r[s.a]!); break;
      case 'spike': value = r[s.a]! > 0 ? 1 : 0; break;
      case 'add': value = r[s.a]! + r[s.b]!; break;
      case 'sub': value = r[s.a]! - r[s.b]!; break;
      case 'mul': value = r[s.a]! * r[s.b]!; break;
      case 'div': value = r[s.a]! / r[s.b]!; break;
      case 'min': { const a = r[s.a]!, b = r[s.b]!; value = Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b); break; }
      case 'max': { const a = r[s.a]!, b = r[s.b]!; value = Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b); break; }
      case 'gt': value = r[s.a]! > r[s.b]! ? 1 : 0; break;
      case 'select': value = r[s.cond]! > 0 ? r[s.a]! : r[s.b]!; break;
    }
    r[k] = f(value); // the Float32Array store rounds; fround keeps the intent visible
  }
}

/** Sequence and state arrays of one plan run: flat float32, sequence arrays T·n long, states n long. */
export interface PlanArrays {
  /** One array per `plan.inputs` (T·n, time-major). */
  readonly inputs: readonly Float32Array[];
  /** One array per `plan.states` (n): the initial state. */
  readonly states: readonly Float32Array[];
}

/** What a plan's forward kernel returns, as arrays. */
export interface PlanForwardResult {
  /** One array per `plan.outputs` (T·n). */
  outputs: Float32Array[];
  /** One array per `plan.states` (n): the final state. */
  states: Float32Array[];
}

/** What a plan's backward kernel returns, as arrays. */
export interface PlanBackwardResult {
  /** ∂L/∂ each sequence input (T·n). */
  inputs: Float32Array[];
  /** ∂L/∂ each initial state (n). */
  states: Float32Array[];
}

/**
 * The reference semantics of a plan's forward kernel, in plain JavaScript (slow: an interpreter).
 * Generators are tested against it; it is also a fallback where generated code cannot run.
 * Returns the sequence outputs (T·n each) and the final states (n each).
 */
export function runPlanForward(plan: NeuronPlan, attrs: Readonly<Record<string, unknown>>, arrays: PlanArrays, steps: number, n: number): PlanForwardResult {
  const params = plan.params.map((name) => f(attrs[name] as number));
  const outputs = plan.outputs.map(() => new Float32Array(steps * n));
  const states = arrays.states.map((s) => Float32Array.from(s));
  const r = new Float32Array(plan.forward.instructions.length);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < steps; t++) {
      evaluatePlanInstructions(plan.forward.instructions, r, (op, index) => (op === 'param' ? params[index]! : op === 'state' ? states[index]![k]! : arrays.inputs[index]![t * n + k]!));
      plan.forward.outputs.forEach((reg, j) => { outputs[j]![t * n + k] = r[reg]!; });
      plan.forward.nextStates.forEach((reg, s) => { states[s]![k] = r[reg]!; });
    }
  }
  return { outputs, states };
}

/**
 * The reference semantics of a plan's backward kernel (BPTT, see the module comment), in plain
 * JavaScript. `gradOutputs` are the `d<output>` arrays (T·n), `gradStates` the `d<state>` arrays (n).
 * Returns ∂L/∂ each sequence input (T·n) and ∂L/∂ each initial state (n).
 */
export function runPlanBackward(
  plan: NeuronPlan, attrs: Readonly<Record<string, unknown>>, arrays: PlanArrays,
  gradOutputs: readonly Float32Array[], gradStates: readonly Float32Array[], steps: number, n: number,
): PlanBackwardResult {
  const params = plan.params.map((name) => f(attrs[name] as number));
  const nStates = plan.states.length;
  const gradInputs = plan.inputs.map(() => new Float32Array(steps * n));
  const gradInitial = plan.states.map(() => new Float32Array(n));
  const tape = new Float32Array(steps * nStates);
  const forward = new Float32Array(plan.forward.instructions.length);
  const backward = new Float32Array(plan.backward.instructions.length);
  const adjoint = new Float32Array(nStates);
  for (let k = 0; k < n; k++) {
    for (let s = 0; s < nStates; s++) tape[s] = arrays.states[s]![k]!;
    for (let t = 0; t + 1 < steps; t++) {
      evaluatePlanInstructions(plan.forward.instructions, forward, (op, index) => (op === 'param' ? params[index]! : op === 'state' ? tape[t * nStates + index]! : arrays.inputs[index]![t * n + k]!));
      plan.forward.nextStates.forEach((reg, s) => { tape[(t + 1) * nStates + s] = forward[reg]!; });
    }
    for (let s = 0; s < nStates; s++) adjoint[s] = gradStates[s]![k]!;
    for (let t = steps - 1; t >= 0; t--) {
      evaluatePlanInstructions(plan.backward.instructions, backward, (op, index) => {
        switch (op) {
          case 'param': return params[index]!;
          case 'state': return tape[t * nStates + index]!;
          case 'input': return arrays.inputs[index]![t * n + k]!;
          case 'gradState': return adjoint[index]!;
          default: return gradOutputs[index]![t * n + k]!;
        }
      });
      plan.backward.gradInputs.forEach((reg, j) => { gradInputs[j]![t * n + k] = backward[reg]!; });
      plan.backward.gradStates.forEach((reg, s) => { adjoint[s] = backward[reg]!; });
    }
    for (let s = 0; s < nStates; s++) gradInitial[s]![k] = adjoint[s]!;
  }
  return { inputs: gradInputs, states: gradInitial };
}
