import { describe, expect, it } from 'vitest';
import { argmax, softmax } from './scores.js';

describe('class scores', () => {
  it('softmax sums to one, keeps the order and survives large logits', () => {
    const p = softmax([1000, 1001, 999]);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(argmax(p)).toBe(1);
    expect(p[1]! / p[0]!).toBeCloseTo(Math.E, 4);
  });

  it('argmax takes the first of equal values', () => {
    expect(argmax([0, 3, 3, 1])).toBe(1);
  });

  it('throws naming the argument on empty or non-finite input', () => {
    expect(() => softmax([])).toThrow(/argument 'logits'/);
    expect(() => softmax([Number.NaN])).toThrow(/argument 'logits' expected finite values/);
    expect(() => argmax([])).toThrow(/argument 'values'/);
  });
});
