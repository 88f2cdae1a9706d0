/**
 * The fused recurrent sequences on the cpu backend equal their composite (the shared suite of
 * @snn/functional/testing: spikes exact, states 1e-5, every gradient 1e-4, no leaks).
 */
import { describe, expect, it } from 'vitest';
import { fusedRecurrentSuite } from '@snn/functional/testing';
import { availableBackends } from '@snn/tensor/testing';
import { initBackend } from '@snn/tensor';
import { registerCpuKernels } from './index.js';

const hasCpu = (await availableBackends()).includes('cpu');

describe.skipIf(!hasCpu)('recurrent sequences [cpu]', () => {
  fusedRecurrentSuite('cpu', async () => {
    await initBackend('cpu');
    registerCpuKernels();
  });
});

describe('recurrent sequences need the cpu backend', () => {
  it('the cpu backend is available (else the suite above skipped)', () => {
    expect(hasCpu).toBe(true);
  });
});
