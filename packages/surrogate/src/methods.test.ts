import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import * as surrogate from './index.js';
import { SeedSequence, SURROGATE_METHODS, threshold } from './index.js';

const backends = await availableBackends();

describe('threshold: bad input', () => {
  it('an unknown method throws and lists the valid ones, allocating nothing', () => {
    const x = tf.tensor([0.5, -0.5]);
    const before = tf.memory().numTensors;
    expect(() => threshold(x, 'sigmoid')).toThrow(/argument 'method' expected one of heaviside, super, triangle, tanh, circ, heaviErfc, logistic, circDist; received "sigmoid"/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
  it('alpha must be a finite positive number', () => {
    const x = tf.tensor([0.5]);
    expect(() => threshold(x, 'super', NaN)).toThrow(/'alpha' expected a finite number ≥ 1.1754943508222875e-38 ≤ 3.4028234663852886e\+38; received NaN/);
    expect(() => threshold(x, 'super', -1)).toThrow(/'alpha'/);
    expect(() => threshold(x, 'tanh', 0)).toThrow(/'alpha'/);
    x.dispose();
  });
  it('x must be a float32 tensor', () => {
    expect(() => threshold([1, 2] as unknown as tf.Tensor, 'super', 1)).toThrow(/argument 'x' expected a tensor; received an array of length 2/);
    const i = tf.tensor([1, 2], [2], 'int32');
    expect(() => threshold(i, 'super', 1)).toThrow(/argument 'x' expected dtype float32; received a int32 tensor/);
    i.dispose();
  });
  it('a seed must be an integer', () => {
    const x = tf.tensor([0.5]);
    expect(() => threshold(x, 'logistic', 1, 0.5)).toThrow(/'seed' expected an integer/);
    x.dispose();
  });
  it('Norse spellings are accepted', () => {
    const x = tf.tensor([0.5, -0.5]);
    const z = threshold(x, 'heavi_erfc', 1);
    expect(Array.from(z.dataSync())).toEqual([1, 0]);
    tf.dispose([x, z]);
  });
});

describeEachBackend('surrogates', backends, () => {
  it('every deterministic method steps at 0 and has its documented derivative', async () => {
    const xs = [-1.5, -0.2, 0, 0.1, 0.7];
    const alpha = 2;
    const expected: Record<string, (x: number) => number> = {
      heaviside: () => 0,
      super: (x) => 1 / (alpha * Math.abs(x) + 1) ** 2,
      triangle: (x) => alpha * Math.max(0, 1 - Math.abs(x)),
      tanh: (x) => 1 - Math.tanh(alpha * x) ** 2,
      circ: (x) => alpha ** 3 / (x * x + alpha * alpha) ** 1.5,
      heaviErfc: (x) => (2 / Math.sqrt(Math.PI)) * Math.exp(-((alpha * x) ** 2)),
    };
    for (const [method, d] of Object.entries(expected)) {
      const x = tf.tensor(xs);
      const z = threshold(x, method, alpha);
      const g = tf.grad((t: tf.Tensor) => tf.sum(threshold(t, method, alpha)))(x);
      expect(Array.from(await z.data()), method).toEqual(xs.map((v) => (v > 0 ? 1 : 0)));
      const got = Array.from(await g.data());
      xs.forEach((v, k) => expect(got[k], `${method} at ${v}`).toBeCloseTo(d(v), 5));
      tf.dispose([x, z, g]);
    }
  });

  it('the named functions equal threshold with their method, and `super` is SuperSpike', async () => {
    const x = tf.tensor([-0.3, 0.2]);
    const a = tf.grad((t: tf.Tensor) => tf.sum(surrogate.super(t, 10)))(x);
    const b = tf.grad((t: tf.Tensor) => tf.sum(surrogate.superSpike(t, 10)))(x);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    expect((await a.data())[1]).toBeCloseTo(1 / 9, 6);
    tf.dispose([x, a, b]);
  });

  it('stochastic methods reproduce with a seed and differ between steps of a SeedSequence', async () => {
    const x = tf.fill([2000], 0.1);
    const a = surrogate.logistic(x, 1, 42);
    const b = surrogate.logistic(x, 1, 42);
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    const seq = new SeedSequence(7);
    const c = surrogate.circDist(x, 1, seq);
    const d = surrogate.circDist(x, 1, seq);
    expect(Array.from(await c.data())).not.toEqual(Array.from(await d.data()));
    const seq2 = new SeedSequence(7);
    const c2 = surrogate.circDist(x, 1, seq2);
    expect(Array.from(await c2.data())).toEqual(Array.from(await c.data()));
    // P(spike) = σ(2·0.1) ≈ 0.55 for logistic with alpha 1.
    const mean = (await a.mean().data())[0]!;
    expect(Math.abs(mean - 1 / (1 + Math.exp(-0.2)))).toBeLessThan(0.05);
    tf.dispose([x, a, b, c, d, c2]);
  });

  it('leaks no tensors, forward or backward', async () => {
    const x = tf.tensor([-0.3, 0.2, 0.9]);
    for (const method of SURROGATE_METHODS) {
      await expectNoLeak(() => threshold(x, method, 1, 3), `threshold ${method}`);
      await expectNoLeak(() => tf.grad((t: tf.Tensor) => tf.sum(threshold(t, method, 1, 3)))(x), `gradient of ${method}`);
    }
    x.dispose();
  });
});
