/**
 * Benchmark inputs, made in plain typed arrays (a fast generator: tfjs's cpu random ops would take
 * seconds for the 320 million values of the largest workload) and handed to tfjs once.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';

/** xorshift32 → uniform floats in [0, 1). */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function uniform(shape: number[], lo: number, hi: number, seed: number): Tensor {
  const next = generator(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let k = 0; k < size; k++) values[k] = lo + next() * (hi - lo);
  return tf.tensor(values, shape, 'float32');
}

export function bernoulli(shape: number[], p: number, seed: number): Tensor {
  const next = generator(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let k = 0; k < size; k++) values[k] = next() < p ? 1 : 0;
  return tf.tensor(values, shape, 'float32');
}

/** N(0, std²) by Box–Muller; `zeroDiagonal` for square recurrent weights without autapses. */
export function normal(shape: [number, number], std: number, seed: number, zeroDiagonal = false): Tensor {
  const next = generator(seed);
  const [rows, cols] = shape;
  const values = new Float32Array(rows * cols);
  for (let k = 0; k < values.length; k += 2) {
    const u = Math.max(next(), 1e-12);
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    const phi = 2 * Math.PI * next();
    values[k] = r * Math.cos(phi);
    if (k + 1 < values.length) values[k + 1] = r * Math.sin(phi);
  }
  if (zeroDiagonal) for (let k = 0; k < Math.min(rows, cols); k++) values[k * cols + k] = 0;
  return tf.tensor(values, shape, 'float32');
}
