/**
 * Side-effect entry: `import '@snn/backend-cpu/register'` registers the fused cpu kernels.
 *
 * @module
 */
import { registerCpuKernels } from './index.js';

registerCpuKernels();
