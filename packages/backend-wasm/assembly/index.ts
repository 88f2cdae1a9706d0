/**
 * The hand-written wasm of @snn/backend-wasm, compiled by AssemblyScript to one small module that
 * imports tfjs-backend-wasm's own memory: every pointer argument is a byte offset of a tensor on that
 * heap (input or already allocated output), so no data is copied in or out. Model-independent pieces
 * only — the neuron kernels are generated from their plans at run time (src/plan/):
 *
 * - recurrent.ts: the recurrent sequences' event-driven product r = zPrev·wᵀ, its weight gradient,
 *   the dense gz = g·w and the square transpose (driven by src/plan/recurrent.ts);
 * - spikes.ts: the spike-sparse products (`SnnSpikeMatMul`, `SnnSpikeConv2d` and their gradients).
 *
 * The module has no data segments, no runtime and no allocator: it never writes outside the
 * buffers it is given.
 */
export { transposeSquare, denseRowsTimes, recurrentProduct, recurrentWeightGrad, addArrays } from './recurrent';
export {
  spikeScan, spikeCompact, spikeMatMulRows, spikeMatMulGather, spikeMatMulGradRows, spikeMatMulGradGather, spikeConv2d, spikeConv2dGrad,
} from './spikes';
