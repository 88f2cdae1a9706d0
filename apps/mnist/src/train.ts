/**
 * Training and evaluation of the MNIST network, shared by the command line and the page (no Node
 * imports). One step is Adam on the softmax cross-entropy of the readout's maximum over time — BPTT
 * through every time step of every layer — with all tensors of the step freed before the next.
 * The loop reads the loss back with `await data()` once per batch, checks it is finite before the
 * update (a NaN loss stops training with an error naming the epoch and batch), and yields to the event
 * loop between batches: that is where a page gets to repaint, and where Ctrl-C is noticed in Node. A step
 * that throws leaks no tensor (`trainStepSafely`).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { ImageDataset } from '@snn/datasets';
import { trainStepSafely, yieldToEventLoop, type DataParallel } from '@snn/modules';
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import { CLASSES, type MnistNetwork } from './network.js';

/** How to train. */
export interface TrainOptions {
  /** Passes over the training set. */
  readonly epochs: number;
  /** Images per step. */
  readonly batchSize: number;
  /** Adam's learning rate. */
  readonly learningRate: number;
  /** Seed of the shuffling (each epoch has its own order). */
  readonly seed: number;
  /** The learning rate is multiplied by this after every epoch (default 1: constant). */
  readonly learningRateDecay?: number;
  /** Skip batches whose loss is NaN or infinite instead of stopping with an error (default false). */
  readonly allowNonFiniteLoss?: boolean;
  /** Worker threads to split each batch across (`startTrainingWorkers`); none: this thread trains alone. */
  readonly parallel?: DataParallel;
}

/** What is known after each batch. */
export interface BatchReport {
  /** 0-based epoch. */
  readonly epoch: number;
  /** Images seen so far in this epoch. */
  readonly seen: number;
  /** Mean loss so far in this epoch. */
  readonly loss: number;
  /** Training accuracy so far in this epoch, in [0, 1]. */
  readonly accuracy: number;
}

/** What is known after each epoch. */
export interface EpochReport extends BatchReport {
  /** Accuracy on the test set after this epoch, in [0, 1]. */
  readonly testAccuracy: number;
  /** `testConfusion[actual][predicted]` counts on the test set after this epoch. */
  readonly testConfusion: number[][];
}

/** Hooks called as training goes; each may return a promise, which is awaited. */
export interface TrainCallbacks {
  /** After every batch. */
  readonly onBatch?: (report: BatchReport) => void | Promise<void>;
  /** After every epoch, once the test set was evaluated. */
  readonly onEpoch?: (report: EpochReport) => void | Promise<void>;
}

/** The result of evaluating a network on a dataset. */
export interface Evaluation {
  /** Fraction of images classified correctly. */
  readonly accuracy: number;
  /** `confusion[actual][predicted]` counts. */
  readonly confusion: number[][];
  /** The predicted class of every image, in order. */
  readonly predictions: Int32Array;
}

/** Classifies every image of `dataset` in batches of `batchSize`. */
export async function evaluate(network: MnistNetwork, dataset: ImageDataset, batchSize = 100): Promise<Evaluation> {
  assertFiniteNumber('evaluate', 'batchSize', batchSize, { integer: true, min: 1 });
  if (dataset.length === 0) throw argumentError('evaluate', 'dataset', 'a dataset with at least one image', 'an empty one', true);
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  const predictions = new Int32Array(dataset.length);
  let correct = 0;
  let offset = 0;
  for (const batch of dataset.batches(batchSize)) {
    let got: ArrayLike<number>;
    let labels: ArrayLike<number>;
    try {
      const predicted = tf.tidy(() => tf.argMax(network.forward(batch.inputs), 1));
      try {
        [got, labels] = await Promise.all([predicted.data(), batch.labels.data()]);
      } finally {
        predicted.dispose();
      }
    } finally {
      tf.dispose([batch.inputs, batch.labels]);
    }
    await yieldToEventLoop();
    for (let k = 0; k < got.length; k++) {
      const p = got[k]!;
      const y = labels[k]!;
      predictions[offset + k] = p;
      confusion[y]![p]! += 1;
      if (p === y) correct += 1;
    }
    offset += got.length;
  }
  return { accuracy: correct / dataset.length, confusion, predictions };
}

