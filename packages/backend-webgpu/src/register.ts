/**
 * `import '@snn/backend-webgpu/register'` registers the fused WebGPU kernels (registerWebGPUKernels)
 * as a side effect, like tfjs's own backend packages do.
 *
 * @module
 */
import { registerWebGPUKernels } from './register-kernels.js';

registerWebGPUKernels();
