/**
 * A plan "compiler" that compiles nothing: tfjs kernel functions that run the reference interpreter
 * (`runPlanForward` / `runPlanBackward`) on a backend whose tensors can be read synchronously (cpu).
 * Slow — it exists so that the spec compiler, the fused-op plumbing and the kernel layout can be
 * tested end to end without any backend's generator, and as the reference generators are compared with:
 * `registerPlanCompiler('cpu', interpreterCompiler)`.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { runPlanBackward, runPlanForward, type CompiledPlan, type NeuronPlan } from './plan.js';

/** A backend whose tensors can be read synchronously (cpu). */
export interface SyncBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/**
 * Input `name` of a kernel call, checked (present, float32, of `shape`) and read synchronously; the
 * reference interpreters of both plan layouts read their inputs through it.
 */
export function readPlanInput(plan: NeuronPlan, backend: SyncBackend, inputs: Readonly<Record<string, TensorInfo | undefined>>, name: string, shape: readonly number[]): Float32Array {
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
  throw new Error(`${plan.kernelName}: the interpreter needs a backend with synchronous float32 data (cpu)`);
}

const read = readPlanInput;

/** The layout of one call: the sequence length, the neurons' shape and count, the arrays. */
function layout(plan: NeuronPlan, backend: SyncBackend, inputs: Readonly<Record<string, TensorInfo | undefined>>) {
  const first = inputs[plan.inputs[0]!];
  if (!first || first.shape.length < 1) throw new Error(`${plan.kernelName}: input '${plan.inputs[0]}' expected a sequence [T, ...]`);
  const steps = first.shape[0]!;
  const shape = first.shape.slice(1);
  const n = shape.reduce((a, b) => a * b, 1);
  const arrays = {
    inputs: plan.inputs.map((x) => read(plan, backend, inputs, x, first.shape)),
    states: plan.states.map((s) => read(plan, backend, inputs, `${s}0`, shape)),
  };
  return { steps, shape, n, arrays };
}

/** Kernel functions for `plan` that interpret it (see the module comment). */
export function interpreterCompiler(plan: NeuronPlan): CompiledPlan {
  const forward = (({ inputs, backend, attrs }) => {
    const b = backend as unknown as SyncBackend;
    const { steps, shape, n, arrays } = layout(plan, b, inputs);
    const run = runPlanForward(plan, attrs as Record<string, unknown>, arrays, steps, n);
    return [
      ...run.outputs.map((o) => b.makeTensorInfo([steps, ...shape], 'float32', o)),
      ...run.states.map((s) => b.makeTensorInfo([...shape], 'float32', s)),
    ];
  }) as KernelFunc;
  const backward = (({ inputs, backend, attrs }) => {
    const b = backend as unknown as SyncBackend;
    const { steps, shape, n, arrays } = layout(plan, b, inputs);
    const gradOutputs = plan.outputs.map((o) => read(plan, b, inputs, `d${o}`, [steps, ...shape]));
    const gradStates = plan.states.map((s) => read(plan, b, inputs, `d${s}`, shape));
    const run = runPlanBackward(plan, attrs as Record<string, unknown>, arrays, gradOutputs, gradStates, steps, n);
    return [
      ...run.inputs.map((g) => b.makeTensorInfo([steps, ...shape], 'float32', g)),
      ...run.states.map((g) => b.makeTensorInfo([...shape], 'float32', g)),
    ];
  }) as KernelFunc;
  return { forward, backward };
}
