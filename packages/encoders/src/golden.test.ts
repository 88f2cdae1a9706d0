/**
 * Norse's outputs as the oracle: every encoder fixture of test-fixtures/norse (or of SNN_GOLDEN_DIR)
 * runs on every available backend; the mappings live in golden/encoders.golden.ts.
 */
import { availableBackends, runGoldenSuite } from '@snn/tensor/testing';
import { GOLDEN } from './golden/encoders.golden.js';

runGoldenSuite('encoders', GOLDEN, await availableBackends());
