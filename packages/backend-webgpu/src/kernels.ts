/**
 * The hand-written kernels this package registers by name, as tfjs kernel functions for the webgpu
 * backend: the spike-sparse products and the recurrent sequences. (Every feed-forward integral — the
 * built-in models' and user-defined specs' — and the steps built on them run kernels generated from
 * their specs instead, through the plan compiler registered by `registerWebGPUKernels`.)
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { SPIKE_WEBGPU_KERNELS } from './sparse-kernels.js';
import { RECURRENT_WEBGPU_KERNELS } from './recurrent-kernels.js';

let funcs: Readonly<Record<string, KernelFunc>> | undefined;

/**
 * Every kernel this package registers by name. The same function objects on every call, so that
 * registering twice is recognised as harmless.
 */
export function webgpuKernelFuncs(): Readonly<Record<string, KernelFunc>> {
  funcs ??= Object.freeze({ ...SPIKE_WEBGPU_KERNELS, ...RECURRENT_WEBGPU_KERNELS });
  return funcs;
}
