/**
 * The recurrent twin of interpreter-compiler.ts: tfjs kernel functions that run the reference
 * interpreter of a recurrent plan (`runRecurrentPlanForward` / `runRecurrentPlanBackward`, the
 * recurrent sequence kernel's layout of plan.ts) on a backend whose tensors can be read synchronously
 * (cpu). Slow — it exists so that the recurrent fused path (kernels on demand, the fused op, a model's
 * recurrent sequence and its T = 1 steps) can be tested end to end without any backend's generator:
 * `registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler)`.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { CompiledPlan, NeuronPlan } from './plan.js';
import { planRecurrence, recurrentKernelInputs, runRecurrentPlanBackward, runRecurrentPlanForward } from './plan-recurrent.js';
import { readPlanInput, type SyncBackend } from './interpreter-compiler.js';

type Inputs = Readonly<Record<string, TensorInfo | undefined>>;

const read = readPlanInput;

/** The sizes and arrays of one call (see plan.ts for the layout). */
function layout(plan: NeuronPlan, backend: SyncBackend, inputs: Inputs) {
  const rec = planRecurrence(plan.kernelName, plan);
  const names = recurrentKernelInputs(plan);
  const sequences = plan.inputs.filter((_, k) => k !== rec.input);
  const first = inputs[sequences[0]!];
  if (!first || first.shape.length !== 3) throw new Error(`${plan.kernelName}: input '${sequences[0]}' expected a sequence [T, B, H]; received ${first ? `[${first.shape.join(', ')}]` : 'nothing'}`);
  const [T, B, H] = first.shape as [number, number, number];
  const sequenceShape = [T, B, H];
  const arrays = {
    inputs: sequences.map((n) => read(plan, backend, inputs, n, sequenceShape)),
    fedBack0: read(plan, backend, inputs, names[sequences.length]!, [B, H]),
    states: plan.states.map((s) => read(plan, backend, inputs, `${s}0`, [B, H])),
    w: read(plan, backend, inputs, 'w', [H, H]),
  };
  return { size: { T, B, H }, arrays, sequenceShape };
}

/** Kernel functions for a recurrent `plan` that interpret it (see the module comment). */
export function recurrentInterpreterCompiler(plan: NeuronPlan): CompiledPlan {
  planRecurrence('recurrentInterpreterCompiler', plan);
  const forward = (({ inputs, backend, attrs }) => {
    const b = backend as unknown as SyncBackend;
    const { size, arrays, sequenceShape } = layout(plan, b, inputs);
    const run = runRecurrentPlanForward(plan, attrs as Record<string, unknown>, arrays, size);
    return [
      ...run.outputs.map((o) => b.makeTensorInfo(sequenceShape, 'float32', o)),
      ...run.states.map((s) => b.makeTensorInfo([size.B, size.H], 'float32', s)),
    ];
  }) as KernelFunc;
  const backward = (({ inputs, backend, attrs }) => {
    const b = backend as unknown as SyncBackend;
    const { size, arrays, sequenceShape } = layout(plan, b, inputs);
    const gradOutputs = plan.outputs.map((o) => read(plan, b, inputs, `d${o}`, sequenceShape));
    const gradStates = plan.states.map((s) => read(plan, b, inputs, `d${s}`, [size.B, size.H]));
    const run = runRecurrentPlanBackward(plan, attrs as Record<string, unknown>, arrays, gradOutputs, gradStates, size);
    return [
      ...run.inputs.map((g) => b.makeTensorInfo(sequenceShape, 'float32', g)),
      b.makeTensorInfo([size.B, size.H], 'float32', run.fedBack0),
      ...run.states.map((g) => b.makeTensorInfo([size.B, size.H], 'float32', g)),
      b.makeTensorInfo([size.H, size.H], 'float32', run.w),
    ];
  }) as KernelFunc;
  return { forward, backward };
}