function checkOptions(options: TrainOptions): void {
  const fn = 'train';
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object with epochs, batchSize, learningRate, seed', options);
  assertFiniteNumber(fn, 'options.epochs', options.epochs, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'options.batchSize', options.batchSize, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'options.learningRate', options.learningRate, { min: 0 });
  assertFiniteNumber(fn, 'options.seed', options.seed, { integer: true, min: 0 });
  if (options.learningRateDecay !== undefined) assertFiniteNumber(fn, 'options.learningRateDecay', options.learningRateDecay, { min: 0, max: 1, exclusiveMin: true });
  if (options.allowNonFiniteLoss !== undefined && typeof options.allowNonFiniteLoss !== 'boolean') {
    throw argumentError(fn, 'options.allowNonFiniteLoss', 'a boolean', options.allowNonFiniteLoss);
  }
}

/** tfjs's Adam reads its (protected) `learningRate` field at every update, so a schedule can set it. */
function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/**
 * What a batch is trained on: the softmax cross-entropy of the logits (mean over the batch) and the number
 * of correct predictions (an int32 scalar, no gradient). Shared by the step below and the training workers.
 */
export function batchObjective(network: MnistNetwork, images: Tensor, labels: Tensor): { loss: tf.Scalar; correct: Tensor } {
  const logits = network.forward(images);
  return {
    loss: tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), logits) as tf.Scalar,
    correct: tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'int32')),
  };
}

const NON_FINITE_HINT = 'skip such batches with --allow-nan-loss (allowNonFiniteLoss); epochs and batches count from 1';

/**
 * One optimisation step on a batch, checked: resolves to the loss and the number of correct predictions,
 * or throws (leaking nothing) on a non-finite loss before the update. `epoch` and `batch` count from 1.
 * With `options.parallel` the batch is split across the training workers, checked the same way.
 */
async function trainBatch(
  network: MnistNetwork, optimizer: tf.Optimizer, images: Tensor, labels: Tensor, options: TrainOptions, epoch: number, batch: number,
): Promise<[number, number]> {
  const allowNonFiniteLoss = options.allowNonFiniteLoss ?? false;
  const position = { fn: 'train', epoch, batch, hint: NON_FINITE_HINT };
  if (options.parallel) {
    const logs = await options.parallel.step(images, labels, optimizer, `batch ${batch} of epoch ${epoch}`, { position, allowNonFiniteLoss });
    // The workers log correct predictions per example (a mean, as the loss): back to a count.
    return [logs['loss']!, Math.round(logs['correct']! * labels.shape[0]!)];
  }
  let correct: Tensor | undefined;
  try {
    const loss = await trainStepSafely(optimizer, () => {
      const out = batchObjective(network, images, labels);
      correct = tf.keep(out.correct);
      return out.loss;
    }, { variables: network.trainableVariables(), allowNonFiniteLoss, position });
    return [loss, (await correct!.data())[0]!];
  } finally {
    correct?.dispose();
  }
}

/**
 * Trains `network` on `train` for `options.epochs` epochs, evaluating on `test` after each. Returns
 * the per-epoch reports (the training curve).
 */
export async function train(
  network: MnistNetwork, trainSet: ImageDataset, testSet: ImageDataset, options: TrainOptions, callbacks: TrainCallbacks = {},
): Promise<EpochReport[]> {
  checkOptions(options);
  const optimizer = tf.train.adam(options.learningRate);
  const history: EpochReport[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      setLearningRate(optimizer, options.learningRate * (options.learningRateDecay ?? 1) ** epoch);
      let seen = 0;
      let lossSum = 0;
      let correctSum = 0;
      let index = 0;
      for (const batch of trainSet.batches(options.batchSize, { shuffle: true, seed: options.seed, epoch })) {
        const n = batch.labels.shape[0]!;
        let l: number;
        let c: number;
        try {
          [l, c] = await trainBatch(network, optimizer, batch.inputs, batch.labels, options, epoch + 1, ++index);
        } finally {
          tf.dispose([batch.inputs, batch.labels]);
        }
        seen += n;
        lossSum += l * n;
        correctSum += c;
        await callbacks.onBatch?.({ epoch, seen, loss: lossSum / seen, accuracy: correctSum / seen });
        // Ctrl-C, timers and a page's repaint get their turn here (awaiting data() alone does not yield).
        await yieldToEventLoop();
      }
      const { accuracy: testAccuracy, confusion: testConfusion } = await evaluate(network, testSet);
      const report: EpochReport = { epoch, seen, loss: lossSum / seen, accuracy: correctSum / seen, testAccuracy, testConfusion };
      history.push(report);
      await callbacks.onEpoch?.(report);
    }
  } finally {
    optimizer.dispose();
  }
  return history;
}
