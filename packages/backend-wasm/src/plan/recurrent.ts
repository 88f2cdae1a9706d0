/**
 * `compileWasmRecurrentPlan(plan)`: the recurrent sequence kernels (forward and backward) of a plan
 * with `recurrent` on the wasm backend — the layout of @snn/functional's spec/plan.ts, "The recurrent
 * sequence kernel". The plan's generated module (codegen.ts) runs the time loop, on the backend's heap
 * (nothing is copied); each step calls two pieces:
 *
 * - the recurrent current r(t) = zPrev·wᵀ: `recurrentProduct` of the AssemblyScript module
 *   (assembly/recurrent.ts, imported by the generated module on the same memory) — per row, the nonzero
 *   spikes in ascending k, their rows of wᵀ (transposed once per call) added in float32 into a cleared
 *   accumulator: the sum every wasm recurrent kernel makes, model-independent;
 * - one step of all B·H neurons, the plan's forward program in SIMD code, r read like any other input.
 *
 * Backward: the forward loop again (`sequenceTaped`), keeping r(t), the fed-back output and what the
 * adjoint reads (tape.ts: LIF's vd, say) for every step — scratch of (tape slots + 2)·T·B·H floats —
 * then the adjoint loop (`sequenceAdjoint`) from t = T − 1: the fed-back output's gradient
 * d<output>(t) + gz(t + 1) (`addArrays`), the adjoint step of all neurons from the tape (no recompute;
 * the running adjoint lives in the ∂initial-state outputs), dwᵀ += zPrev(t)ᵀ·gr(t) over the spikes
 * (`recurrentWeightGrad`, float32) and gz(t) = gr(t)·w (dense, `denseRowsTimes`). dw is wᵀ's gradient
 * transposed once at the end. Every sum is the one the hand-written wasm recurrent kernels made, in
 * their order: the generated LIF sequence equalled theirs bit for bit, forward and backward
 * (bench/scripts/recurrent-wasm.mjs checked it before they were deleted in issue 13).
 *
 * While a browser's main thread may only compile the plan's module in the background (modules.ts),
 * the kernels run the reference interpreter (runRecurrentPlanForward/Backward) on the heap instead.
 */
import {
  planRecurrence, PlanUnsupportedError, recurrentKernelInputs, runRecurrentPlanBackward, runRecurrentPlanForward,
  type CompiledPlan, type NeuronPlan,
} from '@snn/functional';
import { gradInputNameOf, gradKernelNameOf } from '@snn/tensor';
import { backendMemory } from '../heap.js';
import { sameShape, wasmKernel, type KernelContext } from '../kernel.js';
import { tapePlan } from './tape.js';
import { checkPlan } from './check-plan.js';
import { planExports } from './modules.js';

const F = 4; // bytes per float32

/** T, B, H of a call, checked: sequences [T, B, H], `<output>0` and states [B, H], w [H, H]. */
function sizes(kernelName: string, ctx: KernelContext, sequences: readonly string[], rows: readonly string[]): { T: number; B: number; H: number } {
  const x = sameShape(kernelName, ctx, sequences);
  const s = sameShape(kernelName, ctx, rows);
  if (s.length !== 2) throw new Error(`${kernelName} (wasm): input '${rows[0]}' expected shape [B, H]; received [${s.join(', ')}]`);
  const [B, H] = s as [number, number];
  if (x.length !== 3 || x[1] !== B || x[2] !== H) {
    throw new Error(`${kernelName} (wasm): input '${sequences[0]}' expected shape [T, ${B}, ${H}] (time first, then the shape of '${rows[0]}'); received [${x.join(', ')}]`);
  }
  const w = ctx.input('w').shape;
  if (w.length !== 2 || w[0] !== H || w[1] !== H) throw new Error(`${kernelName} (wasm): input 'w' expected shape [${H}, ${H}]; received [${w.join(', ')}]`);
  return { T: x[0]!, B, H };
}

