/**
 * The memory store/recall task of Norse's `MemoryStoreRecallDataset` (after Bellec et al. 2019,
 * "Biologically inspired alternatives to backpropagation through time", the LSNN store/recall task).
 *
 * A sample is `seqRepetitions` episodes of `seqPeriods` periods of `seqLength` steps each. In every
 * period a random bit is shown one-hot on two data channels. In each episode one period in the first
 * half carries the STORE command and one period in the second half the RECALL command; during the
 * recall period the data channels are silent, and the target is the bit shown at the store period
 * (one-hot, on the recall period; zero on every other period). Every channel is a population of
 * `populationSize` neurons firing Poisson spikes: the data channels at `poissonRate` Hz when their
 * bit is on, the command channels at ⌊poissonRate / 2⌋ Hz when their command is given.
 *
 * Input channels, in order: data 0, data 1, store, recall — each repeated `populationSize` times.
 *
 * Reproducibility: sample i is a function of (seed, i) alone — its pattern from a JavaScript
 * generator seeded by deriveSeed(seed, i), its spikes from @snn/encoders' seeded `poissonEncode` — so
 * it is the same whatever the batch, the order or the backend. (Norse redraws the data bits and spikes
 * on every access; here a new dataset with another seed gives new samples.)
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertDt, assertFiniteNumber, tidy } from '@snn/tensor';
import { poissonEncode } from '@snn/encoders';
import { batches, type BatchOptions } from './batching.js';
import { assertSeed, createRandom, deriveSeed, freshSeed, randomInt } from './random.js';

/** The shape of the task (every field optional, with the defaults of Norse's example). */
export interface MemoryStoreRecallOptions {
  /** Time steps per period (command). Default 100. */
  readonly seqLength?: number;
  /** Periods per episode, ≥ 2: the store falls in the first half, the recall in the second. Default 12. */
  readonly seqPeriods?: number;
  /** Store/recall episodes per sample. Default 4. */
  readonly seqRepetitions?: number;
  /** Neurons per channel. Default 5. */
  readonly populationSize?: number;
  /** Rate of an active data channel in Hz (commands at half of it). Default 100. */
  readonly poissonRate?: number;
  /** Time step in seconds. Default 0.001. */
  readonly dt?: number;
  /** Seed of the whole dataset (an integer); default: drawn once from Math.random. */
  readonly seed?: number;
}

/** The symbolic content of one sample, before Poisson coding. */
export interface MemoryPattern {
  /** The one-hot bit shown on the data channels in each period (0 0 at recalls), [episodes·periods, 2]. */
  readonly data: Int32Array;
  /** The store period of each episode (in [0, periods/2)). */
  readonly storeIndices: Int32Array;
  /** The recall period of each episode (in [periods/2, periods)). */
  readonly recallIndices: Int32Array;
  /** The target, one-hot at each recall period and zero elsewhere, [episodes·periods, 2]. */
  readonly labels: Int32Array;
}

/** One batch: spikes time-first, targets per period. */
export interface MemoryBatch {
  /** float32 [episodes·periods·seqLength, B, 4·populationSize] of 0/1 spikes. */
  readonly inputs: Tensor;
  /** int32 [episodes·periods, B, 2]: one-hot targets at the recall periods, zero elsewhere. */
  readonly labels: Tensor;
}

const OPTION_NAMES = ['seqLength', 'seqPeriods', 'seqRepetitions', 'populationSize', 'poissonRate', 'dt', 'seed'];

/**
 * The store/recall task as a dataset of `samples` samples: each sample's pattern is a function of the
 * seed and its index, and its Poisson spikes are drawn (seeded) when a batch is built.
 *
 * `pattern(i)` gives sample i's symbols (the bit per period, the store and recall periods, the targets);
 * `batch(indices)` gives a `MemoryBatch`: inputs float32 [episodes·periods·seqLength, B, 4·populationSize] of 0/1
 * spikes (time-first) and labels int32 [episodes·periods, B, 2], one-hot at the recall periods and zero elsewhere;
 * `batches(batchSize, options)` yields them over the whole set.
 */
export class MemoryStoreRecallDataset {
  /** Time steps per period. */
  readonly seqLength: number;
  /** Periods per episode. */
  readonly seqPeriods: number;
  /** Store/recall episodes per sample. */
  readonly seqRepetitions: number;
  /** Neurons per input channel. */
  readonly populationSize: number;
  /** Rate of an active data channel in Hz (commands fire at half of it). */
  readonly poissonRate: number;
  /** Time step in seconds. */
  readonly dt: number;
  /** The dataset's seed (the one given, or the one drawn when none was). */
  readonly seed: number;

