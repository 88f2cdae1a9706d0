/**
 * `spikesToTimes` takes spikes of 0 and 1 only. The values cannot be checked when called (library code
 * never reads a tensor), so a neuron whose train holds anything else gets NaN times — never a plausible
 * time read from a value above 0.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { spikesToTimes } from './decoders.js';

const backends = await availableBackends();

describeEachBackend('spikesToTimes: non-binary spikes', backends, () => {
  it('a neuron with a value other than 0 or 1 (0.5, 2, −1, NaN) gets NaN times; the others are unaffected', async () => {
    // [T = 4, N = 6]: neuron 0 binary, 1 has 0.5, 2 has 2, 3 has −1, 4 has NaN, 5 binary and silent.
    const z = tf.tensor2d([
      [0, 0, 0, 0, 0, 0],
      [1, 0.5, 0, -1, 0, 0],
      [0, 0, 2, 0, Number.NaN, 0],
      [1, 1, 1, 0, 1, 0],
    ]);
    const times = spikesToTimes(z, { spikeCount: 2, unit: 'index' });
    const v = (await times.array()) as number[][];
    expect(v.map((row) => row[0])).toEqual([1, 3]);
    for (const k of [1, 2, 3, 4]) expect(v.map((row) => row[k]), `neuron ${k}`).toEqual([Number.NaN, Number.NaN]);
    expect(v.map((row) => row[5])).toEqual([Infinity, Infinity]);
    tf.dispose([z, times]);
    const half = tf.tensor2d([[0.5], [1]]);
    await expectNoLeak(() => spikesToTimes(half));
    half.dispose();
  });
});
