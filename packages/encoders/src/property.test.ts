/**
 * Property-based tests of @snn/encoders (fast-check, seeded, bounded): every encoder with random
 * shapes, dtypes, values (NaN and ±∞ included), sequence lengths, rates, time steps, seeds and
 * parameters gives spikes of the encoder's values (0/1; −1/0/1 for the signed Poisson encoders) with
 * no tensor left behind, or an Error naming the argument — never a TypeError, a RangeError, a raw tfjs
 * message or a NaN spike. On cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { availableBackends, checkOutcome, describeEachBackend } from '@snn/tensor/testing';
import {
  constantCurrentLifEncode, poissonEncode, poissonEncodeStep, populationEncode, SeedSequence, signedPoissonEncode,
  signedPoissonEncodeStep, spikeLatencyEncode, spikeLatencyLifEncode,
} from './index.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');

type Args = { seqLength: unknown; rate: unknown; dt: unknown; seed: unknown; p: unknown; outFeatures: unknown; scale: unknown };

/** [function, the values its output may hold (undefined: not spikes), the call]. */
const ENCODERS: ReadonlyArray<readonly [string, readonly number[] | undefined, (x: Tensor, a: Args) => unknown]> = [
  ['poissonEncode', [0, 1], (x, a) => poissonEncode(x, a.seqLength as never, a.rate as never, a.dt as never, a.seed as never)],
  ['poissonEncodeStep', [0, 1], (x, a) => poissonEncodeStep(x, a.rate as never, a.dt as never, a.seed as never)],
  ['signedPoissonEncode', [-1, 0, 1], (x, a) => signedPoissonEncode(x, a.seqLength as never, a.rate as never, a.dt as never, a.seed as never)],
  ['signedPoissonEncodeStep', [-1, 0, 1], (x, a) => signedPoissonEncodeStep(x, a.rate as never, a.dt as never, a.seed as never)],
  ['constantCurrentLifEncode', [0, 1], (x, a) => constantCurrentLifEncode(x, a.seqLength as never, a.p as never, a.dt as never)],
  ['spikeLatencyLifEncode', [0, 1], (x, a) => spikeLatencyLifEncode(x, a.seqLength as never, a.p as never, a.dt as never)],
  ['spikeLatencyEncode', undefined, (x) => spikeLatencyEncode(x)],
  ['populationEncode', undefined, (x, a) => populationEncode(x, a.outFeatures as never, a.scale as never)],
];

const good = fc.record({
  seqLength: fc.integer({ min: 1, max: 6 }), rate: fc.double({ min: 0, max: 2000, noNaN: true }), dt: fc.constantFrom(1e-3, 1e-4),
  seed: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 1000 }), fc.constant('sequence')),
  p: fc.record({ tauMemInv: fc.double({ min: 1, max: 1500, noNaN: true }), vTh: fc.double({ min: 0.1, max: 2, noNaN: true }) }, { requiredKeys: [] }),
  outFeatures: fc.integer({ min: 1, max: 5 }),
  scale: fc.oneof(fc.constant(undefined), fc.double({ min: 0.1, max: 10, noNaN: true })),
});
const nasty = fc.constantFrom(0, -1, 2.5, Number.NaN, Infinity, -Infinity, 1e30, '3', null, undefined, {}, [2]);
const bad = fc.record({ seqLength: nasty, rate: nasty, dt: nasty, seed: nasty, p: fc.oneof(nasty, fc.constant({ tauMemInv: -1 }), fc.constant({ nonsense: 1 })), outFeatures: nasty, scale: nasty });

const caseArbitrary = fc.record({
  encoder: fc.integer({ min: 0, max: ENCODERS.length - 1 }),
  shape: fc.oneof(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 3 })),
  dtype: fc.constantFrom('float32', 'float32', 'float32', 'int32', 'bool') as fc.Arbitrary<'float32' | 'int32' | 'bool'>,
  fill: fc.constantFrom(0, 0.5, 1, 2, -1, Number.NaN, Infinity, -Infinity),
  args: fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad }),
});

describeEachBackend('property: @snn/encoders', backends, (backend) => {
  it('encoders give spikes of their values and leak nothing, or an Error naming the argument', async () => {
    await initBackend(backend);
    let results = 0;
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const [fn, allowed, run] = ENCODERS[c.encoder]!;
        const x = tf.tidy(() => tf.cast(tf.add(tf.mul(tf.randomUniform(c.shape, 0, 1, 'float32', 5), c.fill === 0.5 ? 1 : 0), c.fill), c.dtype));
        const args = { ...c.args, seed: c.args.seed === 'sequence' ? new SeedSequence(9) : c.args.seed } as Args;
        try {
          let out: unknown;
          const outcome = await checkOutcome({ fn }, () => {
            out = run(x, args);
            // Read the values before checkOutcome disposes them.
            return out;
          });
          if (outcome.kind === 'result') results++;
          else errors++;
          if (outcome.kind === 'result' && allowed) {
            const again = run(x, { ...args, seed: typeof args.seed === 'number' ? args.seed : 1 }) as Tensor;
            const values = Array.from(await again.data());
            again.dispose();
            const off = values.find((v) => !allowed.includes(v));
            if (off !== undefined) throw new Error(`${fn} returned ${off}; expected only ${allowed.join(', ')}`);
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
