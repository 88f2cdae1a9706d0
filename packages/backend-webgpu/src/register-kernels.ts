/**
 * Registering the fused WebGPU kernels with tfjs.
 */
import { registerFusedKernels, type FusedKernelRegistration } from '@snn/tensor';
import { registerPlanCompiler, registerRecurrentPlanCompiler } from '@snn/functional';
import { setStorageBufferCap } from './bind.js';
import { webgpuKernelFuncs } from './kernels.js';
import { compileWebGPUPlan } from './plan/compile.js';
import { compileWebGPURecurrentPlan } from './plan/compile-recurrent.js';

/** Options of `registerWebGPUKernels`. */
export interface RegisterWebGPUKernelsOptions {
  /**
   * At most this many storage buffers per program (output included), below the device's own limit:
   * inputs beyond it are packed into one buffer first. 4, WebGPU compatibility mode's guaranteed
   * minimum, makes every device run the packed path. Default: the device's limit.
   */
  readonly maxStorageBuffers?: number;
}

/**
 * Registers the fused kernels of @snn/functional (forward and backward) for tfjs's `webgpu` backend:
 * `compileWebGPUPlan` as the webgpu plan compiler, which generates the WGSL kernels of every spec'd
 * model on first use — the feed-forward integrals of LIF, LIFBox, LI, LIBox, LSNN and the other
 * built-ins, user-defined specs, and the input-weighted LI and LIBox steps (their integral with
 * T = 1) — and `compileWebGPURecurrentPlan` as the webgpu recurrent plan compiler, which generates
 * the recurrent sequence kernels of recurrent specs (the built-in recurrent layers' and their steps,
 * T = 1, included: one program per time step, the recurrent product inside); and, by name, the
 * spike-sparse products. They run where the parameters are plain numbers and the surrogate is
 * deterministic (see @snn/functional). Registering again is harmless; `unregister()` on the result
 * removes the kernels this call added.
 */
export function registerWebGPUKernels(options: RegisterWebGPUKernelsOptions = {}): FusedKernelRegistration {
  if (typeof options !== 'object' || options === null) {
    throw new Error(`registerWebGPUKernels: argument 'options' expected an object { maxStorageBuffers? }; received ${String(options)}`);
  }
  const { maxStorageBuffers } = options;
  if (maxStorageBuffers !== undefined) {
    if (typeof maxStorageBuffers !== 'number' || !(maxStorageBuffers >= 4)) {
      throw new Error(`registerWebGPUKernels: argument 'options.maxStorageBuffers' expected a number ≥ 4 (WebGPU guarantees 4 storage buffers per stage); received ${String(maxStorageBuffers)}`);
    }
    setStorageBufferCap(maxStorageBuffers);
  }
  registerPlanCompiler('webgpu', compileWebGPUPlan);
  registerRecurrentPlanCompiler('webgpu', compileWebGPURecurrentPlan);
  return registerFusedKernels('webgpu', webgpuKernelFuncs());
}
