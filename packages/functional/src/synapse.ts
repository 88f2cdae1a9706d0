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
  const [x, r] = recurrentInputs(input, inputWeights, z, recurrentWeights);
  return tf.add(tf.add(base, x), r);
}

/**
 * The two currents of a recurrent step, `[x·W_inᵀ, z·W_recᵀ]` — the inputs `x` and `r` of a recurrent
 * spec's step, which adds them to its state in this order as `recurrentJump` does. Call inside a tidy.
 */
export function recurrentInputs(input: Tensor, inputWeights: Tensor, z: Tensor, recurrentWeights: Tensor): [Tensor, Tensor] {
  return [spikeMatMul(input, inputWeights, true, { name: 'input' }), tf.matMul(z, recurrentWeights, false, true)];
}

/**
 * `x·Wᵀ` ([B, K] · [H, K]ᵀ → [B, H]) summed in torch's float32 order: each product rounded to float32,
 * then added one by one, k = 0, 1, …, K − 1, each sum rounded to float32. A backend's own matMul may
 * sum in another order (tfjs's CPU backend accumulates in double and rounds once; WebGPU's tiles and
 * fused multiply-adds), which differs from Norse by an ulp now and then — harmless for most models,
 * but the Izhikevich upswing doubles a voltage difference at each step, so the recurrent Izhikevich step
 * uses this product to follow Norse on every backend. The sum runs as one `cumsum` on the CPU backend
 * (a sequential float32 scan there) and as K − 1 additions elsewhere (WebGPU's cumsum is a parallel
 * scan). Call inside a tidy.
 */
export function sequentialLinear(x: Tensor, w: Tensor): Tensor {
  const K = x.shape[1]!;
  if (K === 0) return tf.zeros([x.shape[0]!, w.shape[0]!]);
  const products = tf.mul(tf.expandDims(x, 1), tf.expandDims(w, 0)); // [B, H, K]
  if (tf.getBackend() === 'cpu') {
    return tf.squeeze(tf.slice(tf.cumsum(products, 2), [0, 0, K - 1], [-1, -1, 1]), [2]);
  }
  const terms = tf.unstack(products, 2);
  let sum = terms[0]!;
  for (let k = 1; k < K; k++) sum = tf.add(sum, terms[k]!);
  return sum;
}