/** A Float32Array copy of `count` floats at heap byte offset `ptr`. */
const read = (memory: WebAssembly.Memory, ptr: number, count: number): Float32Array => new Float32Array(memory.buffer, ptr, count).slice();
/** Writes `values` at heap byte offset `ptr`. */
const write = (memory: WebAssembly.Memory, ptr: number, values: Float32Array): void => new Float32Array(memory.buffer, ptr, values.length).set(values);
/** Copies `count` floats on the heap. */
const copy = (memory: WebAssembly.Memory, from: number, to: number, count: number): void => {
  if (count > 0) new Float32Array(memory.buffer, to, count).set(new Float32Array(memory.buffer, from, count));
};
/** Zeroes `count` floats on the heap. */
const zero = (memory: WebAssembly.Memory, ptr: number, count: number): void => {
  if (count > 0) new Float32Array(memory.buffer, ptr, count).fill(0);
};

/**
 * The wasm backend's recurrent sequence kernels for `plan` (forward `plan.kernelName`, backward
 * `…Grad`; see the module comment). Registered as the `wasm` recurrent plan compiler by
 * `registerWasmKernels`. Throws an Error naming the plan for a malformed plan or one without
 * `recurrent`, and a PlanUnsupportedError (the layer then runs its composite path) for a plan whose
 * only sequence input is r.
 */
