/**
 * `compileWasmPlan(plan)`: the tfjs kernels (forward and backward) of a neuron plan on the wasm
 * backend, running the module codegen.ts emits for it. Same contract as every fused kernel here
 * (kernel.ts): inputs checked before anything is allocated, outputs and the backward tape allocated on
 * the backend's heap, the generated functions called on their offsets — nothing is copied.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { runPlanBackward, runPlanForward, type CompiledPlan, type NeuronPlan } from '@snn/functional';
import { gradInputNameOf, gradKernelNameOf } from '@snn/tensor';
import { backendMemory } from '../heap.js';
import { sameShape, sequenceShape, sizeOf, wasmKernel, type KernelContext } from '../kernel.js';
import { backwardTile, tapeFloats } from './codegen.js';
import { checkPlan } from './check-plan.js';
import { planExports } from './modules.js';

export { precompileWasmPlan } from './modules.js';

/** T, n and the state shape S of a call, checked: every sequence input [T, ...S], every state-like input S. */
function shapes(kernelName: string, ctx: KernelContext, sequences: readonly string[], states: readonly string[]): { T: number; n: number; state: readonly number[] } {
  sameShape(kernelName, ctx, sequences);
  if (states.length > 0) return sequenceShape(kernelName, ctx, sequences[0]!, states);
  const x = ctx.input(sequences[0]!).shape;
  if (x.length < 1) throw new Error(`${kernelName} (wasm): input '${sequences[0]}' expected shape [T, ...] (time first); received a scalar`);
  const state = x.slice(1);
  return { T: x[0]!, n: sizeOf(state), state };
}

/** A Float32Array copy of `count` floats at heap byte offset `ptr`. */
const read = (memory: WebAssembly.Memory, ptr: number, count: number): Float32Array => new Float32Array(memory.buffer, ptr, count).slice();
/** Writes `values` at heap byte offset `ptr`. */
const write = (memory: WebAssembly.Memory, ptr: number, values: Float32Array): void => new Float32Array(memory.buffer, ptr, values.length).set(values);

/**
 * The wasm backend's kernels for `plan` (forward `plan.kernelName`, backward `…Grad`), implementing
 * the integral layout of @snn/functional's spec/plan.ts with SIMD code emitted at run time (see
 * codegen.ts). Registered as the `wasm` plan compiler by `registerWasmKernels`. The module is compiled
 * on the first call (cached by `plan.key`); see `precompileWasmPlan` for browsers' main thread.
 * Throws an Error naming the plan and the instruction when the plan is malformed, and a
 * PlanUnsupportedError (the model then runs its composite path) for a plan without a sequence input.
 */
export function compileWasmPlan(plan: NeuronPlan): CompiledPlan {
  checkPlan(plan);
  const name = plan.kernelName;
  const gradName = gradKernelNameOf(name);
  const stateInputs = plan.states.map((s) => `${s}0`);
  const gradOutputs = plan.outputs.map(gradInputNameOf);
  const gradStates = plan.states.map(gradInputNameOf);
  const params = (ctx: KernelContext): number[] => plan.params.map((p) => ctx.num(p));

  const forward = wasmKernel(name, [...plan.inputs, ...stateInputs], (ctx) => {
    const { T, n, state } = shapes(name, ctx, plan.inputs, stateInputs);
    const p = params(ctx);
    const sequence = [T, ...state];
    const outputs = plan.outputs.map(() => ctx.output(sequence));
    const finals = plan.states.map(() => ctx.output(state));
    const inputs = plan.inputs.map((x) => ctx.input(x));
    const initial = stateInputs.map((s) => ctx.input(s));
    const memory = backendMemory(ctx.backend);
    const exports = planExports(plan, memory);
    const ptrs = (infos: readonly TensorInfo[]): number[] => infos.map((info) => ctx.ptr(info));
    if (exports) {
      exports.forward(...ptrs(inputs), ...ptrs(initial), ...ptrs(outputs), ...ptrs(finals), n, T, ...p);
    } else {
      const attrs = Object.fromEntries(plan.params.map((key, k) => [key, p[k]]));
      const run = runPlanForward(plan, attrs, { inputs: inputs.map((x) => read(memory, ctx.ptr(x), T * n)), states: initial.map((s) => read(memory, ctx.ptr(s), n)) }, T, n);
      run.outputs.forEach((values, j) => write(memory, ctx.ptr(outputs[j]!), values));
      run.states.forEach((values, s) => write(memory, ctx.ptr(finals[s]!), values));
    }
    return [...outputs, ...finals];
  });

  const backward = wasmKernel(gradName, [...plan.inputs, ...stateInputs, ...gradOutputs, ...gradStates], (ctx) => {
    const { T, n, state } = shapes(gradName, ctx, [...plan.inputs, ...gradOutputs], [...stateInputs, ...gradStates]);
    const p = params(ctx);
    const sequence = [T, ...state];
    const gradInputs = plan.inputs.map(() => ctx.output(sequence));
    const gradInitial = plan.states.map(() => ctx.output(state));
    const tapeSize = tapeFloats(plan, T);
    const tape = tapeSize > 0 ? ctx.scratch(tapeSize) : 0;
    const memory = backendMemory(ctx.backend);
    const exports = planExports(plan, memory);
    const inputs = plan.inputs.map((x) => ctx.input(x));
    const initial = stateInputs.map((s) => ctx.input(s));
    const dOut = gradOutputs.map((g) => ctx.input(g));
    const dState = gradStates.map((g) => ctx.input(g));
    const ptrs = (infos: readonly TensorInfo[]): number[] => infos.map((info) => ctx.ptr(info));
    if (exports) {
      exports.backward(...ptrs(inputs), ...ptrs(initial), ...ptrs(dOut), ...ptrs(dState), ...ptrs(gradInputs), ...ptrs(gradInitial), tape, backwardTile(plan, T), n, T, ...p);
    } else {
      const attrs = Object.fromEntries(plan.params.map((key, k) => [key, p[k]]));
      const run = runPlanBackward(
        plan, attrs, { inputs: inputs.map((x) => read(memory, ctx.ptr(x), T * n)), states: initial.map((s) => read(memory, ctx.ptr(s), n)) },
        dOut.map((g) => read(memory, ctx.ptr(g), T * n)), dState.map((g) => read(memory, ctx.ptr(g), n)), T, n,
      );
      run.inputs.forEach((values, j) => write(memory, ctx.ptr(gradInputs[j]!), values));
      run.states.forEach((values, s) => write(memory, ctx.ptr(gradInitial[s]!), values));
    }
    return [...gradInputs, ...gradInitial];
  });

  return { forward, backward };
}
