/**
 * Fashion-MNIST from Debian's `dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist). Where the
 * files are missing these tests are left out with a note on stderr — except in CI (CI=true) or with
 * SNN_REQUIRE_FASHION_MNIST=1, where a missing install is a failure, so that CI cannot stop testing it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DEBIAN_DIR, loadFashionMnist, type Split } from './node.js';
import { fnv1a } from './test-helpers.js';

await initBackend('cpu');

/** Where the files are looked for: Debian's folder, or SNN_FASHION_MNIST_DIR (the skip is tested by pointing it at a missing folder). */
const dir = process.env['SNN_FASHION_MNIST_DIR'] || FASHION_MNIST_DEBIAN_DIR;
const present = existsSync(join(dir, 'train-images-idx3-ubyte.gz')) || existsSync(join(dir, 'train-images-idx3-ubyte'));
const required = process.env['CI'] === 'true' || process.env['SNN_REQUIRE_FASHION_MNIST'] === '1';
if (!present && !required) {
  process.stderr.write(`fashion-mnist: ${dir} is missing (apt-get install dataset-fashion-mnist); its tests are skipped\n`);
}

describe.runIf(!present && required)('Fashion-MNIST is required here (CI)', () => {
  it('is installed', () => {
    throw new Error(`${dir} is missing: install Debian's dataset-fashion-mnist (CI must, see .ci/run)`);
  });
});

describe.skipIf(!present)('Fashion-MNIST (Debian dataset-fashion-mnist)', () => {
  let split: Split;
  beforeAll(async () => {
    split = await loadFashionMnist(dir);
  });

  it('60,000 / 10,000 images of 28×28, ten balanced classes', () => {
    const { train, test } = split;
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect([train.height, train.width, test.height, test.width]).toEqual([28, 28, 28, 28]);
    expect(train.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(train.labelHistogram()).toEqual(new Array(10).fill(6000));
    expect(test.labelHistogram()).toEqual(new Array(10).fill(1000));
  });

  it('the first image of each set: an ankle boot, with its checksum', () => {
    const n = 28 * 28;
    expect(split.train.label(0)).toBe(9);
    expect(FASHION_MNIST_CLASSES[split.train.label(0)]).toBe('Ankle boot');
    const first = split.train.pixels.subarray(0, n) as Uint8Array;
    expect(first.reduce((a, v) => a + v, 0)).toBe(76247);
    expect(fnv1a(first)).toBe(4083523736);
    expect(split.test.label(0)).toBe(9);
    expect(fnv1a(split.test.pixels.subarray(0, n) as Uint8Array)).toBe(2570090459);
  });

  it('batches: float32 in [0, 1], int32 labels, seeded shuffling', async () => {
    const [a] = split.test.batches(64, { shuffle: true, seed: 5, flatten: true });
    const [b] = split.test.batches(64, { shuffle: true, seed: 5, flatten: true });
    expect(a!.inputs.shape).toEqual([64, 784]);
    expect(a!.labels.dtype).toBe('int32');
    expect(Array.from(await a!.labels.data())).toEqual(Array.from(await b!.labels.data()));
    const x = await a!.inputs.data();
    expect(x.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(Math.max(...x)).toBe(1);
    tf.dispose([a!.inputs, a!.labels, b!.inputs, b!.labels]);
  });
});
