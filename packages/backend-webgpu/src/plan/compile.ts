/**
 * `compileWebGPUPlan`: a neuron plan (@snn/functional's plan.ts) as the two tfjs kernel functions of
 * its integral on the webgpu backend — the forward time loop and its BPTT adjoint, their WGSL
 * generated from the plan's instructions (wgsl.ts) and run by the plan engine (engine.ts). Registered
 * as the `webgpu` plan compiler by `registerWebGPUKernels`, so that a spec'd model, built-in or the
 * user's, gets its WebGPU kernels on first use.
 */
import { backend as activeBackend, getBackend, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import { PlanUnsupportedError, type CompiledPlan, type NeuronPlan } from '@snn/functional';
import { gradInputNameOf } from '@snn/tensor';
import { storageBufferBudget } from '../bind.js';
import type { WebGPUBackendLike } from '../program.js';
import { planBackward, planForward, type PlanCall } from './engine.js';
import { GUARANTEED_LIMITS, planLimitProblem, type PlanDeviceLimits } from './limits.js';
import { validatePlan } from './validate.js';

/** The limits that decide whether a plan runs on `backend` (bind.ts's storage-buffer cap included). */
export function deviceLimitsOf(backend: WebGPUBackendLike & { readonly device: { readonly limits: { readonly maxUniformBufferBindingSize?: number } } }): PlanDeviceLimits {
  return {
    storageBuffers: storageBufferBudget(backend),
    maxUniformBufferBindingSize: backend.device.limits.maxUniformBufferBindingSize ?? GUARANTEED_LIMITS.maxUniformBufferBindingSize,
  };
}

/**
 * The webgpu backend's limits when it is the active backend (plans are compiled for the active
 * backend on first use), else what every device grants. (`findBackend` would start initialising a
 * registered backend as a side effect.)
 */
export function currentLimits(): PlanDeviceLimits {
  if (getBackend() !== 'webgpu') return GUARANTEED_LIMITS;
  const backend: unknown = activeBackend();
  const running = backend !== null && typeof backend === 'object' && 'device' in backend && backend.device !== undefined;
  return running ? deviceLimitsOf(backend as WebGPUBackendLike) : GUARANTEED_LIMITS;
}

/** Throws `PlanUnsupportedError` when `plan` does not fit `limits` (the message says why). */
export function checkPlanFits(plan: NeuronPlan, limits: PlanDeviceLimits): void {
  const problem = planLimitProblem(plan, limits);
  if (problem !== undefined) throw new PlanUnsupportedError(`${plan.kernelName}: the webgpu kernels cannot run this plan: ${problem}`);
}

function tensor(kernel: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel}: the webgpu kernel expected an input '${name}'; received ${Object.keys(inputs).join(', ') || 'none'}`);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: the webgpu kernel expected '${name}' of dtype float32; received ${t.dtype}`);
  return t;
}

function sameShape(kernel: string, name: string, t: TensorInfo, shape: readonly number[], what: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
    throw new Error(`${kernel}: the webgpu kernel expected '${name}' of shape [${shape.join(', ')}] (${what}); received [${t.shape.join(', ')}]`);
  }
}

/** The plan's sequence inputs and initial states from a kernel call, checked (names as the plan's layout). */
function readForwardInputs(plan: NeuronPlan, inputs: NamedTensorInfoMap): { sequences: TensorInfo[]; states: TensorInfo[] } {
  const kernel = plan.kernelName;
  const sequences = plan.inputs.map((name) => tensor(kernel, inputs, name));
  const first = sequences[0]!;
  if (first.shape.length < 1) throw new Error(`${kernel}: the webgpu kernel expected '${plan.inputs[0]}' with a time axis, shape [T, ...]; received [${first.shape.join(', ')}]`);
  sequences.forEach((s, j) => sameShape(kernel, plan.inputs[j]!, s, first.shape, `the shape of '${plan.inputs[0]}'`));
  const stateShape = first.shape.slice(1);
  const states = plan.states.map((name) => {
    const t = tensor(kernel, inputs, `${name}0`);
    sameShape(kernel, `${name}0`, t, stateShape, `one step of '${plan.inputs[0]}'`);
    return t;
  });
  return { sequences, states };
}

function callOf(plan: NeuronPlan, backend: WebGPUBackendLike, attrs: NamedAttrMap | undefined): PlanCall {
  const kernel = plan.kernelName;
  checkPlanFits(plan, deviceLimitsOf(backend));
  const params = plan.params.map((name) => {
    const value = attrs?.[name];
    if (typeof value !== 'number') throw new Error(`${kernel}: the webgpu kernel expected attrs.${name} to be a number; received ${value === undefined ? 'nothing' : String(value)}`);
    return value;
  });
  return { plan, params, kernel };
}

/**
 * Generates the webgpu kernels of `plan`'s integral (layout: plan.ts). Throws an Error for a malformed
 * plan, and `PlanUnsupportedError` for one beyond the device's limits (limits.ts) — judged against the
 * webgpu backend when it runs, else against what every WebGPU device grants. The kernels check their
 * inputs (presence, float32, shapes) and attributes, naming the kernel, before allocating anything.
 */
export function compileWebGPUPlan(plan: NeuronPlan): CompiledPlan {
  validatePlan(plan);
  checkPlanFits(plan, currentLimits());
  const kernel = plan.kernelName;
  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const { sequences, states } = readForwardInputs(plan, inputs);
    const webgpu = backend as WebGPUBackendLike;
    return planForward(webgpu, callOf(plan, webgpu, attrs), sequences, states);
  };
  const backward: KernelFunc = ({ inputs, backend, attrs }) => {
    const { sequences, states } = readForwardInputs(plan, inputs);
    const seqShape = sequences[0]!.shape;
    const dOutputs = plan.outputs.map((name) => {
      const t = tensor(kernel, inputs, gradInputNameOf(name));
      sameShape(kernel, gradInputNameOf(name), t, seqShape, `the shape of '${plan.inputs[0]}'`);
      return t;
    });
    const dFinals = plan.states.map((name) => {
      const t = tensor(kernel, inputs, gradInputNameOf(name));
      sameShape(kernel, gradInputNameOf(name), t, seqShape.slice(1), `one step of '${plan.inputs[0]}'`);
      return t;
    });
    const webgpu = backend as WebGPUBackendLike;
    return planBackward(webgpu, callOf(plan, webgpu, attrs), sequences, states, dOutputs, dFinals);
  };
  return { forward, backward };
}
