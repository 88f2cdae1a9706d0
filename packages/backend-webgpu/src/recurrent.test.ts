/**
 * The built-in recurrent layers on the webgpu backend run the recurrent sequence kernels generated
 * from their recurrent specs (compileWebGPURecurrentPlan: one program per time step, the recurrent
 * product inside) and equal their composite: the shared suite of @snn/functional/testing (spikes
 * exact, states 1e-5, every gradient 1e-4, the spec kernels ran, no leaks), with the programs held
 * to WebGPU compatibility mode's 4 storage buffers. The generator itself (any plan, the interpreter
 * as the reference, the programs and buffers of each call) is tested in plan/compile-recurrent.test.ts.
 * Without WebGPU the suite is declared skipped, with the reason in its title (CI sets
 * `SNN_REQUIRE_WEBGPU=1`, which fails instead).
 */
import { describe } from 'vitest';
import { initBackend } from '@snn/tensor';
import { availableBackends } from '@snn/tensor/testing';
import { fusedRecurrentSuite } from '@snn/functional/testing';
import { registerWebGPUKernels } from './index.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu recurrent sequences${reason}`);

describe.skipIf(!hasWebGPU)(`recurrent sequences [webgpu]${reason}`, () => {
  fusedRecurrentSuite('webgpu', async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels({ maxStorageBuffers: 4 });
  });
});
