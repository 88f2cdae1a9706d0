/**
 * @snn/functional/testing — test support for packages that add fused kernels for a backend: the
 * Norse golden suite through the fused path, and helpers to see which kernels ran and to compare with
 * the project's tolerances. Needs vitest (an optional peer) and Node.
 * @module
 */
export { fusedGoldenSuite } from './fused-golden.js';
export { specGoldenSuite, specGoldenCases } from './spec-golden.js';
export { nanSpikeSuite, type NanSpikeSuiteOptions } from './nan-spikes.js';
export { closeGradient, closeState, exact, fixture, kernelsRun, onPath, parameters, values, type KernelsRun } from './fused-support.js';
export { fusedRecurrentSuite } from './fused-recurrent.js';
export { LIF_TEST_PLAN, EVERY_OP_TEST_PLAN } from '../spec/test-plans.js';
export { useInterpreterCompilerOnCpu, useRecurrentInterpreterCompilerOnCpu } from './interpreter-on-cpu.js';
