import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { ImageDataset } from './index.js';
import { expectRejects } from './test-helpers.js';

const backends = await availableBackends();

/** 5 images of 2×3 bytes: image i holds i·50 + its pixel index; labels 0 1 2 0 1. */
function bytes(): ImageDataset {
  const pixels = Uint8Array.from({ length: 30 }, (_, k) => Math.floor(k / 6) * 50 + (k % 6));
  return new ImageDataset('toy', pixels, Int32Array.from([0, 1, 2, 0, 1]), 2, 3, ['a', 'b', 'c']);
}

describe('ImageDataset: bad input', () => {
  it('inconsistent arrays and labels', () => {
    expect(() => new ImageDataset('x', new Uint8Array(11), new Int32Array(2), 2, 3)).toThrow(/ImageDataset 'x': argument 'pixels' expected 12 values \(2 labels need 12 pixels, 2×3 each\); received 11/);
    expect(() => new ImageDataset('x', new Uint8Array(6), Int32Array.from([3]), 2, 3, ['a', 'b'])).toThrow(/label 3 of image 0 is not a class index in \[0, 2\)/);
    expect(() => new ImageDataset('x', Float32Array.from([0, 0.5, 1.5]), new Int32Array(1), 1, 3)).toThrow(/pixel 2 is 1.5; float pixels must lie in \[0, 1\]/);
    expect(() => new ImageDataset('x', [1, 2] as never, new Int32Array(1), 1, 2)).toThrow(/argument 'pixels' expected a Uint8Array or a Float32Array/);
  });
  it('indices out of range, batch size 0', () => {
    const ds = bytes();
    expectRejects(() => ds.batch([0, 5]), /ImageDataset.batch: argument 'indices\[1\]' expected an integer ≥ 0 ≤ 4; received 5/);
    expectRejects(() => ds.batch([]), /argument 'indices' expected a non-empty array/);
    expectRejects(() => ds.batches(0), /toy.batches: argument 'batchSize' expected an integer ≥ 1; received 0/);
    expect(() => ds.image(-1)).toThrow(/ImageDataset.image: argument 'index'/);
  });
});

describe('ImageDataset: typed arrays', () => {
  it('images in [0, 1], labels, histogram, subsets', () => {
    const ds = bytes();
    expect(ds.length).toBe(5);
    expect(ds.numClasses).toBe(3);
    expect(Array.from(ds.image(1))).toEqual([50, 51, 52, 53, 54, 55].map((v) => Math.fround(v / 255)));
    expect(ds.label(2)).toBe(2);
    expect(ds.labelHistogram()).toEqual([2, 2, 1]);
    const sub = ds.subset([4, 1]);
    expect(sub.length).toBe(2);
    expect(Array.from(sub.labels)).toEqual([1, 1]);
    expect(Array.from(sub.image(0))).toEqual(Array.from(ds.image(4)));
  });
});

describeEachBackend('ImageDataset: batches', backends, () => {
  it('float32 [B, H, W, 1] in [0, 1] (or [B, H·W]) and int32 labels', async () => {
    const ds = bytes();
    const { inputs, labels } = ds.batch([3, 0]);
    expect(inputs.shape).toEqual([2, 2, 3, 1]);
    expect(inputs.dtype).toBe('float32');
    expect(labels.dtype).toBe('int32');
    expect(Array.from(await labels.data())).toEqual([0, 0]);
    const x = await inputs.data();
    expect(Array.from(x.subarray(0, 6))).toEqual(Array.from(ds.image(3)));
    expect(Array.from(x.subarray(6))).toEqual(Array.from(ds.image(0)));
    tf.dispose([inputs, labels]);
    const flat = ds.batch([1], { flatten: true });
    expect(flat.inputs.shape).toEqual([1, 6]);
    tf.dispose([flat.inputs, flat.labels]);
  });

  it('iterates over seeded shuffled batches, every image once, and leaks nothing', async () => {
    const ds = bytes();
    const seen: number[] = [];
    await expectNoLeak(async () => {
      for (const { inputs, labels } of ds.batches(2, { shuffle: true, seed: 1, flatten: true })) {
        const first = await inputs.data();
        for (let b = 0; b < inputs.shape[0]!; b++) seen.push(Math.round(first[b * 6]! * 255) / 50);
        tf.dispose([inputs, labels]);
      }
    });
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
