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
 * Registers every fused kernel of @snn/functional (forward and backward) for tfjs's `webgpu`
 * backend. From then on the integrals of LIF, LIFBox, LI, LIBox and LSNN, the recurrent steps of LIF,
 * LIFBox, LSNN and the adaptive LIF, and the input-weighted LI and LIBox steps run as WGSL programs
 * (one per call for an integral, one per output for a step) on that backend (where their parameters are plain numbers and their
 * surrogate is deterministic; see @snn/functional). It also registers `compileWebGPUPlan` as the
 * webgpu plan compiler, which generates the kernels of spec'd models on first use, and
 * `compileWebGPURecurrentPlan` as the webgpu recurrent plan compiler, which generates the recurrent
 * sequence kernels of recurrent specs (the built-in recurrent layers' included: one program per time
 * step, the recurrent product inside) on first use. Registering again is harmless; `unregister()` on
 * the result removes the kernels this call added.
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
