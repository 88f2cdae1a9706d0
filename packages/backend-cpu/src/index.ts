/**
 * @snn/backend-cpu — fused neuron kernels for tfjs's cpu backend: each feed-forward integral (LIF,
 * LIFBox, LI, LIBox, LSNN) runs its whole time loop as one typed-array loop, with BPTT through the
 * surrogate as a second kernel, and the recurrent steps (LIF, LIFBox, LSNN, adaptive LIF) and the
 * input-weighted leaky integrators (LI, LIBox) run their elementwise part as one kernel. @snn/functional uses them on its own once they are registered:
 *
 *     import { registerCpuKernels } from '@snn/backend-cpu';
 *     registerCpuKernels();            // or: import '@snn/backend-cpu/register';
 *
 * Kernel names, layouts and attributes are @snn/functional's (fused/kernels.ts).
 *
 * @module
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { registerFusedKernels, type FusedKernelRegistration } from '@snn/tensor';
import { FUSED_KERNEL_NAMES, RECURRENT_KERNEL_NAMES, registerPlanCompiler, registerRecurrentPlanCompiler } from '@snn/functional';
import { lifFeedForwardIntegral, lifFeedForwardIntegralGrad } from './lif-integral.js';
import { lifBoxFeedForwardIntegral, lifBoxFeedForwardIntegralGrad } from './lif-box-integral.js';
import { liBoxFeedForwardIntegral, liBoxFeedForwardIntegralGrad, liFeedForwardIntegral, liFeedForwardIntegralGrad } from './li-integral.js';
import { lsnnFeedForwardIntegral, lsnnFeedForwardIntegralGrad } from './lsnn-integral.js';
import { lifRecurrentIntegral, lifRecurrentIntegralGrad } from './lif-recurrent-integral.js';
import { lifBoxRecurrentIntegral, lifBoxRecurrentIntegralGrad } from './lif-box-recurrent-integral.js';
import { adaLIFRecurrentIntegral, adaLIFRecurrentIntegralGrad, lsnnRecurrentIntegral, lsnnRecurrentIntegralGrad } from './lsnn-recurrent-integral.js';
import {
  adaLIFStep, adaLIFStepGrad, liBoxStep, liBoxStepGrad, lifBoxStep, lifBoxStepGrad, lifStep, lifStepGrad, liStep, liStepGrad, lsnnStep, lsnnStepGrad,
} from './steps.js';
import { SPIKE_MATMUL_CPU_KERNELS } from './sparse-matmul.js';
import { SPIKE_CONV2D_CPU_KERNELS } from './sparse-conv2d.js';
import { compileCpuPlan } from './plan-compiler.js';
import { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';

export { compileCpuPlan, type CpuPlanOptions, type FunctionFactory } from './plan-compiler.js';
export { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';

const K = FUSED_KERNEL_NAMES;
const R = RECURRENT_KERNEL_NAMES;

/** Every kernel of this package by name (forward `K` and backward `K + 'Grad'`). */
export const CPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [K.lifFeedForwardIntegral]: lifFeedForwardIntegral,
  [`${K.lifFeedForwardIntegral}Grad`]: lifFeedForwardIntegralGrad,
  [K.lifBoxFeedForwardIntegral]: lifBoxFeedForwardIntegral,
  [`${K.lifBoxFeedForwardIntegral}Grad`]: lifBoxFeedForwardIntegralGrad,
  [K.liFeedForwardIntegral]: liFeedForwardIntegral,
  [`${K.liFeedForwardIntegral}Grad`]: liFeedForwardIntegralGrad,
  [K.liBoxFeedForwardIntegral]: liBoxFeedForwardIntegral,
  [`${K.liBoxFeedForwardIntegral}Grad`]: liBoxFeedForwardIntegralGrad,
  [K.lsnnFeedForwardIntegral]: lsnnFeedForwardIntegral,
  [`${K.lsnnFeedForwardIntegral}Grad`]: lsnnFeedForwardIntegralGrad,
  [K.lifStep]: lifStep,
  [`${K.lifStep}Grad`]: lifStepGrad,
  [K.lifBoxStep]: lifBoxStep,
  [`${K.lifBoxStep}Grad`]: lifBoxStepGrad,
  [K.lsnnStep]: lsnnStep,
  [`${K.lsnnStep}Grad`]: lsnnStepGrad,
  [K.liStep]: liStep,
  [`${K.liStep}Grad`]: liStepGrad,
  [K.liBoxStep]: liBoxStep,
  [`${K.liBoxStep}Grad`]: liBoxStepGrad,
  [K.adaLIFStep]: adaLIFStep,
  [`${K.adaLIFStep}Grad`]: adaLIFStepGrad,
  [R.lifRecurrentIntegral]: lifRecurrentIntegral,
  [`${R.lifRecurrentIntegral}Grad`]: lifRecurrentIntegralGrad,
  [R.lifBoxRecurrentIntegral]: lifBoxRecurrentIntegral,
  [`${R.lifBoxRecurrentIntegral}Grad`]: lifBoxRecurrentIntegralGrad,
  [R.lsnnRecurrentIntegral]: lsnnRecurrentIntegral,
  [`${R.lsnnRecurrentIntegral}Grad`]: lsnnRecurrentIntegralGrad,
  [R.adaLIFRecurrentIntegral]: adaLIFRecurrentIntegral,
  [`${R.adaLIFRecurrentIntegral}Grad`]: adaLIFRecurrentIntegralGrad,
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
