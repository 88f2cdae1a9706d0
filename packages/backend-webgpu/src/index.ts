/**
 * @snn/backend-webgpu — the fused multi-timestep kernels of snn-ts as WGSL programs for tfjs's
 * webgpu backend: one GPU thread per neuron walks the whole time axis, forward and backward (BPTT
 * through the surrogate, recomputing the trajectory instead of storing it).
 *
 *     import { registerWebGPUKernels } from '@snn/backend-webgpu';
 *     registerWebGPUKernels();            // or: import '@snn/backend-webgpu/register';
 *
 * @module
 */
export { registerWebGPUKernels } from './register-kernels.js';
export type { RegisterWebGPUKernelsOptions } from './register-kernels.js';
export { webgpuKernelFuncs } from './kernels.js';
export { compileWebGPUPlan } from './plan/compile.js';
export { compileWebGPURecurrentPlan } from './plan/compile-recurrent.js';
