/**
 * Population coding: each value x is spread over `outFeatures` neurons whose preferred values
 * (centres) c_k lie evenly on [0, scale]; neuron k responds with a kernel of the scaled distance,
 *
 *     out[..., k] = kernel(distance(x, c_k) · scale),   c_k = k · scale / (outFeatures − 1)
 *
 * By default (Norse's `population_encode`): distance (x − c)², kernel the Gaussian radial basis
 * exp(−d / (2σ²)) with σ = 1. Without a scale, the scale is the largest value of the whole input —
 * every element of every batch entry, as in Norse, so one batch entry changes another's encoding;
 * pass a fixed scale to encode samples independently.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor, isTensor, tidy } from '@snn/tensor';

/** A distance between values and centres (broadcast), element-wise. */
export type DistanceFunction = (x: Tensor, centres: Tensor) => Tensor;
/** A response to a (scaled) distance, element-wise. */
export type Kernel = (distance: Tensor) => Tensor;

/** The squared difference (x − y)², Norse's `euclidean_distance` (per element). */
export function euclideanDistance(x: Tensor, y: Tensor): Tensor {
  assertTensor('euclideanDistance', 'x', x);
  assertTensor('euclideanDistance', 'y', y);
  return tidy(() => tf.square(tf.sub(x, y)));
}

/** The Gaussian radial basis exp(−d / (2σ²)), Norse's `gaussian_rbf`. */
export function gaussianRbf(distance: Tensor, sigma = 1): Tensor {
  assertTensor('gaussianRbf', 'distance', distance);
  assertFiniteNumber('gaussianRbf', 'sigma', sigma, { min: 0, exclusiveMin: true });
  return tidy(() => tf.exp(tf.div(tf.neg(distance), 2 * sigma * sigma)));
}

/**
 * `n` evenly spaced centres on [0, scale], computed as torch's `linspace` does (the first half
 * counted up from 0, the second half down from the end) so that both ends are exact in float32.
 */
function centres(scale: Tensor, n: number): Tensor {
  if (n === 1) return tf.zeros([1]);
  const step = tf.div(scale, n - 1);
  const half = Math.floor(n / 2);
  const up = tf.mul(step, tf.range(0, half, 1, 'float32'));
  const down = tf.sub(scale, tf.mul(step, tf.range(n - 1 - half, -1, -1, 'float32')));
  return tf.concat([up, down]);
}

/**
 * The default scale: the input's maximum where it is positive, else 1. Norse takes the maximum as it is,
 * but a maximum ≤ 0 (an input with no positive value) puts every centre at or below 0 and multiplies the
 * distances by a non-positive factor: all-equal responses at 0, and exp of a positive, growing distance
 * (∞, then NaN) below it. A population over [0, 1] keeps the responses finite and meaningful. Decided
 * on the tensor (no value is read): a scalar `where`.
 */
function defaultScale(inputValues: Tensor): Tensor {
  const max = inputValues.size === 0 ? tf.scalar(1) : tf.max(inputValues);
  return tf.where(tf.greater(max, 0), max, tf.onesLike(max));
}

/**
 * Encodes every value of `inputValues` (float32, any shape) by a population of `outFeatures` neurons:
 * returns [...inputValues.shape, outFeatures]. `scale` (a number > 0 or a scalar tensor) defaults to
 * the input's maximum (1 when no value is positive, see `defaultScale`); `kernel` and `distance` default to Norse's Gaussian RBF and squared distance.
 */
export function populationEncode(
  inputValues: Tensor, outFeatures: number, scale?: number | Tensor, kernel: Kernel = gaussianRbf,
  distance: DistanceFunction = euclideanDistance,
): Tensor {
  const fn = 'populationEncode';
  assertTensor(fn, 'inputValues', inputValues);
  assertFiniteNumber(fn, 'outFeatures', outFeatures, { integer: true, min: 1 });
  if (isTensor(scale)) {
    assertTensor(fn, 'scale', scale);
    if (scale.size !== 1) throw argumentError(fn, 'scale', 'a number > 0 or a tensor holding one value', scale);
  } else if (scale !== undefined) {
    assertFiniteNumber(fn, 'scale', scale, { min: 0, exclusiveMin: true });
  }
  if (typeof kernel !== 'function') throw argumentError(fn, 'kernel', 'a function (distance: Tensor) => Tensor', kernel);
  if (typeof distance !== 'function') throw argumentError(fn, 'distance', 'a function (x: Tensor, centres: Tensor) => Tensor', distance);
  return tidy(() => {
    const s = scale === undefined ? defaultScale(inputValues) : isTensor(scale) ? tf.reshape(scale, []) : tf.scalar(scale);
    const x = tf.expandDims(inputValues, -1);
    return kernel(tf.mul(distance(x, centres(s, outFeatures)), s));
  });
}
