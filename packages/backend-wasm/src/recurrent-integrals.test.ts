/**
 * The fused recurrent sequences on the wasm backend equal their composite (the shared suite of
 * @snn/functional/testing: spikes exact, states 1e-5, every gradient 1e-4, no leaks).
 */
import { fusedRecurrentSuite } from '@snn/functional/testing';
import { useWasm } from './test-support.js';

fusedRecurrentSuite('wasm', useWasm);
