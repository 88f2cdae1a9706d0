/**
 * Training a small network in the page, with the same `train()` the command line uses, on the slice of
 * the bundled MNIST the build ships (data/). Progress goes to a callback after every batch, which is also
 * where a Stop request is honoured: `train()` awaits the callback, so throwing there ends training
 * between two batches, with that batch's tensors already freed.
 */
import type { ImageDataset } from '@snn/datasets';
import { assertFiniteNumber } from '@snn/tensor';
import { MnistNetwork, type NetworkConfig } from '../src/network.js';
import { startTrainingWorkers } from '../src/parallel.js';
import { train, type BatchReport, type EpochReport } from '../src/train.js';

/**
 * The small network trained in the page: half the channels and hidden units of the command line's, so a
 * few hundred digits train in a reasonable time on a laptop's GPU. The scales are the command line's:
 * its weights are drawn ±1/√fan-in, which keeps the currents the same at any width.
 */
export const SMALL_NETWORK: Partial<NetworkConfig> = Object.freeze({ channels1: 8, channels2: 16, hidden: 64 });

/** What to train on and how long. */
export interface PageTrainingOptions {
  /** Training images (the first N of the shipped training slice). */
  readonly images: number;
  /** Passes over them. */
  readonly epochs: number;
  /** Images per step. */
  readonly batchSize?: number;
  /** Adam's learning rate. */
  readonly learningRate?: number;
  /**
   * Web Workers each batch is split across (default 1: this page's thread trains alone, no worker
   * started); at most the browser's `navigator.hardwareConcurrency`.
   */
  readonly workers?: number;
  /** Stops training between two batches once aborted. */
  readonly signal?: AbortSignal;
  /** After every batch: the fraction done and the running report. */
  readonly onProgress?: (fraction: number, report: BatchReport) => void;
}

/** Thrown (and caught by the page) when training was stopped. */
export class TrainingStopped extends Error {
  constructor() {
    super('training was stopped');
    this.name = 'TrainingStopped';
  }
}

/**
 * Trains a fresh small network on the first `options.images` images of `trainSet`, testing on `testSet`
 * after each epoch. Resolves to the network (the caller disposes it) and the per-epoch reports; rejects
 * with TrainingStopped when stopped, having disposed the network.
 */
export async function trainSmallNetwork(
  trainSet: ImageDataset, testSet: ImageDataset, options: PageTrainingOptions,
): Promise<{ network: MnistNetwork; history: EpochReport[] }> {
  const fn = 'trainSmallNetwork';
  assertFiniteNumber(fn, 'options.images', options.images, { integer: true, min: 1, max: trainSet.length });
  assertFiniteNumber(fn, 'options.epochs', options.epochs, { integer: true, min: 1 });
  const subset = trainSet.subset(Array.from({ length: options.images }, (_, i) => i), `${trainSet.name} (first ${options.images})`);
  const total = subset.length * options.epochs;
  const network = new MnistNetwork(SMALL_NETWORK, 1);
  const workers = options.workers ?? 1;
  try {
    const parallel = workers === 1 ? undefined : await startTrainingWorkers(network, workers, {
      create: () => new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' }),
    }, fn);
    const history = await train(network, subset, testSet, {
      parallel,
      epochs: options.epochs,
      batchSize: options.batchSize ?? 32,
      learningRate: options.learningRate ?? 0.003,
      seed: 1,
    }, {
      onBatch: (report) => {
        if (options.signal?.aborted) throw new TrainingStopped();
        options.onProgress?.((report.epoch * subset.length + report.seen) / total, report);
        // Let the page repaint (the progress bar) between two batches.
        return new Promise((resolve) => setTimeout(resolve, 0));
      },
    }).finally(() => parallel?.close());
    return { network, history };
  } catch (error) {
    network.dispose();
    throw error;
  }
}
