/**
 * The wasm backend's spike-sparse kernels (`SnnSpikeMatMul`, `SnnSpikeConv2d`, forward and backward,
 * SIMD on the backend's heap) against tfjs's dense products: @snn/tensor's conformance suite.
 */
import { describeEachBackend, spikeSparseSuite } from '@snn/tensor/testing';
import { useWasm } from './test-support.js';

await useWasm();

describeEachBackend('spike-sparse kernels (wasm)', ['wasm'], () => {
  spikeSparseSuite({ kernels: true, measuresDensity: true });
});
