/**
 * Nothing silently wrong at the edges: spikes are 0/1 for every input (Θ(NaN) = 0, as Norse's
 * Heaviside), every surrogate gradient is finite for every α a float32 holds (normal numbers), and an
 * α outside that range is refused.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { SURROGATE_METHODS, SeedSequence, spikeProbability, threshold } from './index.js';

const backends = await availableBackends();

const X = [Number.NaN, Number.NEGATIVE_INFINITY, -3e38, -1e20, -5, -1e-3, -1e-30, 0, 1e-30, 1e-3, 5, 1e20, 3e38, Number.POSITIVE_INFINITY];
const FINITE_X = X.filter(Number.isFinite);
const ALPHAS = [1.2e-38, 1e-20, 1e-7, 0.3, 1, 100, 1e7, 1e13, 1e20, 1e30, 3.4e38];

describeEachBackend('surrogate edges', backends, () => {
  it('spikes are 0/1 for NaN and ±∞ inputs, every method (Θ(NaN) = 0)', async () => {
    for (const method of SURROGATE_METHODS) {
      const z = threshold(tf.tensor1d(X), method, 1, 5);
      const values = Array.from(await z.data());
      expect(values.every((v) => v === 0 || v === 1), `${method}: ${values}`).toBe(true);
      expect(values[0], `${method}: Θ(NaN)`).toBe(0);
      if (method !== 'logistic' && method !== 'circDist') {
        expect(values, method).toEqual(X.map((x) => (x > 0 ? 1 : 0)));
      }
      z.dispose();
    }
  });

  it('every surrogate gradient is finite (and ≥ 0) for every float32 α, on a grid of x from −3e38 to 3e38', async () => {
    const x = tf.tensor1d(FINITE_X);
    for (const method of SURROGATE_METHODS) {
      for (const alpha of ALPHAS) {
        const g = tf.grad((t: tf.Tensor) => tf.sum(threshold(t, method, alpha, 1)))(x);
        const values = Array.from(await g.data());
        expect(values.every((v) => Number.isFinite(v) && v >= 0), `${method}, α = ${alpha}: ${values}`).toBe(true);
        g.dispose();
      }
    }
    x.dispose();
  });

  it('circ and circDist keep their limits: derivative 1 at x = 0, 0 far away; probability ½ at 0, 0 or 1 far away', async () => {
    for (const alpha of [1.2e-38, 1e-20, 1e20, 3.4e38]) {
      const x = tf.tensor1d([0, -3e38, 3e38]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(threshold(t, 'circ', alpha)))(x);
      const gv = Array.from(await g.data());
      expect(gv[0], `α = ${alpha}`).toBe(1);
      const p = spikeProbability(x, 'circDist', alpha);
      const pv = Array.from(await p.data());
      expect(pv[0], `α = ${alpha}`).toBe(0.5);
      if (alpha < 1) {
        expect(gv.slice(1), `α = ${alpha}`).toEqual([0, 0]);
        expect(pv.slice(1), `α = ${alpha}`).toEqual([0, 1]);
      }
      tf.dispose([x, g, p]);
    }
  });

  it('an α float32 cannot hold is refused, naming it', async () => {
    const x = tf.zeros([2]);
    expect(() => threshold(x, 'super', 1e39)).toThrow(/threshold: argument 'alpha' expected a finite number ≥ 1.1754943508222875e-38 ≤ 3.4028234663852886e\+38; received 1e\+39/);
    expect(() => threshold(x, 'circ', 1e-40)).toThrow(/threshold: argument 'alpha' expected a finite number ≥ 1.17549/);
    expect(() => spikeProbability(x, 'logistic', 1e300)).toThrow(/spikeProbability: argument 'alpha'/);
    await expectNoLeak(() => threshold(x, 'logistic', 3.4e38, new SeedSequence(1)));
    x.dispose();
  });
});
