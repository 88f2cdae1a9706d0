import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { periodScores, ratePenalty, recallCounts, recallLoss } from './objective.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Two samples, three periods: sample 0 recalls bit 1 in period 2, sample 1 recalls bit 0 in period 1. */
function labels(): tf.Tensor {
  // [periods, B, 2]
  return tf.tensor3d([
    [[0, 0], [0, 0]],
    [[0, 0], [1, 0]],
    [[0, 1], [0, 0]],
  ], [3, 2, 2], 'int32');
}

describe('periodScores', () => {
  it('averages the readout over each period', () => {
    // T = 4 steps, 2 periods of 2 steps, B = 1, 2 outputs.
    const readout = tf.tensor3d([[[1, 0]], [[3, 2]], [[5, 4]], [[7, 8]]]);
    const scores = periodScores(readout, 2);
    expect(scores.shape).toEqual([2, 1, 2]);
    expect(scores.arraySync()).toEqual([[[2, 1]], [[6, 6]]]);
    tf.dispose([readout, scores]);
  });
  it('refuses a time axis that is no multiple of the period', () => {
    const readout = tf.zeros([5, 1, 2]);
    expect(() => periodScores(readout, 2)).toThrow(/periodScores: argument 'readout' expected a time axis that is a multiple of seqLength 2; received 5 steps/);
    readout.dispose();
  });
});

describe('recallCounts', () => {
  it('counts only the recall periods, and a right answer only when it is strictly larger', () => {
    const l = labels();
    const right = tf.tensor3d([
      [[9, -9], [9, -9]], // no recall here: ignored whatever the scores
      [[0, 0], [2, 1]], // sample 1 recalls bit 0 and says 0: right
      [[0, 5], [0, 0]], // sample 0 recalls bit 1 and says 1: right
    ]);
    const [c, n] = recallCounts(right, l);
    expect([c.arraySync(), n.arraySync()]).toEqual([2, 2]);
    const wrong = tf.tensor3d([
      [[0, 0], [0, 0]],
      [[0, 0], [1, 1]], // a tie: wrong
      [[3, 2], [0, 0]], // says 0 where 1 was stored: wrong
    ]);
    const [c2, n2] = recallCounts(wrong, l);
    expect([c2.arraySync(), n2.arraySync()]).toEqual([0, 2]);
    tf.dispose([l, right, wrong, c, n, c2, n2]);
  });
  it('refuses labels of another shape', () => {
    const s = tf.zeros([3, 2, 2]);
    const l = tf.zeros([3, 1, 2], 'int32');
    expect(() => recallCounts(s, l)).toThrow(/recallCounts: argument 'labels' expected a tensor of the scores' shape \[3, 2, 2\]; received shape \[3, 1, 2\]/);
    tf.dispose([s, l]);
  });
});

describe('recallLoss', () => {
  it('is the mean softmax cross-entropy of the recall periods alone', () => {
    const l = labels();
    const scores = tf.tensor3d([
      [[100, -100], [100, -100]], // would cost 200 if it counted
      [[0, 0], [Math.log(3), 0]], // p(bit 0) = 3/4
      [[0, 0], [0, 0]], // p(bit 1) = 1/2
    ]);
    const loss = recallLoss(scores, l);
    expect(loss.arraySync()).toBeCloseTo((-Math.log(3 / 4) - Math.log(1 / 2)) / 2, 5);
    tf.dispose([l, scores, loss]);
  });
});

describe('ratePenalty', () => {
  it('is zero at the target rate and (r/r* − 1)² averaged over neurons otherwise', () => {
    // 10 steps of 1 ms, one sample, two neurons: neuron 0 fires once (100 Hz), neuron 1 never.
    const spikes = tf.tensor3d(Array.from({ length: 10 }, (_, t) => [[t === 0 ? 1 : 0, 0]]));
    const atTarget = ratePenalty(tf.slice(spikes, [0, 0, 0], [-1, -1, 1]), 100);
    expect(atTarget.arraySync()).toBeCloseTo(0, 6);
    const both = ratePenalty(spikes, 50);
    expect(both.arraySync()).toBeCloseTo(((100 / 50 - 1) ** 2 + 1) / 2, 5);
    expect(() => ratePenalty(spikes, 0)).toThrow(/ratePenalty: argument 'targetHz'/);
    tf.dispose([spikes, atTarget, both]);
  });
});
