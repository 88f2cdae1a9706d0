import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { availableBackends } from './testing/index.js';

const backends = await availableBackends();

interface Case {
  readonly x: [number, number, number, number];
  readonly k: [number, number, number, number];
  readonly stride: number | [number, number];
  readonly pad: 'valid' | 'same' | number;
}

const cases: Case[] = [
  { x: [2, 9, 9, 1], k: [5, 5, 1, 3], stride: 1, pad: 'valid' },
  { x: [3, 8, 7, 4], k: [3, 3, 4, 5], stride: 1, pad: 'same' },
  { x: [2, 10, 11, 2], k: [3, 2, 2, 3], stride: 2, pad: 'valid' },
  { x: [2, 9, 8, 3], k: [3, 3, 3, 2], stride: [2, 3], pad: 'same' },
  { x: [1, 7, 7, 2], k: [3, 3, 2, 2], stride: 1, pad: 2 },
];

/** The loss sum(conv(x, w) · r) and its gradients with respect to x and w, as plain arrays. */
async function gradients(c: Case): Promise<number[][]> {
  return tf.tidy(() => {
    const x = tf.randomUniform(c.x, -1, 1, 'float32', 7);
    const w = tf.randomUniform(c.k, -1, 1, 'float32', 8);
    const loss = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => {
      const y = tf.conv2d(a, b, c.stride, c.pad);
      return tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, 'float32', 9)));
    };
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => loss(a as tf.Tensor4D, b as tf.Tensor4D))([x, w]);
    return [Array.from(dx!.dataSync()), Array.from(dw!.dataSync()), dx!.shape, dw!.shape];
  });
}

describe.runIf(backends.includes('wasm'))('conv2d gradients on wasm', () => {
  it.each(cases)('match the cpu backend: x $x, kernel $k, stride $stride, pad $pad', async (c) => {
    await initBackend('cpu');
    const reference = await gradients(c);
    await initBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const before = tf.memory().numTensors;
    const got = await gradients(c);
    expect(got[2]).toEqual(reference[2]);
    expect(got[3]).toEqual(reference[3]);
    for (const k of [0, 1]) {
      const [a, b] = [got[k]!, reference[k]!];
      expect(a.length).toBe(b.length);
      const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
      expect(worst).toBeLessThan(1e-4);
    }
    expect(tf.memory().numTensors).toBe(before);
    await initBackend('cpu');
  });

  it('frees every intermediate inside the wasm heap over many calls', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } };
    const step = (): void => {
      tf.tidy(() => {
        const x = tf.randomUniform([8, 12, 12, 4]);
        const w = tf.randomUniform([5, 5, 4, 6]);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')))([x, w]);
        dx!.dataSync();
        dw!.dataSync();
      });
    };
    for (let k = 0; k < 20; k++) step();
    const numBytes = tf.memory().numBytes;
    const heap = backend.wasm.HEAPU8.length;
    for (let k = 0; k < 200; k++) step();
    expect(tf.memory().numBytes).toBe(numBytes);
    expect(backend.wasm.HEAPU8.length).toBe(heap);
    await initBackend('cpu');
  });
});
