/**
 * Norse's own outputs through the fused WebGPU kernels: the shared suite of @snn/functional/testing
 * (BPTT fixtures, every feed-forward fixture of the fused models, the recurrent fixtures, recurrent
 * BPTT — each also checking that the fused kernels ran), when WebGPU is among the tested backends.
 */
import { initBackend } from '@snn/tensor';
import { availableBackends } from '@snn/tensor/testing';
import { fusedGoldenSuite } from '@snn/functional/testing';
import { registerWebGPUKernels } from './index.js';

if ((await availableBackends()).includes('webgpu')) {
  fusedGoldenSuite('webgpu', async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels();
  });
}
