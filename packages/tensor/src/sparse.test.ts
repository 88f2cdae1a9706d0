/**
 * The spike-sparse products with no kernel registered (the composite path: tfjs's own products) on
 * every backend, the spike registry and the global switch.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, spikeSparseSuite } from './testing/index.js';
import { isMarkedSpikes, markSpikes, markSpikesLike, setSpikeSparsity, spikeSparsity, DEFAULT_SPIKE_CROSSOVER } from './sparse-spikes.js';
import { spikeMatMul } from './sparse-matmul.js';
import { spikeConv2d } from './sparse-conv2d.js';

const backends = await availableBackends();

describeEachBackend('spike-sparse products, composite path', backends, () => {
  spikeSparseSuite({ kernels: false, measuresDensity: false });
});

describe('the spike registry', () => {
  it('a mark follows the data: reshape keeps it, a computed tensor does not have it', () => {
    tf.tidy(() => {
      const x = markSpikes(tf.tensor([[0, 1], [1, 0]]));
      expect(isMarkedSpikes(x)).toBe(true);
      expect(isMarkedSpikes(tf.reshape(x, [4]))).toBe(true);
      expect(isMarkedSpikes(tf.add(x, 0))).toBe(false);
      const pooled = markSpikesLike(tf.maxPool(tf.reshape(x, [1, 2, 2, 1]) as tf.Tensor4D, 2, 2, 'valid'), x);
      expect(isMarkedSpikes(pooled)).toBe(true);
      expect(isMarkedSpikes(markSpikesLike(tf.add(x, 1), tf.zeros([1])))).toBe(false);
    });
  });

  it('markSpikes names what is wrong with its argument', () => {
    expect(() => markSpikes(3 as never)).toThrow(/markSpikes: argument 't' expected a tensor; received 3/);
    const i = tf.tensor([1, 0], [2], 'int32');
    expect(() => markSpikes(i)).toThrow(/argument 't' expected dtype float32/);
    i.dispose();
  });
});

describe('the switch', () => {
  afterEach(() => {
    setSpikeSparsity({ mode: 'auto', crossover: DEFAULT_SPIKE_CROSSOVER });
  });

  it('setSpikeSparsity returns the previous settings and keeps fields left out', () => {
    const before = setSpikeSparsity({ mode: 'dense' });
    expect(before).toEqual({ mode: 'auto', crossover: DEFAULT_SPIKE_CROSSOVER });
    setSpikeSparsity({ crossover: 0.1 });
    expect(spikeSparsity()).toEqual({ mode: 'dense', crossover: 0.1 });
  });

  it('bad settings and options are Errors naming them', () => {
    expect(() => setSpikeSparsity({ mode: 'fast' as never })).toThrow(/setSpikeSparsity: argument 'update.mode' expected 'auto', 'sparse' or 'dense'; received "fast"/);
    expect(() => setSpikeSparsity({ crossover: 2 })).toThrow(/argument 'update.crossover' expected a finite number ≥ 0 ≤ 1; received 2/);
    expect(() => setSpikeSparsity(null as never)).toThrow(/argument 'update'/);
    tf.tidy(() => {
      const x = markSpikes(tf.ones([2, 3]));
      expect(() => spikeMatMul(x, tf.ones([4, 2]))).toThrow(/spikeMatMul: argument 'w' expected \[K, N\] weights with K = 3/);
      expect(() => spikeMatMul(x, tf.ones([3, 2]), false, { mode: 'sparsest' as never })).toThrow(/argument 'options.mode'/);
      expect(() => spikeMatMul(tf.ones([3]), tf.ones([3, 2]))).toThrow(/argument 'x'/);
      const img = tf.ones([1, 4, 4, 2]);
      expect(() => spikeConv2d(img, tf.ones([3, 3, 3, 1]))).toThrow(/spikeConv2d: argument 'filter' expected a \[kh, kw, 2, out\] filter/);
      expect(() => spikeConv2d(img, tf.ones([3, 3, 2, 1]), { pad: 'full' as never })).toThrow(/argument 'options.pad'/);
      expect(() => spikeConv2d(img, tf.ones([5, 5, 2, 1]))).toThrow(/argument 'x' expected images at least as large/);
      expect(() => spikeConv2d(img, tf.ones([3, 3, 2, 1]), { strides: [2, 2], dilations: [2, 1] })).toThrow(/argument 'options.strides'/);
    });
  });

  it('the global mode applies where a call gives none', () => {
    tf.tidy(() => {
      const x = tf.ones([2, 3]);
      setSpikeSparsity({ mode: 'sparse' });
      expect(() => spikeMatMul(x, tf.ones([3, 2]))).toThrow(/mode 'sparse'/);
      expect(spikeMatMul(x, tf.ones([3, 2]), false, { mode: 'auto' }).shape).toEqual([2, 2]);
    });
  });
});
