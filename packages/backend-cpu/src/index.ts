/**
 * @snn/backend-cpu — fused neuron kernels for tfjs's cpu backend, generated from the models' specs
 * (@snn/functional's `defineNeuron`): the whole time loop of a layer (a feed-forward integral, a
 * recurrent sequence, or a step as a sequence of one) runs as one typed-array loop, its BPTT through
 * the surrogate as a second kernel, both JavaScript generated from the model's neuron plan and
 * compiled on first use. Built-in models and user-defined ones alike; plus the event-driven spike
 * products. @snn/functional uses them on its own once they are registered:
 *
 *     import { registerCpuKernels } from '@snn/backend-cpu';
 *     registerCpuKernels();            // or: import '@snn/backend-cpu/register';
 *
 * Kernel names, layouts and attributes derive from the specs (`lowerSpec(spec, method)`).
 *
 * @module
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { registerFusedKernels, type FusedKernelRegistration } from '@snn/tensor';
import { registerPlanCompiler, registerRecurrentPlanCompiler } from '@snn/functional';
import { SPIKE_MATMUL_CPU_KERNELS } from './sparse-matmul.js';
import { SPIKE_CONV2D_CPU_KERNELS } from './sparse-conv2d.js';
import { compileCpuPlan } from './plan-compiler.js';
import { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';

export { compileCpuPlan, type CpuPlanOptions, type FunctionFactory } from './plan-compiler.js';
export { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';

/**
 * The kernels this package registers by name: the event-driven spike products. The neuron models'
 * kernels are not listed: they are generated from their specs on first use.
 */
export const CPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  ...SPIKE_MATMUL_CPU_KERNELS,
  ...SPIKE_CONV2D_CPU_KERNELS,
});

/**
 * Registers every kernel of this package for tfjs's 'cpu' backend, and the neuron-plan compilers
 * (`compileCpuPlan`, and `compileCpuRecurrentPlan` for recurrent plans) that generate the kernels of
 * spec'd models on first use. Calling it again is
 * harmless. The returned registration's `unregister()` removes the kernels this call added (the
 * compiler stays registered: it adds kernels only when a model asks for them).
 */
export function registerCpuKernels(): FusedKernelRegistration {
  registerPlanCompiler('cpu', compileCpuPlan);
  registerRecurrentPlanCompiler('cpu', compileCpuRecurrentPlan);
  return registerFusedKernels('cpu', CPU_KERNELS);
}
