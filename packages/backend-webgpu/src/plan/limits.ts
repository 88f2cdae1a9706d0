/**
 * Whether a plan's kernels fit a WebGPU device — decided from the plan's shape and the device's
 * limits alone, so that the spec compiler learns it when the kernels are generated (and runs the
 * composite path instead, saying so once) rather than at the first call.
 *
 * What a plan needs:
 * - at least one sequence input: the kernels take the number of steps T from it;
 * - storage buffers: at most 3 per program once everything is packed (bind-sequences.ts), within
 *   the 4 every WebGPU device (compatibility mode included) grants — so in practice never the reason;
 * - one uniform block holding the sizes, every parameter and the constants passed as uniforms, besides what
 *   tfjs puts there itself (its shapes and constants: `TFJS_UNIFORM_BYTES`, a generous bound), within
 *   maxUniformBufferBindingSize (16 KiB guaranteed: about 4,000 parameters).
 *
 * What depends on the call (T and the number of neurons), not on the plan, is checked at the call
 * with a named error: a sequence larger than one binding; the per-neuron rows of one thread's packed
 * output (chunks of neurons otherwise keep every binding within the limit).
 */
import type { NeuronPlan } from '@snn/functional';
import { minimumStorageBuffers } from './bind-sequences.js';
import { uniformConstantIndices } from './wgsl.js';

/** The device limits a plan's kernels depend on. */
export interface PlanDeviceLimits {
  /** Storage buffers one program may bind, its output included (after any cap: bind.ts). */
  readonly storageBuffers: number;
  /** The device's maxUniformBufferBindingSize, in bytes. */
  readonly maxUniformBufferBindingSize: number;
}

/** What every WebGPU device grants (compatibility mode included): the limits when no device is known yet. */
export const GUARANTEED_LIMITS: PlanDeviceLimits = Object.freeze({ storageBuffers: 4, maxUniformBufferBindingSize: 16384 });

/** An upper bound of the bytes tfjs's own uniforms take (NAN, INFINITY, output shape and strides, dispatch size, input shapes). */
export const TFJS_UNIFORM_BYTES = 256;

/** Bytes of a program's own uniforms: 4 sizes, the parameters, the constants passed as uniforms (the backward program has both programs'). */
export function planUniformBytes(plan: NeuronPlan): number {
  const constants = uniformConstantIndices(plan.forward.instructions).length + uniformConstantIndices(plan.backward.instructions).length;
  return 4 * (4 + plan.params.length + constants);
}

/** Why `plan`'s kernels cannot run on a device with `limits`, or undefined when they can. */
export function planLimitProblem(plan: NeuronPlan, limits: PlanDeviceLimits): string | undefined {
  if (plan.inputs.length === 0) return 'it has no sequence input, so its kernels could not know the number of steps';
  const buffers = Math.max(
    minimumStorageBuffers(plan.inputs.length, plan.states.length),
    minimumStorageBuffers(plan.inputs.length + plan.outputs.length, 2 * plan.states.length),
  );
  if (buffers > limits.storageBuffers) {
    return `its programs need ${buffers} storage buffers even with every input packed, and this device allows ${limits.storageBuffers} per shader stage`;
  }
  const uniforms = planUniformBytes(plan) + TFJS_UNIFORM_BYTES;
  if (uniforms > limits.maxUniformBufferBindingSize) {
    return `its ${plan.params.length} parameters need a uniform block of about ${uniforms} bytes, and this device's maxUniformBufferBindingSize is ${limits.maxUniformBufferBindingSize} bytes`;
  }
  return undefined;
}
