/**
 * The fused neuron kernels of @snn/backend-wasm, compiled by AssemblyScript to one small wasm module
 * that imports tfjs-backend-wasm's own memory: every pointer argument is a byte offset of a tensor
 * on that heap (input or already allocated output), so no data is copied in or out.
 * The module has no data segments, no runtime and no allocator: it never writes outside the
 * buffers it is given.
 */
export { lifIntegral, lifIntegralGrad, lifStep, lifStepGrad } from './lif';
export { lifBoxIntegral, lifBoxIntegralGrad, lifBoxStep, lifBoxStepGrad } from './lif-box';
export { liIntegral, liIntegralGrad, liBoxIntegral, liBoxIntegralGrad, liStep, liStepGrad, liBoxStep, liBoxStepGrad } from './li';
export { lsnnIntegral, lsnnIntegralGrad, lsnnStep, lsnnStepGrad } from './lsnn';
export { adaLIFStep, adaLIFStepGrad } from './ada-lif';
export { FORWARD_TILE, BACKWARD_TILE } from './tiles';
export { lifRecurrentIntegral, lifRecurrentIntegralGrad } from './lif-recurrent';
export { lsnnRecurrentIntegral, lsnnRecurrentIntegralGrad } from './lsnn-recurrent';
export { lifBoxRecurrentIntegral, lifBoxRecurrentIntegralGrad } from './lif-box-recurrent';
export {
  spikeScan, spikeCompact, spikeMatMulRows, spikeMatMulGather, spikeMatMulGradRows, spikeMatMulGradGather, spikeConv2d, spikeConv2dGrad,
} from './spikes';
export { transposeSquare, denseRowsTimes, recurrentProduct, recurrentWeightGrad, addArrays } from './recurrent';
