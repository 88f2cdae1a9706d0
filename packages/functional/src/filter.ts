/**
 * Exponential filtering (a first-order IIR low-pass) of a signal over time — e.g. to turn spike
 * trains into smooth traces:
 *
 *     y_t = a·y_{t−1} + x_t            (y_{−1} = 0, so y_0 = x_0)
 *
 * with the decay `a` (`parameter`) usually in [0, 1): a = exp(−dt/τ) for a time constant τ. The
 * filter is not normalised: a constant input x settles at x / (1 − a).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertSameShape, assertTensor, broadcastsTo, formatShape, tidy, type ParameterValue } from '@snn/tensor';

function checkParameter(fn: string, parameter: unknown, shape: readonly number[]): void {
  if (typeof parameter === 'number') {
    if (!Number.isFinite(parameter)) throw argumentError(fn, 'parameter', 'a finite number or a float32 tensor', parameter);
    return;
  }
  assertTensor(fn, 'parameter', parameter);
  if (!broadcastsTo(parameter.shape, shape)) {
    throw argumentError(fn, 'parameter', `a number or a tensor that broadcasts to ${formatShape(shape)}`, parameter);
  }
}

/**
 * One filter step: `parameter·old + newValue`. `old` and `newValue` have the same shape;
 * `parameter` is a number (multiplied in float32) or a tensor that broadcasts to that shape.
 */
export function expFilterStep(old: Tensor, newValue: Tensor, parameter: ParameterValue): Tensor {
  const fn = 'expFilterStep';
  assertTensor(fn, 'old', old);
  assertSameShape(fn, 'newValue', newValue, 'old', old);
  checkParameter(fn, parameter, old.shape);
  return tidy(() => tf.add(tf.mul(old, parameter), newValue));
}

/**
 * Filters `input` [T, ...] along its leading time axis: y_0 = x_0, y_t = parameter·y_{t−1} + x_t.
 * Returns the filtered sequence [T, ...].
 */
export function expFilter(input: Tensor, parameter: ParameterValue): Tensor {
  const fn = 'expFilter';
  assertTensor(fn, 'input', input, { minRank: 1 });
  if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, ...] with T ≥ 1 time steps', input);
  checkParameter(fn, parameter, input.shape.slice(1));
  return tidy(() => {
    const steps = tf.unstack(input);
    const out: Tensor[] = [steps[0]!];
    for (let t = 1; t < steps.length; t++) {
      const previous = out[t - 1]!;
      out.push(tidy(() => tf.add(tf.mul(previous, parameter), steps[t]!)));
    }
    return tf.stack(out);
  });
}
