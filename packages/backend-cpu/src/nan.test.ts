/**
 * Spikes stay 0/1 for NaN and ±∞ inputs through the cpu kernels, as on the composite path
 * (the shared suite of @snn/functional/testing).
 */
import { beforeAll, describe } from 'vitest';
import { initBackend } from '@snn/tensor';
import { nanSpikeSuite } from '@snn/functional/testing';
import { registerCpuKernels } from './index.js';

describe('non-finite inputs [cpu]', () => {
  beforeAll(async () => {
    await initBackend('cpu');
    registerCpuKernels();
  });
  nanSpikeSuite();
});