  /**
   * @param samples the number of samples (an integer ≥ 1)
   * @param options `seqLength`, time steps per period (default 100); `seqPeriods`, periods per episode, ≥ 2 (default
   *   12); `seqRepetitions`, store/recall episodes per sample (default 4); `populationSize`, neurons per channel
   *   (default 5); `poissonRate`, the rate of an active data channel in Hz, commands at half of it (default 100);
   *   `dt` in seconds (default 0.001); `seed`, of the whole dataset (default drawn once from Math.random)
   */
  constructor(readonly samples: number, options: MemoryStoreRecallOptions = {}) {
    const fn = 'MemoryStoreRecallDataset';
    assertFiniteNumber(fn, 'samples', samples, { integer: true, min: 1 });
    if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object', options);
    for (const key of Object.keys(options)) {
      if (!OPTION_NAMES.includes(key)) throw new Error(`${fn}: argument 'options' has an unknown field '${key}'; expected one of ${OPTION_NAMES.join(', ')}`);
    }
    const { seqLength = 100, seqPeriods = 12, seqRepetitions = 4, populationSize = 5, poissonRate = 100, dt = 1e-3 } = options;
    assertFiniteNumber(fn, 'options.seqLength', seqLength, { integer: true, min: 1 });
    assertFiniteNumber(fn, 'options.seqPeriods', seqPeriods, { integer: true, min: 2 });
    assertFiniteNumber(fn, 'options.seqRepetitions', seqRepetitions, { integer: true, min: 1 });
    assertFiniteNumber(fn, 'options.populationSize', populationSize, { integer: true, min: 1 });
    assertFiniteNumber(fn, 'options.poissonRate', poissonRate, { min: 0 });
    assertDt(fn, dt, 'options.dt');
    if (options.seed !== undefined) assertSeed(fn, options.seed, 'options.seed');
    this.seqLength = seqLength;
    this.seqPeriods = seqPeriods;
    this.seqRepetitions = seqRepetitions;
    this.populationSize = populationSize;
    this.poissonRate = poissonRate;
    this.dt = dt;
    this.seed = options.seed ?? freshSeed();
  }

  /** Number of samples. */
  get length(): number {
    return this.samples;
  }

  /** Time steps of one sample: episodes · periods · seqLength. */
  get steps(): number {
    return this.seqRepetitions * this.seqPeriods * this.seqLength;
  }

  /** Input neurons: 4 channels (data 0, data 1, store, recall) × populationSize. */
  get channels(): number {
    return 4 * this.populationSize;
  }

  private checkIndex(fn: string, i: unknown, name = 'index'): asserts i is number {
    assertFiniteNumber(fn, name, i, { integer: true, min: 0, max: this.samples - 1 });
  }

  /** The bits, commands and targets of sample `i` (no spikes). */
  pattern(i: number): MemoryPattern {
    this.checkIndex('MemoryStoreRecallDataset.pattern', i);
    const random = createRandom(deriveSeed(this.seed, i, 0));
    const P = this.seqPeriods;
    const R = this.seqRepetitions;
    const half = Math.floor(P / 2);
    const data = new Int32Array(R * P * 2);
    const labels = new Int32Array(R * P * 2);
    const storeIndices = new Int32Array(R);
    const recallIndices = new Int32Array(R);
    for (let r = 0; r < R; r++) {
      const store = randomInt(random, half);
      const recall = half + randomInt(random, P - half);
      storeIndices[r] = store;
      recallIndices[r] = recall;
      for (let p = 0; p < P; p++) data[(r * P + p) * 2 + randomInt(random, 2)] = 1;
      const row = (r * P + recall) * 2;
      labels[row] = data[(r * P + store) * 2]!;
      labels[row + 1] = data[(r * P + store) * 2 + 1]!;
      data[row] = 0;
      data[row + 1] = 0;
    }
    return { data, storeIndices, recallIndices, labels };
  }

  /** Rates in Hz of every channel in every period of a pattern: [episodes·periods, channels]. */
  private rates(pattern: MemoryPattern): Float32Array {
    const rows = this.seqRepetitions * this.seqPeriods;
    const n = this.populationSize;
    const command = Math.floor(this.poissonRate / 2);
    const out = new Float32Array(rows * 4 * n);
    for (let row = 0; row < rows; row++) {
      const r = Math.floor(row / this.seqPeriods);
      const p = row % this.seqPeriods;
      const on = [
        pattern.data[row * 2]! * this.poissonRate,
        pattern.data[row * 2 + 1]! * this.poissonRate,
        pattern.storeIndices[r] === p ? command : 0,
        pattern.recallIndices[r] === p ? command : 0,
      ];
      for (let c = 0; c < 4; c++) out.fill(on[c]!, row * 4 * n + c * n, row * 4 * n + (c + 1) * n);
    }
    return out;
  }

  /** The spike tensors of the samples at `indices`; the caller disposes them. */
  batch(indices: readonly number[]): MemoryBatch {
    const fn = 'MemoryStoreRecallDataset.batch';
    if (!Array.isArray(indices) || indices.length === 0) throw argumentError(fn, 'indices', 'a non-empty array of sample indices', indices);
    indices.forEach((i, j) => this.checkIndex(fn, i, `indices[${j}]`));
    const rows = this.seqRepetitions * this.seqPeriods;
    const patterns = indices.map((i) => this.pattern(i));
    const labels = new Int32Array(rows * indices.length * 2);
    patterns.forEach((pat, b) => {
      for (let row = 0; row < rows; row++) {
        labels[(row * indices.length + b) * 2] = pat.labels[row * 2]!;
        labels[(row * indices.length + b) * 2 + 1] = pat.labels[row * 2 + 1]!;
      }
    });
    const inputs = tidy(() => {
      const perSample = patterns.map((pat, b) => {
        const rates = tf.tensor2d(this.rates(pat), [rows, this.channels]);
        // p = dt · rate: rates in Hz with f_max = 1. [seqLength, rows, C] → [rows·seqLength, C], period after period.
        const spikes = poissonEncode(rates, this.seqLength, 1, this.dt, deriveSeed(this.seed, indices[b]!, 1));
        return tf.reshape(tf.transpose(spikes, [1, 0, 2]), [rows * this.seqLength, this.channels]);
      });
      return tf.stack(perSample, 1);
    });
    return { inputs, labels: tf.tensor3d(labels, [rows, indices.length, 2], 'int32') };
  }

  /** Iterates over batches (see `batches` for shuffling with a seed). */
  batches(batchSize: number, options: BatchOptions = {}): IterableIterator<MemoryBatch> {
    return batches(this, batchSize, options);
  }
}
