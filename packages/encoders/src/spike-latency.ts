/**
 * Spike latency: of a spike train [T, ...], keep only each neuron's first spike,
 *
 *     t₀ = min{t : x_t ≠ 0};  out_t = x_t · [t = t₀]
 *
 * (Norse's `spike_latency_encode`). One min-reduction over time instead of a loop of T steps. Booleans
 * are only ever used as `where` conditions, never cast to float32: tfjs's WebGPU backend implements that
 * cast as a relabelling of the boolean buffer, which later kernels misread.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertTensor, markSpikesLike, tidy } from '@snn/tensor';

/** The kernel of `spikeLatencyEncode`, unchecked (its callers have checked). */
export function firstSpikes(spikes: Tensor): Tensor {
  const T = spikes.shape[0]!;
  if (T === 0 || spikes.size === 0) return tf.clone(spikes);
  // Time indices [T, 1, …, 1], exact in float32 up to 2^24 steps; a silent neuron's first spike is "at T".
  const t = tf.reshape(tf.range(0, T, 1, 'float32'), [T, ...spikes.shape.slice(1).map(() => 1)]);
  const first = tf.min(tf.where(tf.notEqual(spikes, 0), tf.mul(tf.onesLike(spikes), t), tf.fill(spikes.shape, T)), 0);
  return tf.where(tf.equal(t, first), spikes, tf.zerosLike(spikes));
}

/**
 * Keeps only the first spike of each neuron of `inputSpikes` [T, ...] (time first, T ≥ 1); every later
 * spike becomes 0. Returns a tensor of the input's shape.
 */
export function spikeLatencyEncode(inputSpikes: Tensor): Tensor {
  const fn = 'spikeLatencyEncode';
  assertTensor(fn, 'inputSpikes', inputSpikes, { minRank: 1 });
  // Spikes in, spikes out: a marked input keeps its mark.
  return markSpikesLike(tidy(() => firstSpikes(inputSpikes)), inputSpikes);
}
