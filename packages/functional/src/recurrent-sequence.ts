/**
 * What every fused recurrent sequence (`lifRecurrentIntegral` & co.) shares: the input product for all
 * time steps at once, and the last step of a [T, ...] sequence (the final state's spikes).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { spikeMatMul } from '@snn/tensor';

/**
 * x·W_inᵀ for every step of `input` [T, B, nIn] with `inputWeights` [H, nIn], as one product over the
 * [T·B, nIn] rows instead of T small ones (it does not depend on the state), reshaped to [T, B, H].
 * The product is `spikeMatMul`, as the step functions' (`recurrentJump`): an input marked as spikes
 * takes the event-driven kernel where the backend has one and the density is low (global switch:
 * `setSpikeSparsity`), forward and weight gradient; anything else tfjs's matMul. Call inside a tidy.
 */
export function inputCurrents(input: Tensor, inputWeights: Tensor): Tensor {
  return spikeMatMul(input, inputWeights, true, { name: 'input' });
}

/** The last step of a sequence [T, ...] as a tensor [...]. Call inside a tidy. */
export function lastStep(sequence: Tensor): Tensor {
  return tf.squeeze(tf.slice(sequence, sequence.shape[0]! - 1, 1), [0]);
}

/**
 * One step of a recurrent composite with the input current already computed: `(base + x) + z·wᵀ`, the
 * order `recurrentJump` adds in (so the fused sequences reproduce the step functions). Call inside a tidy.
 */
export function jumpWithCurrent(base: Tensor, x: Tensor, z: Tensor, w: Tensor): Tensor {
  return tf.add(tf.add(base, x), tf.matMul(z, w, false, true));
}
