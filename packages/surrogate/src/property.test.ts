/**
 * Property-based tests of @snn/surrogate (fast-check, seeded, bounded): `threshold`, `spikeProbability`
 * and the named surrogates with random shapes, dtypes, methods (unknown ones included), α (any double)
 * and seeds give 0/1 spikes with finite gradients and no tensor left behind, or an Error naming the
 * argument — never a TypeError, a RangeError, a NaN spike or a NaN gradient. On cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { availableBackends, checkOutcome, describeEachBackend } from '@snn/tensor/testing';
import { SeedSequence, spikeProbability, threshold } from './index.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');

const METHODS = ['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heaviErfc', 'logistic', 'circDist', 'heavi_erfc', 'circ_dist', 'spiky', '', 3, null];
const caseArbitrary = fc.record({
  shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 }),
  dtype: fc.constantFrom('float32', 'float32', 'float32', 'int32', 'bool') as fc.Arbitrary<'float32' | 'int32' | 'bool'>,
  fill: fc.constantFrom(0, 1, -1, 1e-30, 3e38, -3e38, Number.NaN, Infinity, -Infinity),
  method: fc.constantFrom(...METHODS),
  alpha: fc.oneof(
    fc.double({ min: 1e-30, max: 1e30, noNaN: true }),
    fc.constantFrom(0, -1, 1e-39, 1e39, 3.4e38, 1.2e-38, Number.NaN, Infinity, '1', undefined),
  ),
  seed: fc.oneof(fc.constant(undefined), fc.integer(), fc.constantFrom(1.5, 'seed', 'sequence')),
  grad: fc.boolean(),
});

describeEachBackend('property: @snn/surrogate', backends, (backend) => {
  it('threshold and spikeProbability: 0/1 spikes, probabilities in [0, 1], finite gradients, or a named Error', async () => {
    await initBackend(backend);
    let results = 0;
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const x = tf.tidy(() => tf.cast(tf.add(tf.mul(tf.randomNormal(c.shape, 0, 2, 'float32', 3), c.fill === 0 ? 1 : 0), c.fill), c.dtype));
        const seed = c.seed === 'sequence' ? new SeedSequence(4) : c.seed;
        try {
          const outcome = await checkOutcome({ fn: 'threshold', spikes: (r) => [r as tf.Tensor] }, () => threshold(x, c.method as never, c.alpha as never, seed as never));
          if (outcome.kind === 'result') {
            results++;
            if (c.grad) {
              const g = tf.grad((t: tf.Tensor) => tf.sum(threshold(t, c.method as never, c.alpha as never, seed as never)))(x);
              const values = Array.from(await g.data());
              g.dispose();
              // A NaN input may give a NaN gradient; every other input a finite, non-negative one.
              const xs = Array.from(await x.data());
              const bad = values.findIndex((v, k) => !Number.isNaN(xs[k]!) && !(Number.isFinite(v) && v >= 0));
              if (bad >= 0) throw new Error(`gradient ${values[bad]} at x = ${xs[bad]} (method ${String(c.method)}, α = ${String(c.alpha)})`);
            }
          } else {
            errors++;
          }
          if (c.method === 'logistic' || c.method === 'circDist') {
            const p = await checkOutcome({ fn: 'spikeProbability' }, () => spikeProbability(x, c.method as never, c.alpha as never));
            if (p.kind === 'result') {
              const probability = spikeProbability(x, c.method as never, c.alpha as never);
              const pv = Array.from(await probability.data());
              probability.dispose();
              const xs = Array.from(await x.data());
              const bad = pv.findIndex((v, k) => !Number.isNaN(xs[k]!) && !(v >= 0 && v <= 1));
              if (bad >= 0) throw new Error(`probability ${pv[bad]} at x = ${xs[bad]}`);
            }
          }
        } finally {
          x.dispose();
        }
      }),
      { seed: 20261205, numRuns: 300, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
    );
    expect(results).toBeGreaterThan(40);
    expect(errors).toBeGreaterThan(40);
  }, 300_000);
});