export function compileWasmRecurrentPlan(plan: NeuronPlan): CompiledPlan {
  const rec = planRecurrence('compileWasmRecurrentPlan', plan);
  checkPlan(plan);
  const name = plan.kernelName;
  const gradName = gradKernelNameOf(name);
  const fedName = `${plan.outputs[rec.output]!}0`;
  const sequenceNames = plan.inputs.filter((_, j) => j !== rec.input);
  if (sequenceNames.length === 0) {
    throw new PlanUnsupportedError(`compileWasmRecurrentPlan: plan '${name}' has no sequence input besides the recurrent current; the wasm kernels need one (it gives them their time axis)`);
  }
  const stateInputs = plan.states.map((s) => `${s}0`);
  const forwardInputs = recurrentKernelInputs(plan);
  const gradOutputs = plan.outputs.map(gradInputNameOf);
  const gradStates = plan.states.map(gradInputNameOf);
  const all = [...forwardInputs, ...gradOutputs, ...gradStates];
  const clash = all.find((n, k) => all.indexOf(n) !== k);
  if (clash !== undefined) {
    throw new Error(`compileWasmRecurrentPlan: plan '${name}': the kernel input name '${clash}' arises twice (${all.join(', ')}); expected distinct names`);
  }
  /** Position in the kernel's sequence inputs of plan input j (j ≠ rec.input). */
  const sequenceOf = (j: number): number => (j < rec.input ? j : j - 1);
  const params = (ctx: KernelContext): number[] => plan.params.map((p) => ctx.num(p));
  const attrsOf = (p: readonly number[]): Record<string, number> => Object.fromEntries(plan.params.map((key, k) => [key, p[k]!]));
  const S = plan.states.length;
  /** Heap pointers of the forward inputs (both kernels take them): the sequences, the fed-back output, the initial states, w. */
  const forwardPointers = (ctx: KernelContext): { seq: number[]; fed0: number; initial: number[]; w: number } => ({
    seq: sequenceNames.map((x) => ctx.ptr(ctx.input(x))),
    fed0: ctx.ptr(ctx.input(fedName)),
    initial: stateInputs.map((s) => ctx.ptr(ctx.input(s))),
    w: ctx.ptr(ctx.input('w')),
  });

  const forward = wasmKernel(name, forwardInputs, (ctx) => {
    const { T, B, H } = sizes(name, ctx, sequenceNames, [fedName, ...stateInputs]);
    const n = B * H;
    const p = params(ctx);
    const outputs = plan.outputs.map(() => ctx.output([T, B, H]));
    const finals = plan.states.map(() => ctx.output([B, H]));
    const wt = ctx.scratch(H * H), r = ctx.scratch(n), idx = ctx.scratch(H), val = ctx.scratch(H);
    const memory = backendMemory(ctx.backend);
    const exports = planExports(plan, memory);
    const { seq, fed0, initial, w } = forwardPointers(ctx);
    const outs = outputs.map((o) => ctx.ptr(o));
    const ends = finals.map((s) => ctx.ptr(s));
    if (!exports?.sequence) {
      const run = runRecurrentPlanForward(plan, attrsOf(p), {
        inputs: seq.map((x) => read(memory, x, T * n)), fedBack0: read(memory, fed0, n), states: initial.map((s) => read(memory, s, n)), w: read(memory, w, H * H),
      }, { T, B, H });
      run.outputs.forEach((values, j) => write(memory, outs[j]!, values));
      run.states.forEach((values, s) => write(memory, ends[s]!, values));
      return [...outputs, ...finals];
    }
    // The state lives in the final-state outputs from the start (each step updates it in place).
    initial.forEach((s, j) => copy(memory, s, ends[j]!, n));
    ctx.kernels.transposeSquare(w, wt, H);
    exports.sequence!(
      ...plan.inputs.map((_, j) => (j === rec.input ? r : seq[sequenceOf(j)]!)), fed0, ...ends, ...outs, wt, r, idx, val, B, H, n, T, ...p,
    );
    return [...outputs, ...finals];
  });

  const backward = wasmKernel(gradName, all, (ctx) => {
    const { T, B, H } = sizes(gradName, ctx, [...sequenceNames, ...gradOutputs], [fedName, ...stateInputs, ...gradStates]);
    const n = B * H;
    const p = params(ctx);
    const gradSeq = sequenceNames.map(() => ctx.output([T, B, H]));
    const gradFed = ctx.output([B, H]); // gz(t + 1) during the walk back, gz(0) = ∂L/∂<output>0 at the end
    const gradInitial = plan.states.map(() => ctx.output([B, H]));
    const gradW = ctx.output([H, H]);
    const slots = tapePlan(plan).slots;
    const wt = ctx.scratch(H * H), dwt = ctx.scratch(H * H), idx = ctx.scratch(H), val = ctx.scratch(H);
    const tape = ctx.scratch(T * slots * n), rTape = ctx.scratch(T * n), fedTape = ctx.scratch(T * n), running = ctx.scratch(S * n);
    const junk = ctx.scratch(n), gr = ctx.scratch(n), gzSum = ctx.scratch(n);
    const memory = backendMemory(ctx.backend);
    const exports = planExports(plan, memory);
    const { seq, fed0, initial, w } = forwardPointers(ctx);
    const dOut = gradOutputs.map((g) => ctx.ptr(ctx.input(g)));
    const dState = gradStates.map((g) => ctx.ptr(ctx.input(g)));
    const dSeq = gradSeq.map((g) => ctx.ptr(g));
    const gz = ctx.ptr(gradFed);
    const ds0 = gradInitial.map((g) => ctx.ptr(g));
    const dw = ctx.ptr(gradW);
    if (!exports?.sequenceTaped || !exports.sequenceAdjoint) {
      const run = runRecurrentPlanBackward(plan, attrsOf(p), {
        inputs: seq.map((x) => read(memory, x, T * n)), fedBack0: read(memory, fed0, n), states: initial.map((s) => read(memory, s, n)), w: read(memory, w, H * H),
      }, dOut.map((g) => read(memory, g, T * n)), dState.map((g) => read(memory, g, n)), { T, B, H });
      run.inputs.forEach((values, j) => write(memory, dSeq[j]!, values));
      write(memory, gz, run.fedBack0);
      run.states.forEach((values, s) => write(memory, ds0[s]!, values));
      write(memory, dw, run.w);
      return [...gradSeq, gradFed, ...gradInitial, gradW];
    }
    const k = ctx.kernels;
    zero(memory, gz, n);
    zero(memory, dwt, H * H);
    k.transposeSquare(w, wt, H);
    // The state, then the running adjoint, are updated in place: start them at the initial state and d<state>.
    initial.forEach((s0, j) => copy(memory, s0, running + j * n * F, n));
    dState.forEach((g, j) => copy(memory, g, ds0[j]!, n));
    const inputs = plan.inputs.map((_, j) => (j === rec.input ? rTape : seq[sequenceOf(j)]!));
    exports.sequenceTaped!(
      ...inputs, fed0, ...plan.states.map((_, j) => running + j * n * F), ...plan.outputs.map((_, j) => (j === rec.output ? fedTape : junk)),
      wt, rTape, idx, val, B, H, tape, n, T, ...p,
    );
    exports.sequenceAdjoint!(
      ...inputs, fed0, fedTape, tape, ...dOut, ...ds0, ...plan.inputs.map((_, j) => (j === rec.input ? gr : dSeq[sequenceOf(j)]!)),
      gz, gzSum, w, dwt, idx, val, B, H, n, T, ...p,
    );
    k.transposeSquare(dwt, dw, H);
    return [...gradSeq, gradFed, ...gradInitial, gradW];
  });

  return { forward, backward };
}
