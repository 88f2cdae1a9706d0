/**
 * The one table of surrogate derivatives (formulas.ts) is what `threshold` differentiates with: for every
 * method, tf.grad of `threshold` equals the formula evaluated with tfjs ops, and the formulas are finite
 * at the extremes of α and x.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SURROGATE_FORMULAS, type SurrogateArithmetic } from './formulas.js';
import { SURROGATE_METHODS, threshold } from './methods.js';

/** Plain float64 numbers as the arithmetic: the formulas evaluated by hand. */
const NUMBERS: SurrogateArithmetic<number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, min: Math.min, max: Math.max,
  abs: Math.abs, neg: (a) => -a, square: (a) => a * a, sqrt: Math.sqrt, tanh: Math.tanh, exp: Math.exp, zeros: () => 0,
};

describe('SURROGATE_FORMULAS', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("is what threshold's backward pass computes, for every method", async () => {
    const xs = [-2, -0.5, -0.01, 0, 0.01, 0.3, 1.5];
    for (const method of SURROGATE_METHODS) {
      for (const alpha of [0.5, 2, 100]) {
        const g = await tf.grad((x: tf.Tensor) => threshold(x, method, alpha, 1))(tf.tensor1d(xs)).data();
        xs.forEach((x, k) => {
          const want = SURROGATE_FORMULAS[method](x, alpha, NUMBERS);
          expect(Math.abs(g[k]! - want), `${method} α=${alpha} x=${x}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
        });
      }
    }
  });

  it('the named derivatives: SuperSpike at 0 is 1, the triangle vanishes beyond |x| = 1, heaviside gives none', () => {
    expect(SURROGATE_FORMULAS.super(0, 100, NUMBERS)).toBe(1);
    expect(SURROGATE_FORMULAS.triangle(1.5, 0.3, NUMBERS)).toBe(0);
    expect(SURROGATE_FORMULAS.heaviside(0, 1, NUMBERS)).toBe(0);
    expect(SURROGATE_FORMULAS.circ(0, 1e-30, NUMBERS)).toBe(1);
    expect(Number.isFinite(SURROGATE_FORMULAS.circ(1e30, 1e-30, NUMBERS))).toBe(true);
  });
});
