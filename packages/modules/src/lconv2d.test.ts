import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LConv2d, type LConv2dOptions } from './lconv2d.js';

const backends = await availableBackends();

function close(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k]! - expected[k]!)).toBeLessThan(1e-5);
}

/**
 * tf.conv2d applied to each time step separately, stacked: the definition LConv2d must match (numeric
 * padding as PyTorch's: zeros added on every side, then a valid convolution).
 */
function perStep(x: Tensor, kernel: Tensor, o: { stride: [number, number]; padding: 'valid' | 'same' | number; dilation: [number, number] }): Tensor {
  return tf.tidy(() => tf.stack(tf.unstack(x).map((xt) => {
    const p = o.padding;
    const padded = typeof p === 'number' ? tf.pad(xt, [[0, 0], [p, p], [p, p], [0, 0]]) : xt;
    return tf.conv2d(padded as tf.Tensor4D, kernel as tf.Tensor4D, o.stride, typeof p === 'number' ? 'valid' : p, 'NHWC', o.dilation);
  })));
}

describeEachBackend('LConv2d', backends, (backend) => {
  const cases: Array<[string, LConv2dOptions, number | [number, number]]> = [
    ['3×3, valid', {}, 3],
    ['3×2, stride 2, same', { stride: 2, padding: 'same' }, [3, 2]],
    ['3×3, padding 1, stride [1, 2]', { padding: 1, stride: [1, 2] }, 3],
    ['2×3, padding 2', { padding: 2 }, [2, 3]],
    ['2×2, dilation 2', { dilation: 2 }, 2],
  ];
  for (const [title, options, kernelSize] of cases) {
    it(`equals tf.conv2d at every time step (${title})`, async () => {
      const conv = new LConv2d(2, 3, kernelSize, { ...options, seed: 7 });
      const x = tf.randomNormal([4, 2, 7, 6, 2], 0, 1, 'float32', 8);
      await expectNoLeak(async () => {
        const y = conv.forward(x);
        const expected = perStep(x, conv.kernel, conv);
        expect(y.shape).toEqual(expected.shape);
        close(await y.data(), await expected.data());
        return [y, expected];
      });
      x.dispose();
      conv.dispose();
    });
  }

  it('takes Norse\'s channels-first [T, B, C, H, W] with dataFormat: channelsFirst', async () => {
    const kernel = tf.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 1);
    const last = new LConv2d(2, 4, 3, { kernel });
    const first = new LConv2d(2, 4, 3, { kernel, dataFormat: 'channelsFirst' });
    const x = tf.randomNormal([3, 2, 5, 5, 2], 0, 1, 'float32', 2);
    const xFirst = tf.transpose(x, [0, 1, 4, 2, 3]);
    await expectNoLeak(async () => {
      const y = last.forward(x);
      const yFirst = first.forward(xFirst);
      expect(yFirst.shape).toEqual([3, 2, 4, 3, 3]);
      const back = tf.transpose(yFirst, [0, 1, 3, 4, 2]);
      close(await back.data(), await y.data());
      return [y, yFirst, back];
    });
    tf.dispose([kernel, x, xFirst]);
    last.dispose();
    first.dispose();
  });

  it('owns one trainable kernel [kh, kw, in, out] whose gradient sums over the time steps (on wasm too, through the kernel initBackend adds)', async () => {
    const conv = new LConv2d(1, 2, 2, { seed: 3 });
    expect([...conv.namedVariables().keys()]).toEqual(['kernel']);
    expect(conv.kernel.shape).toEqual([2, 2, 1, 2]);
    const bound = 1 / Math.sqrt(4);
    expect((await conv.kernel.data()).every((w) => Math.abs(w) <= bound)).toBe(true);
    const x = tf.randomNormal([3, 1, 4, 4, 1], 0, 1, 'float32', 4);
    const { grads } = tf.variableGrads(() => tf.sum(conv.forward(x)) as tf.Scalar, conv.trainableVariables());
    const g = tf.grad((k: Tensor) => tf.sum(perStep(x, k, conv)))(conv.kernel);
    close(await grads[conv.kernel.name]!.data(), await g.data());
    tf.dispose([x, g, ...Object.values(grads)]);
    conv.dispose();
  });

  it('rejects sequences that are not [T, B, H, W, C], channel mismatches and bad options', () => {
    const conv = new LConv2d(2, 3, 3);
    const images = tf.zeros([2, 5, 5, 2]);
    const wrongChannels = tf.zeros([1, 1, 5, 5, 3]);
    const empty = tf.zeros([0, 1, 5, 5, 2]);
    expect(() => conv.forward(images)).toThrow(/LConv2d\.forward: argument 'input' expected a rank-5 tensor/);
    expect(() => conv.forward(wrongChannels)).toThrow(/expected a sequence of images \[T ≥ 1, B, H, W, 2\]/);
    expect(() => conv.forward(empty)).toThrow(/expected a sequence of images/);
    expect(() => new LConv2d(2, 3, 0)).toThrow(/argument 'kernelSize\[0\]'/);
    expect(() => new LConv2d(2, 3, [3] as never)).toThrow(/argument 'kernelSize' expected a positive integer or \[height, width\]/);
    expect(() => new LConv2d(2, 3, 3, { dilation: 2, stride: 2 })).toThrow(/options\.stride/);
    expect(() => new LConv2d(2, 3, 3, { padding: 'full' as never })).toThrow(/options\.padding/);
    expect(() => new LConv2d(2, 3, 3, { dataFormat: 'NCHW' as never })).toThrow(/options\.dataFormat/);
    expect(() => new LConv2d(2, 3, 3, { kernel: images })).toThrow(/options\.kernel' expected shape \[3, 3, 2, 3\]/);
    tf.dispose([images, wrongChannels, empty]);
    conv.dispose();
  });
});
