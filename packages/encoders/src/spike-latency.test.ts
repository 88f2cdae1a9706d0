import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { spikeLatencyEncode } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

describe('spikeLatencyEncode: bad input', () => {
  it('not a tensor, or a scalar without a time axis', () => {
    const s = tf.scalar(1);
    expectRejects(() => spikeLatencyEncode(null as never), /spikeLatencyEncode: argument 'inputSpikes' expected a tensor; received null/);
    expectRejects(() => spikeLatencyEncode(s), /argument 'inputSpikes' expected a tensor of rank ≥ 1; received a float32 tensor of shape \[\]/);
    s.dispose();
  });
});

describeEachBackend('spikeLatencyEncode', backends, () => {
  it('keeps only the first spike of each neuron', async () => {
    // [T = 5, N = 4]: neuron 0 fires at 1 and 3, neuron 1 never, neuron 2 at 0, 1, 2, neuron 3 at 4.
    const x = tf.tensor2d([
      [0, 0, 1, 0],
      [1, 0, 1, 0],
      [0, 0, 1, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 1],
    ]);
    expect(await values(spikeLatencyEncode(x))).toEqual([
      0, 0, 1, 0,
      1, 0, 0, 0,
      0, 0, 0, 0,
      0, 0, 0, 0,
      0, 0, 0, 1,
    ]);
    x.dispose();
  });

  it('keeps the shape [T, B, N] and the value of the first spike; a one-step train is unchanged', async () => {
    const x = tf.tensor3d([[[0, 2]], [[3, 2]]]);
    const z = spikeLatencyEncode(x);
    expect(z.shape).toEqual([2, 1, 2]);
    expect(await values(z)).toEqual([0, 2, 3, 0]);
    const one = tf.tensor2d([[1, 0, 1]]);
    expect(await values(spikeLatencyEncode(one))).toEqual([1, 0, 1]);
    const empty = tf.zeros([0, 3]);
    expect(spikeLatencyEncode(empty).shape).toEqual([0, 3]);
    tf.dispose([x, one, empty]);
  });

  it('leaks no tensor', async () => {
    const x = tf.randomUniform([6, 2, 3]).greater(0.5).toFloat();
    await expectNoLeak(() => spikeLatencyEncode(x));
    x.dispose();
  });
});
