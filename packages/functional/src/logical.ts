/**
 * Logic on spike tensors (0/1 values), written with arithmetic so that gradients flow: AND, XOR and
 * the edge detector are polynomials that agree with the Boolean functions on {0, 1}; OR and the
 * Muller C-element threshold a sum with the spike threshold Θ(·) (Θ(0) = 0), whose backward pass is
 * the SuperSpike surrogate with α = 100.
 *
 *     and(x, y)             = x·y
 *     xor(x, y)             = x + y − 2·x·y
 *     or(x, y)              = Θ(x + y)
 *     mullerC(y⁻, x₁, x₂)   = Θ(x₁·x₂ + (x₁ + x₂)·y⁻)       (output follows the inputs when they
 *                                                          agree, else keeps its previous value y⁻)
 *     posedge(z, z⁻)        = z·(1 − z⁻)                   (1 where z rose from 0 to 1)
 *
 * All arguments of one call have the same shape.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertSameShape, assertTensor, tidy } from '@snn/tensor';
import { threshold } from '@snn/surrogate';

/** The surrogate used by the thresholded operations (OR, Muller C). */
const METHOD = 'super';
const ALPHA = 100;

function check(fn: string, names: readonly string[], values: readonly unknown[]): void {
  const first = values[0];
  assertTensor(fn, names[0]!, first);
  for (let k = 1; k < values.length; k++) assertSameShape(fn, names[k]!, values[k], names[0]!, first);
}

/** Spike AND: x·y. */
export function logicalAnd(x: Tensor, y: Tensor): Tensor {
  check('logicalAnd', ['x', 'y'], [x, y]);
  return tidy(() => tf.mul(x, y));
}

/** Spike XOR: x + y − 2·x·y. */
export function logicalXor(x: Tensor, y: Tensor): Tensor {
  check('logicalXor', ['x', 'y'], [x, y]);
  return tidy(() => tf.sub(tf.add(x, y), tf.mul(2, tf.mul(x, y))));
}

/** Spike OR: Θ(x + y) (SuperSpike surrogate, α = 100). */
export function logicalOr(x: Tensor, y: Tensor): Tensor {
  check('logicalOr', ['x', 'y'], [x, y]);
  return tidy(() => threshold(tf.add(x, y), METHOD, ALPHA));
}

/**
 * Muller C-element: the output becomes 1 when both inputs are 1, 0 when both are 0, and keeps its
 * previous value `yPrev` otherwise — Θ(x₁·x₂ + (x₁ + x₂)·y⁻) (SuperSpike surrogate, α = 100).
 */
export function mullerC(yPrev: Tensor, x1: Tensor, x2: Tensor): Tensor {
  check('mullerC', ['yPrev', 'x1', 'x2'], [yPrev, x1, x2]);
  return tidy(() => threshold(tf.add(tf.mul(x1, x2), tf.mul(tf.add(x1, x2), yPrev)), METHOD, ALPHA));
}

/** Rising-edge detector: z·(1 − z⁻), 1 where the spike train goes from 0 (at zPrev) to 1 (at z). */
export function posedgeDetector(z: Tensor, zPrev: Tensor): Tensor {
  check('posedgeDetector', ['z', 'zPrev'], [z, zPrev]);
  return tidy(() => tf.mul(z, tf.sub(1, zPrev)));
}
