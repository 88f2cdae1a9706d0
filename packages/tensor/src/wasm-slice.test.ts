import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { availableBackends } from './testing/index.js';

const backends = await availableBackends();

describe.runIf(backends.includes('wasm'))('zero-copy Slice, Unpack and SplitV on wasm', () => {
  it('give the same values as the cpu backend, for contiguous and strided slices, and leak nothing', async () => {
    const values = Array.from({ length: 4 * 3 * 5 }, (_, k) => k * 0.5 - 7);
    const expectFor = async (): Promise<number[][]> => {
      const x = tf.tensor3d(values, [4, 3, 5]);
      const before = tf.memory().numTensors;
      const parts = tf.unstack(x);
      const inner = tf.unstack(x, 2);
      const contiguous = tf.slice(x, [1, 0, 0], [2, 3, 5]);
      const strided = tf.slice(x, [0, 1, 2], [3, 2, 2]);
      const halves = tf.split(x, 2, 0);
      const sized = tf.split(x, [1, -1, 2], 0);
      const across = tf.split(x, [2, 3], 2);
      parts.push(...halves, ...sized, ...across);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stack(tf.unstack(t)), 2)))(x);
      const out = await Promise.all([...parts, ...inner, contiguous, strided, g].map(async (t) => Array.from(await t.data())));
      tf.dispose([...parts, ...inner, contiguous, strided, g]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      return out;
    };
    await initBackend('cpu');
    const reference = await expectFor();
    await initBackend('wasm');
    expect(tf.getKernel('Unpack', 'wasm')?.kernelFunc.toString()).toMatch(/copyBlock|originalUnpack/);
    expect(await expectFor()).toEqual(reference);
    await initBackend('cpu');
  });
});
