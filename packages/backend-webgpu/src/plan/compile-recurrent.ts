/**
 * `compileWebGPURecurrentPlan`: a recurrent neuron plan (@snn/functional's plan.ts, "The recurrent
 * sequence kernel") as the two tfjs kernel functions of its recurrent sequence on the webgpu backend
 * — one program per time step, the event-driven recurrent product inside, and its BPTT adjoint, the
 * neuron code generated from the plan's instructions (recurrent-engine.ts). Registered as the
 * `webgpu` recurrent plan compiler by `registerWebGPUKernels`, so that a recurrent spec'd model,
 * built-in or the user's, gets its WebGPU kernels on first use.
 */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { PlanUnsupportedError, recurrentKernelInputs, type CompiledPlan, type NeuronPlan, type PlanRecurrence } from '@snn/functional';
import { gradInputNameOf } from '@snn/tensor';
import { sameShape, tensor } from '../kernel-inputs.js';
import type { WebGPUBackendLike } from '../program.js';
import { currentLimits, deviceLimitsOf } from './compile.js';
import { TFJS_UNIFORM_BYTES, type PlanDeviceLimits } from './limits.js';
import { recurrentPlanBackward, recurrentPlanForward, type RecurrentPlanCall, type RecurrentPlanInputs } from './recurrent-engine.js';
import { validatePlan } from './validate.js';
import { uniformConstantIndices } from './wgsl.js';

const FN = 'compileWebGPURecurrentPlan';

/** Storage buffers the recurrent programs need at most, output included (recurrent-engine.ts): backward binds w, the forward's buffer and the packed sequences. */
const RECURRENT_STORAGE_BUFFERS = 4;

/** Why `plan`'s recurrent kernels cannot run on a device with `limits`, or undefined when they can. */
export function recurrentPlanLimitProblem(plan: NeuronPlan, limits: PlanDeviceLimits): string | undefined {
  if (RECURRENT_STORAGE_BUFFERS > limits.storageBuffers) {
    return `its programs need ${RECURRENT_STORAGE_BUFFERS} storage buffers even with every input packed, and this device allows ${limits.storageBuffers} per shader stage`;
  }
  // The larger program's uniforms: 13 sizes, the parameters, its constants passed as uniforms.
  const constants = Math.max(uniformConstantIndices(plan.forward.instructions).length, uniformConstantIndices(plan.backward.instructions).length);
  const bytes = 4 * (13 + plan.params.length + constants) + TFJS_UNIFORM_BYTES;
  if (bytes > limits.maxUniformBufferBindingSize) {
    return `its ${plan.params.length} parameters need a uniform block of about ${bytes} bytes, and this device's maxUniformBufferBindingSize is ${limits.maxUniformBufferBindingSize} bytes`;
  }
  return undefined;
}

/** Throws `PlanUnsupportedError` when `plan`'s recurrent kernels do not fit `limits` (the message says why). */
export function checkRecurrentPlanFits(plan: NeuronPlan, limits: PlanDeviceLimits): void {
  const problem = recurrentPlanLimitProblem(plan, limits);
  if (problem !== undefined) throw new PlanUnsupportedError(`${plan.kernelName}: the webgpu recurrent kernels cannot run this plan: ${problem}`);
}

/** The plan's recurrence, checked: r an input, the fed-back output an output, another input left, kernel input names distinct. */
function recurrenceOf(plan: NeuronPlan): PlanRecurrence {
  const rec = plan.recurrent;
  const fail = (what: string): never => { throw new Error(`${FN}: plan '${plan.kernelName}' ${what}`); };
  if (rec === undefined) return fail('has no recurrent wiring (plan.recurrent); feed-forward plans go to compileWebGPUPlan');
  if (!(Number.isInteger(rec.input) && rec.input >= 0 && rec.input < plan.inputs.length)) fail(`is malformed: recurrent.input ${rec.input} expected an index into inputs (${plan.inputs.length})`);
  if (!(Number.isInteger(rec.output) && rec.output >= 0 && rec.output < plan.outputs.length)) fail(`is malformed: recurrent.output ${rec.output} expected an index into outputs (${plan.outputs.length})`);
  if (plan.inputs.length < 2) fail(`has no sequence input besides the recurrent current '${plan.inputs[rec.input]}', so its kernels could not know the number of steps`);
  const names = [...recurrentKernelInputs(plan), ...[...plan.outputs, ...plan.states].map(gradInputNameOf)];
  const clash = names.find((name, k) => names.indexOf(name) !== k);
  if (clash !== undefined) fail(`is malformed: the kernel input name '${clash}' would be used twice (inputs, '<output>0', '<state>0', 'w', 'd<output>' and 'd<state>' must all differ)`);
  return rec;
}

