/**
 * Norse's own outputs through the fused wasm kernels: the shared suite of @snn/functional/testing
 * (BPTT fixtures, every feed-forward fixture of the fused models, the recurrent fixtures, recurrent
 * BPTT — each also checking that the fused kernels ran).
 */
import { fusedGoldenSuite } from '@snn/functional/testing';
import { useWasm } from './test-support.js';

fusedGoldenSuite('wasm', useWasm);
