import { describe, expect, it } from 'vitest';
import { UsageError } from '@snn/app-kit';
import { parseRunOptions } from './flags.js';

describe('--nir', () => {
  it('is refused before any work, saying why (NIR has no adaptive-threshold neuron)', () => {
    expect(() => parseRunOptions(['--nir', 'memory.nir'])).toThrow(UsageError);
    expect(() => parseRunOptions(['--nir', 'memory.nir'])).toThrow(/^--nir memory\.nir: NIR has no neuron with an adaptive threshold, so the LSNN layer .* cannot be exported/);
  });
});