/** The sequence inputs, `<output>0`, initial states and weights of a kernel call, checked (names as the plan's layout). */
function readInputs(plan: NeuronPlan, rec: PlanRecurrence, inputs: NamedTensorInfoMap): RecurrentPlanInputs {
  const kernel = plan.kernelName;
  const [first, ...rest] = recurrentKernelInputs(plan).filter((_, k) => k < plan.inputs.length - 1);
  const x = tensor(kernel, inputs, first!);
  if (x.shape.length !== 3) throw new Error(`${kernel}: the webgpu kernel expected '${first}' of rank 3 [T, B, H]; received [${x.shape.join(', ')}]`);
  const [, B, H] = x.shape as [number, number, number];
  const sequences = [x, ...rest.map((name) => {
    const t = tensor(kernel, inputs, name);
    sameShape(kernel, name, t, x.shape, `the shape of '${first}'`);
    return t;
  })];
  const row = (name: string): TensorInfo => {
    const t = tensor(kernel, inputs, name);
    sameShape(kernel, name, t, [B, H], `one step of '${first}'`);
    return t;
  };
  const fedBack0 = row(`${plan.outputs[rec.output]!}0`);
  const states = plan.states.map((s) => row(`${s}0`));
  const w = tensor(kernel, inputs, 'w');
  sameShape(kernel, 'w', w, [H, H], `the recurrent weights [out, in] of '${first}''s ${H} neurons`);
  return { sequences, fedBack0, states, w };
}

function callOf(plan: NeuronPlan, recurrence: PlanRecurrence, backend: WebGPUBackendLike, attrs: NamedAttrMap | undefined): RecurrentPlanCall {
  const kernel = plan.kernelName;
  checkRecurrentPlanFits(plan, deviceLimitsOf(backend));
  const params = plan.params.map((name) => {
    const value = attrs?.[name];
    if (typeof value !== 'number') throw new Error(`${kernel}: the webgpu kernel expected attrs.${name} to be a number; received ${value === undefined ? 'nothing' : String(value)}`);
    return value;
  });
  return { plan, recurrence, params, kernel };
}

/**
 * Generates the webgpu kernels of a recurrent plan's sequence (layout: plan.ts, "The recurrent
 * sequence kernel"). Throws an Error for a malformed plan or one without `recurrent`, and
 * `PlanUnsupportedError` for one beyond the device's limits — judged against the webgpu backend when
 * it runs, else against what every WebGPU device grants. The kernels check their inputs (presence,
 * float32, shapes) and attributes, naming the kernel, before allocating anything.
 */
export function compileWebGPURecurrentPlan(plan: NeuronPlan): CompiledPlan {
  validatePlan(plan, FN);
  const recurrence = recurrenceOf(plan);
  checkRecurrentPlanFits(plan, currentLimits());
  const kernel = plan.kernelName;
  const forward: KernelFunc = ({ inputs, backend, attrs }) => {
    const inp = readInputs(plan, recurrence, inputs);
    const webgpu = backend as WebGPUBackendLike;
    return recurrentPlanForward(webgpu, callOf(plan, recurrence, webgpu, attrs), inp);
  };
  const backward: KernelFunc = ({ inputs, backend, attrs }) => {
    const inp = readInputs(plan, recurrence, inputs);
    const seqShape = inp.sequences[0]!.shape;
    const first = recurrentKernelInputs(plan)[0]!;
    const dOutputs = plan.outputs.map((name) => {
      const t = tensor(kernel, inputs, gradInputNameOf(name));
      sameShape(kernel, gradInputNameOf(name), t, seqShape, `the shape of '${first}'`);
      return t;
    });
    const dFinals = plan.states.map((name) => {
      const t = tensor(kernel, inputs, gradInputNameOf(name));
      sameShape(kernel, gradInputNameOf(name), t, seqShape.slice(1), `one step of '${first}'`);
      return t;
    });
    const webgpu = backend as WebGPUBackendLike;
    return recurrentPlanBackward(webgpu, callOf(plan, recurrence, webgpu, attrs), inp, dOutputs, dFinals);
  };
  return { forward, backward };
}
