/**
 * Encoder edge cases: a population code of inputs with no positive value stays finite (the default
 * scale falls back to 1), and every sequence length is checked with an argument error.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  constantCurrentLifEncode, poissonEncode, populationEncode, signedPoissonEncode, spikeLatencyLifEncode,
} from './index.js';

const backends = await availableBackends();

describeEachBackend('encoder edge cases', backends, () => {
  it('populationEncode of non-positive input: finite responses in [0, 1], as a population over [0, 1]', async () => {
    for (const values of [[-3, -1, -0.5], [0, 0, 0], [-2, 0]]) {
      const x = tf.tensor1d(values);
      const out = populationEncode(x, 5);
      const v = Array.from(await out.data());
      expect(v.every((k) => Number.isFinite(k) && k >= 0 && k <= 1), `${values}: ${v}`).toBe(true);
      const ref = populationEncode(x, 5, 1);
      expect(Array.from(await ref.data())).toEqual(v);
      tf.dispose([x, out, ref]);
    }
    // A positive maximum is still Norse's default.
    const x = tf.tensor1d([0.5, 2]);
    const [a, b] = [populationEncode(x, 4), populationEncode(x, 4, 2)];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    tf.dispose([x, a, b]);
    const negative = tf.tensor1d([-1]);
    await expectNoLeak(() => populationEncode(negative, 3));
    negative.dispose();
  });

  it('sequence lengths are integers ≥ 1, named when not', () => {
    const x = tf.ones([2]);
    const before = tf.memory().numTensors;
    for (const bad of [0, -1, 2.5, Number.NaN, Infinity, '3', null]) {
      for (const [name, run] of [
        ['poissonEncode', () => poissonEncode(x, bad as never)],
        ['signedPoissonEncode', () => signedPoissonEncode(x, bad as never)],
        ['constantCurrentLifEncode', () => constantCurrentLifEncode(x, bad as never)],
        ['spikeLatencyLifEncode', () => spikeLatencyLifEncode(x, bad as never)],
      ] as const) {
        expect(run, `${name}(${String(bad)})`).toThrow(new RegExp(`^${name}: argument 'seqLength' expected an integer ≥ 1; received`));
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
