/**
 * Seeded random numbers for tests: the same numbers on every run and every machine (a linear
 * congruential generator — statistical quality does not matter here, reproducibility does).
 */
import * as tf from '@tensorflow/tfjs';

/** A generator of numbers in [0, 1), the same sequence for the same `seed`. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** `size` float32 numbers uniform in [low, high) drawn from `random`. */
export function uniformArray(size: number, low: number, high: number, random: () => number): Float32Array {
  return Float32Array.from({ length: size }, () => low + random() * (high - low));
}

/** A float32 tensor of `shape`, uniform in [low, high), from the generator seeded with `seed`. */
export function uniformTensor(shape: readonly number[], low: number, high: number, seed: number): tf.Tensor {
  return tf.tensor(uniformArray(shape.reduce((a, b) => a * b, 1), low, high, seededRandom(seed)), [...shape]);
}
