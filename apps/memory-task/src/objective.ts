/**
 * What the memory network is trained on and judged by. The readout voltage is averaged over each
 * period into two class scores; only the recall periods count — there the target is the bit shown at
 * the store command — so the loss is the softmax cross-entropy of the recall periods, and the accuracy
 * the share of recall periods whose larger score is the stored bit. A rate penalty keeps the spiking
 * layers near a target firing rate (Bellec et al.'s firing-rate regulariser): without it, silent
 * neurons carry no gradient through their surrogate and saturated ones no information.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertDt, assertFiniteNumber, assertTensor, tidy } from '@snn/tensor';

/** Checks class scores [rows, B, 2] against labels of the same shape. */
function checkScores(fn: string, scores: unknown, labels: unknown): asserts scores is Tensor {
  assertTensor(fn, 'scores', scores, { rank: 3, dtype: ['float32'] });
  assertTensor(fn, 'labels', labels, { rank: 3, dtype: ['int32', 'float32'] });
  if (scores.shape.some((d, k) => d !== labels.shape[k])) {
    throw argumentError(fn, 'labels', `a tensor of the scores' shape [${scores.shape.join(', ')}]`, `shape [${labels.shape.join(', ')}]`, true);
  }
}

/**
 * The mean readout voltage of every period: readout [periods·seqLength, B, C] → scores [periods, B, C].
 * A period's score is its whole mean, so a decision has to be held through the period, not flicker.
 */
export function periodScores(readout: Tensor, seqLength: number): Tensor {
  const fn = 'periodScores';
  assertTensor(fn, 'readout', readout, { rank: 3, dtype: ['float32'] });
  assertFiniteNumber(fn, 'seqLength', seqLength, { integer: true, min: 1 });
  const [t, b, c] = readout.shape as [number, number, number];
  if (t % seqLength !== 0) throw argumentError(fn, 'readout', `a time axis that is a multiple of seqLength ${seqLength}`, `${t} steps`, true);
  return tidy(() => tf.mean(tf.reshape(readout, [t / seqLength, seqLength, b, c]), 1));
}

/** 1 at the recall periods (the rows whose label is one-hot), 0 elsewhere: [rows, B]. Call inside a tidy. */
function recallMask(labels: Tensor): Tensor {
  return tf.sum(tf.cast(labels, 'float32'), -1);
}

/**
 * Softmax cross-entropy of `scores` [rows, B, 2] against the one-hot `labels` [rows, B, 2], averaged
 * over the recall periods only (rows whose label is all zero carry no target). A scalar.
 */
export function recallLoss(scores: Tensor, labels: Tensor): Tensor {
  const fn = 'recallLoss';
  checkScores(fn, scores, labels);
  return tidy(() => {
    const target = tf.cast(labels, 'float32');
    const mask = recallMask(labels);
    const crossEntropy = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(scores)), -1));
    return tf.div(tf.sum(tf.mul(crossEntropy, mask)), tf.maximum(tf.sum(mask), 1));
  });
}

/**
 * How many recall periods the network got right and how many there were, as two int32 scalars
 * `[correct, recalls]`. A recall is right when the larger score is the stored bit; a tie counts as wrong
 * (a network with a dead readout must not score 50 % by luck of argmax's tie-breaking).
 */
export function recallCounts(scores: Tensor, labels: Tensor): [Tensor, Tensor] {
  const fn = 'recallCounts';
  checkScores(fn, scores, labels);
  if (scores.shape[2] !== 2) throw argumentError(fn, 'scores', 'two class scores per period, shape [rows, B, 2]', `shape [${scores.shape.join(', ')}]`, true);
  return tidy(() => {
    const mask = recallMask(labels);
    const [s0, s1] = tf.unstack(scores, 2) as [Tensor, Tensor];
    const [l0, l1] = tf.unstack(tf.cast(labels, 'float32'), 2) as [Tensor, Tensor];
    // Right: the label's score strictly larger than the other.
    const right = tf.add(tf.mul(l0, tf.cast(tf.greater(s0, s1), 'float32')), tf.mul(l1, tf.cast(tf.greater(s1, s0), 'float32')));
    return [tf.cast(tf.sum(tf.mul(right, mask)), 'int32'), tf.cast(tf.sum(mask), 'int32')] as [Tensor, Tensor];
  });
}

/**
 * The firing-rate penalty of a spike train [T, B, N]: mean over neurons of (r_n / r* − 1)², where r_n
 * is neuron n's rate in Hz over the whole batch and r* = `targetHz`. Relative, so that its weight means
 * the same whatever the target.
 *
 * Norse folds such a term in step by step with a `RegularizationCell`; here the sequence layers hand
 * back the whole spike train [T, B, N] at once, so the same penalty is one reduction over it.
 */
export function ratePenalty(spikes: Tensor, targetHz: number, dt = 1e-3): Tensor {
  const fn = 'ratePenalty';
  assertTensor(fn, 'spikes', spikes, { rank: 3, dtype: ['float32'] });
  assertFiniteNumber(fn, 'targetHz', targetHz, { min: Number.MIN_VALUE });
  assertDt(fn, dt);
  return tidy(() => {
    const rate = tf.div(tf.mean(spikes, [0, 1]), dt);
    return tf.mean(tf.square(tf.sub(tf.div(rate, targetHz), 1)));
  });
}
