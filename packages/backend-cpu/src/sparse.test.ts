/**
 * The cpu backend's spike-sparse kernels (`SnnSpikeMatMul`, `SnnSpikeConv2d`, forward and backward)
 * against tfjs's dense products: @snn/tensor's conformance suite.
 */
import { availableBackends, describeEachBackend, spikeSparseSuite } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');
registerCpuKernels();

describeEachBackend('spike-sparse kernels (cpu)', backends, () => {
  spikeSparseSuite({ kernels: true, measuresDensity: true });
});
