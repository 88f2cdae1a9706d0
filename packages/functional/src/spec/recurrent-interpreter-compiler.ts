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

interface SyncBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

type Inputs = Readonly<Record<string, TensorInfo | undefined>>;

function read(plan: NeuronPlan, backend: SyncBackend, inputs: Inputs, name: string, shape: readonly number[]): Float32Array {
  const t = inputs[name];
  if (!t) throw new Error(`${plan.kernelName}: input '${name}' is missing`);
  if (t.dtype !== 'float32') throw new Error(`${plan.kernelName}: input '${name}' expected float32; received ${t.dtype}`);
  if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
    throw new Error(`${plan.kernelName}: input '${name}' expected shape [${shape.join(', ')}]; received [${t.shape.join(', ')}]`);
  }
  const values = backend.readSync(t.dataId);
  if (values instanceof Float32Array) return values;
  // tfjs-cpu may keep a float32 tensor made by a cast from bool in its source's integer array.
  if (values instanceof Int32Array || values instanceof Uint8Array) return Float32Array.from(values);
  throw new Error(`${plan.kernelName}: the interpreter needs a backend with synchronous numeric data (cpu)`);
}

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
