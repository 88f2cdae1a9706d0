/**
 * The surrogate methods a fused kernel runs: every deterministic method of @snn/surrogate, each with a
 * derivative in the one formula table (and so in every generated backward program); the stochastic
 * ones are not fusable.
 */
import { describe, expect, it } from 'vitest';
import { SURROGATE_FORMULAS, SURROGATE_METHODS, isStochasticMethod } from '@snn/surrogate';
import { SURROGATE_DERIVATIVES } from '../spec/surrogate-derivatives.js';
import { SURROGATE_CODES, isFusableSurrogate } from './surrogate-codes.js';

describe('fusable surrogates', () => {
  it('are exactly the deterministic methods, each with its formula', () => {
    for (const m of SURROGATE_METHODS) {
      expect(isFusableSurrogate(m), m).toBe(!isStochasticMethod(m));
      expect(SURROGATE_FORMULAS[m], m).toBeTypeOf('function');
    }
    expect(Object.keys(SURROGATE_DERIVATIVES).sort()).toEqual(Object.keys(SURROGATE_CODES).sort());
    expect(isFusableSurrogate('toString')).toBe(false);
    expect(new Set(Object.values(SURROGATE_CODES)).size).toBe(Object.keys(SURROGATE_CODES).length);
  });
});
