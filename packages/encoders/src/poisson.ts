/**
 * Poisson encoders: a value x becomes a spike train whose spike probability per step is
 *
 *     P(z_t = 1) = dt · f_max · x        (clipped to [0, 1] by the comparison itself)
 *
 * drawn independently at every step and every element: z_t = [u_t < dt·f_max·x] with u_t ~ U[0, 1).
 * The signed variants encode |x| that way and give the spike the sign of x (−1, 0 or +1), so that
 * negative inputs (e.g. normalised pixels, signed currents) keep their sign in the spike train.
 *
 * Reproducibility: with a seed, the uniform draws come from tfjs's seeded generator, which runs in
 * JavaScript before the values reach the backend, so a seed gives the same spikes on cpu, wasm and
 * WebGPU. A sequence draws all its T steps from one seeded stream (no step repeats another); a
 * single step with a number seed always draws the same sample, so a time loop should pass a
 * `SeedSequence` (a fresh seed per call) or use `PoissonEncoderStep`, which does that itself.
 * These encoders have no gradient (a comparison), as in Norse.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { assertDt, assertTensor, markSpikes, tidy } from '@snn/tensor';
import type { Seed } from '@snn/surrogate';
import { assertRate, assertSeed, assertSeqLength, drawSeed } from './checks.js';

function check(fn: string, input: unknown, fMax: unknown, dt: unknown, seed: unknown): asserts input is Tensor {
  assertTensor(fn, 'input', input);
  assertRate(fn, 'fMax', fMax);
  assertDt(fn, dt);
  assertSeed(fn, seed);
}

/**
 * Bernoulli spikes of probability dt·f_max·|x| for uniform draws `u` of the output's shape.
 * Selected with `where`, not `cast(bool → float32)`: tfjs's WebGPU backend implements that cast as a
 * relabelling of the boolean buffer, which later kernels (reshape after transpose) then misread.
 */
function bernoulli(u: Tensor, magnitude: Tensor, fMax: number, dt: number): Tensor {
  // 0/1 spikes: marked for the event-driven weight products downstream.
  return markSpikes(tf.where(tf.less(u, tf.mul(magnitude, dt * fMax)), tf.onesLike(u), tf.zerosLike(u)));
}

/**
 * Encodes `input` (any shape, float32) as `seqLength` steps of Poisson spikes: returns [seqLength, ...input.shape]
 * with spikes 0/1. Norse's `poisson_encode` (f_max = 100 Hz by default).
 */
export function poissonEncode(input: Tensor, seqLength: number, fMax = 100, dt = 1e-3, seed?: Seed): Tensor {
  const fn = 'poissonEncode';
  assertSeqLength(fn, seqLength);
  check(fn, input, fMax, dt, seed);
  return tidy(() => bernoulli(tf.randomUniform([seqLength, ...input.shape], 0, 1, 'float32', drawSeed(seed)), input, fMax, dt));
}

/** One step of Poisson spikes for `input` (any shape): Norse's `poisson_encode_step` (f_max = 1000 Hz by default). */
export function poissonEncodeStep(input: Tensor, fMax = 1000, dt = 1e-3, seed?: Seed): Tensor {
  const fn = 'poissonEncodeStep';
  check(fn, input, fMax, dt, seed);
  return tidy(() => bernoulli(tf.randomUniform(input.shape, 0, 1, 'float32', drawSeed(seed)), input, fMax, dt));
}

/**
 * Signed Poisson spikes over `seqLength` steps: sign(x)·[u_t < dt·f_max·|x|], values −1, 0, +1;
 * returns [seqLength, ...input.shape]. Norse's `signed_poisson_encode` (f_max = 100 Hz by default).
 */
export function signedPoissonEncode(input: Tensor, seqLength: number, fMax = 100, dt = 1e-3, seed?: Seed): Tensor {
  const fn = 'signedPoissonEncode';
  assertSeqLength(fn, seqLength);
  check(fn, input, fMax, dt, seed);
  return tidy(() => {
    const u = tf.randomUniform([seqLength, ...input.shape], 0, 1, 'float32', drawSeed(seed));
    return tf.mul(tf.sign(input), bernoulli(u, tf.abs(input), fMax, dt));
  });
}

/** One step of signed Poisson spikes: Norse's `signed_poisson_encode_step` (f_max = 1000 Hz by default). */
export function signedPoissonEncodeStep(input: Tensor, fMax = 1000, dt = 1e-3, seed?: Seed): Tensor {
  const fn = 'signedPoissonEncodeStep';
  check(fn, input, fMax, dt, seed);
  return tidy(() => {
    const u = tf.randomUniform(input.shape, 0, 1, 'float32', drawSeed(seed));
    return tf.mul(tf.sign(input), bernoulli(u, tf.abs(input), fMax, dt));
  });
}
