/**
 * Batching and shuffling with a seed. A dataset here is anything with a `length` and a
 * `batch(indices)` that builds the tensors of those samples: the samples themselves stay in typed
 * arrays (or are generated on demand), and only one batch at a time lives as tensors.
 */
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import { assertSeed, deriveSeed, freshSeed, permutation } from './random.js';

/** A dataset that can build a batch of tensors from sample indices. */
export interface Batchable<B> {
  /** Number of samples. */
  readonly length: number;
  /** The batch of the samples at `indices`, as tensors the caller disposes. */
  batch(indices: readonly number[]): B;
}

/** How `batches` walks a dataset. */
export interface BatchOptions {
  /** Visit the samples in a seeded random order (default false: in order). */
  readonly shuffle?: boolean;
  /**
   * Seed of the shuffle (an integer). Without one a shuffle draws a seed from Math.random, so two
   * runs differ; with one every run repeats.
   */
  readonly seed?: number;
  /** Epoch number (default 0): each epoch of one seed has its own order, reproducible on its own. */
  readonly epoch?: number;
  /** Drop a last batch smaller than `batchSize` (default false: keep it). */
  readonly dropLast?: boolean;
}

const OPTION_NAMES = ['shuffle', 'seed', 'epoch', 'dropLast'];

/** Checks the batch size and options; returns the options with their defaults. */
export function checkBatchArguments(fn: string, count: number, batchSize: unknown, options: unknown, extra: readonly string[] = []): Required<Omit<BatchOptions, 'seed'>> & { seed: number | undefined } {
  assertFiniteNumber(fn, 'batchSize', batchSize, { integer: true, min: 1 });
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw argumentError(fn, 'options', `an object with the optional fields ${[...OPTION_NAMES, ...extra].join(', ')}`, options);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key) && !extra.includes(key)) {
      throw new Error(`${fn}: argument 'options' has an unknown field '${key}'; expected one of ${[...OPTION_NAMES, ...extra].join(', ')}`);
    }
  }
  const o = options as BatchOptions;
  if (o.shuffle !== undefined && typeof o.shuffle !== 'boolean') throw argumentError(fn, 'options.shuffle', 'a boolean', o.shuffle);
  if (o.dropLast !== undefined && typeof o.dropLast !== 'boolean') throw argumentError(fn, 'options.dropLast', 'a boolean', o.dropLast);
  if (o.seed !== undefined) assertSeed(fn, o.seed, 'options.seed');
  if (o.epoch !== undefined) assertFiniteNumber(fn, 'options.epoch', o.epoch, { integer: true, min: 0 });
  const dropLast = o.dropLast ?? false;
  if (dropLast && batchSize > count) {
    throw argumentError(fn, 'batchSize', `at most the dataset's ${count} samples when options.dropLast is set (otherwise no batch at all)`, batchSize);
  }
  return { shuffle: o.shuffle ?? false, seed: o.seed, epoch: o.epoch ?? 0, dropLast };
}

/**
 * The sample indices of each batch, in order or shuffled with the seed (and epoch). Every sample
 * appears once; the last batch is smaller unless `dropLast`.
 */
export function batchIndices(count: number, batchSize: number, options: BatchOptions = {}): number[][] {
  assertFiniteNumber('batchIndices', 'count', count, { integer: true, min: 0 });
  const o = checkBatchArguments('batchIndices', count, batchSize, options);
  const order = o.shuffle ? permutation(count, deriveSeed(o.seed ?? freshSeed(), o.epoch)) : Int32Array.from({ length: count }, (_, k) => k);
  const out: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    if (o.dropLast && end - start < batchSize) break;
    out.push(Array.from(order.subarray(start, end)));
  }
  return out;
}

/**
 * Iterates over the batches of `dataset` (see `batchIndices`). The arguments are checked when this is
 * called, not at the first iteration; each batch is built only when reached, and the caller disposes
 * its tensors.
 */
export function batches<B>(dataset: Batchable<B>, batchSize: number, options: BatchOptions = {}): IterableIterator<B> {
  if (typeof dataset !== 'object' || dataset === null || typeof dataset.batch !== 'function' || !Number.isInteger(dataset.length)) {
    throw argumentError('batches', 'dataset', 'an object with a length and a batch(indices) method', dataset);
  }
  checkBatchArguments('batches', dataset.length, batchSize, options);
  const plan = batchIndices(dataset.length, batchSize, options);
  return (function* iterate(): IterableIterator<B> {
    for (const indices of plan) yield dataset.batch(indices);
  })();
}
