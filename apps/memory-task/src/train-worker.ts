/**
 * The module each training worker thread of `snn-memory-task` imports (`--workers`): the fused kernels,
 * as on the main thread, and the factory that builds the worker's copy of the network.
 */
import '@snn/backend-cpu/register';
import '@snn/backend-wasm/register';
import '@snn/backend-webgpu/register';

export { createTraining } from './parallel.js';
