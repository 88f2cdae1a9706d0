/**
 * The webgpu backend's spike-sparse kernels (compaction + accumulation programs, within 4 storage
 * buffers) against tfjs's dense products: @snn/tensor's conformance suite. This backend measures no
 * density (see sparse-programs.ts), so the suite's density-dispatch tests do not apply here.
 */
import { describe, it } from 'vitest';
import { availableBackends, describeEachBackend, spikeSparseSuite } from '@snn/tensor/testing';
import { registerWebGPUKernels } from './index.js';

const backends = (await availableBackends()).filter((b) => b === 'webgpu');
registerWebGPUKernels({ maxStorageBuffers: 4 });

if (backends.length === 0) {
  describe.skip('spike-sparse kernels (webgpu): skipped, no WebGPU device here (SNN_REQUIRE_WEBGPU=1 fails instead)', () => {
    it('runs the conformance suite on webgpu', () => {});
  });
}

describeEachBackend('spike-sparse kernels (webgpu)', backends, () => {
  spikeSparseSuite({ kernels: true, measuresDensity: false });
});
