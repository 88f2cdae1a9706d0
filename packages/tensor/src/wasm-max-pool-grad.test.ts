import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { availableBackends } from './testing/index.js';

const backends = await availableBackends();

interface Case {
  readonly x: [number, number, number, number];
  readonly size: number | [number, number];
  readonly stride: number | [number, number];
  readonly pad: 'valid' | 'same';
  /** Values 0 and 1 only, as spikes are: windows full of ties. */
  readonly binary: boolean;
}

const cases: Case[] = [
  { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', binary: true },
  { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', binary: false },
  // 2×2 windows of stride 2 (the unrolled path) over odd sizes: a row and a column in no window.
  { x: [2, 7, 9, 3], size: 2, stride: 2, pad: 'valid', binary: true },
  { x: [1, 7, 9, 5], size: 2, stride: 2, pad: 'valid', binary: false },
  { x: [1, 9, 7, 2], size: 3, stride: 1, pad: 'valid', binary: false },
  { x: [2, 9, 9, 2], size: [3, 2], stride: [2, 1], pad: 'valid', binary: true },
  { x: [1, 7, 7, 2], size: 3, stride: 2, pad: 'same', binary: false },
];

function gradient(c: Case): number[] {
  return tf.tidy(() => {
    const u = tf.randomUniform(c.x, 0, 1, 'float32', 5);
    const x = c.binary ? tf.step(tf.sub(u, 0.6)) : u;
    const f = (t: tf.Tensor): tf.Scalar => {
      const y = tf.maxPool(t as tf.Tensor4D, c.size, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, 'float32', 6)));
    };
    return Array.from(tf.grad(f)(x).dataSync());
  });
}

describe.runIf(backends.includes('wasm'))('maxPool gradient on wasm', () => {
  it.each(cases)('matches the cpu backend, ties included: x $x, window $size, stride $stride, $pad, binary $binary', async (c) => {
    await initBackend('cpu');
    const reference = gradient(c);
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const got = gradient(c);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.length).toBe(reference.length);
    expect(Math.max(...got.map((v, i) => Math.abs(v - reference[i]!)))).toBeLessThan(1e-6);
    await initBackend('cpu');
  });
});
