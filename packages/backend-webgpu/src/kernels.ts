/**
 * The hand-written kernels this package registers by name, as tfjs kernel functions for the webgpu
 * backend: the spike-sparse products. (Every integral, recurrent sequence and step — the built-in
 * models' and user-defined specs' — runs kernels generated from its spec instead, through the plan
 * compilers registered by `registerWebGPUKernels`.)
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { SPIKE_WEBGPU_KERNELS } from './sparse-kernels.js';

let funcs: Readonly<Record<string, KernelFunc>> | undefined;

/**
 * Every kernel this package registers by name. The same function objects on every call, so that
 * registering twice is recognised as harmless.
 */
export function webgpuKernelFuncs(): Readonly<Record<string, KernelFunc>> {
  funcs ??= Object.freeze({ ...SPIKE_WEBGPU_KERNELS });
  return funcs;
}
