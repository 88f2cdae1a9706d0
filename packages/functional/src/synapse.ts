/**
 * The synaptic input of a recurrent step: what the population receives this step from its inputs and
 * from its own spikes of the last step.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { spikeMatMul } from '@snn/tensor';

/**
 * `(base + x·W_inᵀ) + z·W_recᵀ`, added in this order (Norse's, which the golden fixtures reproduce to
 * the last bit). Weights are [out, in]. Call inside a tidy. The input product is `spikeMatMul`: an input
 * marked as spikes takes the event-driven kernel (equal up to summation order), anything else `tf.matMul`.
 */
export function recurrentJump(base: Tensor, input: Tensor, inputWeights: Tensor, z: Tensor, recurrentWeights: Tensor): Tensor {
  return tf.add(tf.add(base, spikeMatMul(input, inputWeights, true, { name: 'input' })), tf.matMul(z, recurrentWeights, false, true));
}
