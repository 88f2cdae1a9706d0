import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { availableBackends } from './testing/index.js';

const backends = await availableBackends();

interface Case {
  readonly a: number[];
  readonly b: number[];
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
  /** tfjs-core's matMul gradient does not reduce over broadcast batch axes (on any backend): forward only. */
  readonly forwardOnly?: boolean;
}

const cases: Case[] = [
  { a: [5, 7], b: [7, 3] },
  { a: [7, 5], b: [7, 3], transposeA: true },
  { a: [5, 7], b: [3, 7], transposeB: true },
  { a: [7, 5], b: [3, 7], transposeA: true, transposeB: true },
  { a: [2, 4, 6], b: [6, 3], forwardOnly: true },
  { a: [2, 6, 4], b: [1, 3, 6], transposeA: true, transposeB: true, forwardOnly: true },
  { a: [1, 6, 4], b: [1, 3, 6], transposeA: true, transposeB: true },
  { a: [2, 3, 4, 6], b: [6, 2], forwardOnly: true },
  { a: [2, 4, 6], b: [2, 6, 3] }, // a batched right-hand side: tfjs's own kernel
  { a: [1, 6], b: [6, 1] },
];

/** The product and the gradients of sum(product · r) with respect to both operands. */
function products(c: Case): number[][] {
  return tf.tidy(() => {
    const a = tf.randomUniform(c.a, -1, 1, 'float32', 1);
    const b = tf.randomUniform(c.b, -1, 1, 'float32', 2);
    const y = tf.matMul(a, b, c.transposeA, c.transposeB);
    if (c.forwardOnly) return [y.shape, Array.from(y.dataSync()), [], []];
    const r = tf.randomUniform(y.shape, -1, 1, 'float32', 3);
    const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, c.transposeA, c.transposeB), r)))([a, b]);
    return [y.shape, Array.from(y.dataSync()), Array.from(da!.dataSync()), Array.from(db!.dataSync())];
  });
}

describe.runIf(backends.includes('wasm'))('matMul on wasm through the XNNPACK convolution', () => {
  it.each(cases)('matches the cpu backend: a $a, b $b, transposeA $transposeA, transposeB $transposeB', async (c) => {
    await initBackend('cpu');
    const reference = products(c);
    await initBackend('wasm');
    const before = tf.memory().numTensors;
    const got = products(c);
    expect(tf.memory().numTensors).toBe(before);
    expect(got[0]).toEqual(reference[0]);
    for (const k of [1, 2, 3]) {
      const [x, y] = [got[k]!, reference[k]!];
      expect(x.length).toBe(y.length);
      expect(Math.max(0, ...x.map((v, i) => Math.abs(v - y[i]!)))).toBeLessThan(1e-5);
    }
    await initBackend('cpu');
  });

  it('leaves the wasm heap and the tensor count flat over many products', async () => {
    await initBackend('wasm');
    const heap = (): number => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const w = tf.variable(tf.randomNormal([64, 32]));
    const step = (): void => {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.matMul(tf.randomNormal([16, 64]), w)) as tf.Scalar, [w]);
        grads[w.name]!.dataSync();
      });
    };
    for (let k = 0; k < 20; k++) step();
    const [tensors, bytes] = [tf.memory().numTensors, heap()];
    for (let k = 0; k < 300; k++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(heap()).toBe(bytes);
    w.dispose();
    await initBackend('cpu');
  });
});
