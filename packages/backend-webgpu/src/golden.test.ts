/**
 * Norse's own outputs through the fused WebGPU kernels: the shared suite of @snn/functional/testing
 * (BPTT fixtures, every feed-forward fixture of the fused models, the recurrent fixtures, recurrent
 * BPTT — each also checking that the fused kernels ran), when WebGPU is among the tested backends.
 * Without WebGPU (`SNN_BACKENDS=cpu,wasm`, or no adapter) the suite is declared skipped, with the
 * reason in its title, instead of leaving an empty file; CI sets `SNN_REQUIRE_WEBGPU=1`, which makes
 * a missing WebGPU fail in `availableBackends` instead.
 */
import { beforeAll, describe } from 'vitest';
import { initBackend } from '@snn/tensor';
import { availableBackends } from '@snn/tensor/testing';
import { fusedGoldenSuite, nanSpikeSuite } from '@snn/functional/testing';
import { registerWebGPUKernels } from './index.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu${reason}`);

async function useWebGPU(): Promise<void> {
  await initBackend('webgpu', { allowSoftwareWebGPU: true });
  registerWebGPUKernels();
}

describe.skipIf(!hasWebGPU)(`WebGPU fused kernels${reason}`, () => {
  fusedGoldenSuite('webgpu', useWebGPU);
  describe('non-finite inputs [webgpu]', () => {
    beforeAll(useWebGPU);
    // WGSL may assume no ±∞/NaN: states derived from them are not compared (spikes are, exactly).
    nanSpikeSuite({ nonFiniteStates: false });
  });
});
