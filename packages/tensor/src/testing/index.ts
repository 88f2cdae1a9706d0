/**
 * @snn/tensor/testing — helpers for snn-ts's own tests and for users testing models built on it:
 * one suite on every backend, leak assertions, tolerant comparisons and the Norse golden runner.
 * Needs vitest (an optional peer) and Node.
 *
 * @module
 */
export { availableBackends, describeEachBackend, expectNoLeak, read } from './backends.js';
export { expectResultOrNamedError, PropertyOutcomes, type OutcomeOptions, type Disposable } from './properties.js';
export { flatten, shapeOf, closeMismatch, exactMismatch } from './compare.js';
export type { Nested, Tolerance } from './compare.js';
export {
  GOLDEN_OWNERS, NOT_YET_MAPPED, STATE_TOLERANCE, GRADIENT_TOLERANCE, GoldenReport, fixtureTensor, goldenDir, goldenFields,
  loadGoldenFiles, ownerOf, runGoldenSuite,
} from './golden.js';
export type { GoldenCheck, GoldenFile, GoldenFixture, GoldenSuiteOptions } from './golden.js';
export { spikeSparseSuite, spikeTestValues } from './sparse-suite.js';
export type { SpikeSparseSuiteOptions } from './sparse-suite.js';
export { checkOutcome } from './property.js';
export type { Outcome, OutcomeExpectation } from './property.js';
export { seededRandom, uniformArray, uniformTensor } from './random.js';
