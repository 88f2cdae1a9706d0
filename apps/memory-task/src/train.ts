/**
 * Training and evaluation: BPTT with Adam through every time step of both recurrent layers, one batch
 * per optimizer step. Each epoch draws `trainSamples` fresh samples (a dataset seeded by the run's seed
 * and the epoch), as Norse's dataset redraws its samples on every access: the network never sees the
 * same Poisson spikes twice, so it has to learn the task, not the noise. The held-out samples come
 * from a seed no epoch uses.
 *
 * Every batch's tensors live inside the optimizer's tidy (forward, loss, gradients) or are disposed
 * right after, also when a step throws; the numbers a batch reports are read with `await data()`, the
 * loss checked before the update (a NaN loss stops training naming the epoch and batch), and the loop
 * yields to the event loop between batches (so Ctrl-C is handled within one batch).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { MemoryStoreRecallDataset, deriveSeed, type MemoryBatch } from '@snn/datasets';
import { ProgressBar, type ProgressStream } from '@snn/app-kit';
import { trainStepSafely, yieldToEventLoop, type DataParallel, type StepPosition } from '@snn/modules';
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import type { RunConfig } from './config.js';
import type { MemoryNetwork } from './model.js';
import { periodScores, ratePenalty, recallCounts, recallLoss } from './objective.js';

/** What one batch (or a whole epoch, summed) reports. */
export interface BatchReport {
  /** Recall cross-entropy (the task loss, without the rate penalty), mean over the batch. */
  readonly loss: number;
  /** Rate penalty, mean over the batch. */
  readonly penalty: number;
  /** Recall periods answered right. */
  readonly correct: number;
  /** Recall periods seen. */
  readonly recalls: number;
  /** Mean firing rate of the spiking neurons in Hz. */
  readonly rateHz: number;
}

/** One finished epoch, as the training curve and summary.json record it. */
export interface EpochLog {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** Mean recall cross-entropy over the epoch's batches. */
  readonly loss: number;
  /** Training recall accuracy over the epoch, in [0, 1]. */
  readonly accuracy: number;
  /** Mean firing rate of the spiking neurons in Hz. */
  readonly rateHz: number;
  /** Wall time of the epoch in seconds. */
  readonly seconds: number;
}

/** Names the training loop in the error a NaN loss raises (epochs and batches count from 1). */
const PROGRAM_STEP = 'trainEpoch';

/** The seed of epoch `epoch`'s training samples (epochs count from 1). */
export function trainSeed(seed: number, epoch: number): number {
  return deriveSeed(seed, 1, epoch);
}

/** The seed of the held-out samples: a path no training epoch takes. */
export function testSeed(seed: number): number {
  return deriveSeed(seed, 2);
}

/** The dataset of the task with `samples` samples and `seed`. */
export function taskDataset(run: RunConfig, samples: number, seed: number): MemoryStoreRecallDataset {
  return new MemoryStoreRecallDataset(samples, { ...run.task, seed });
}

/** Loss, penalty, counts and rate of one forward pass, stacked into one float32 [5] tensor (one read-back). Call inside a tidy. */
function reportTensor(task: Tensor, penalty: Tensor, counts: [Tensor, Tensor], spikes: Tensor): Tensor {
  const rate = tf.div(tf.mean(spikes), 1e-3);
  return tf.stack([task, penalty, tf.cast(counts[0], 'float32'), tf.cast(counts[1], 'float32'), rate]);
}

function toReport(values: ArrayLike<number>): BatchReport {
  return { loss: values[0]!, penalty: values[1]!, correct: values[2]!, recalls: values[3]!, rateHz: values[4]! };
}

/**
 * What a batch is trained on: cost = recall cross-entropy + rateWeight · rate penalty, and the batch's
 * report as a [5] tensor (no gradient flows through it). Shared by `trainStep` and the training workers.
 * Call inside a tidy.
 */
export function batchObjective(net: MemoryNetwork, inputs: Tensor, labels: Tensor, run: RunConfig): { cost: tf.Scalar; report: Tensor } {
  const out = net.forward(inputs);
  const scores = periodScores(out.readout, run.task.seqLength);
  const task = recallLoss(scores, labels);
  const spikes = tf.concat([out.lsnnSpikes, out.lifSpikes], 2);
  const penalty = ratePenalty(spikes, run.targetRateHz);
  return { cost: tf.add(task, tf.mul(penalty, run.rateWeight)) as tf.Scalar, report: reportTensor(task, penalty, recallCounts(scores, labels), spikes) };
}

/** The report's entries as the workers log them: the counts per sample (means, as every log), the rest as they are. */
export const REPORT_LOGS = ['loss', 'penalty', 'correct', 'recalls', 'rateHz'] as const;

/**
 * One optimizer step on `batch`: forward through every time step, loss = recall cross-entropy +
 * rateWeight · rate penalty, BPTT, Adam update — applied only when that loss is finite (otherwise a
 * `NonFiniteLossError` naming `position`, or with `allowNonFiniteLoss` no update). Leaks nothing when it
 * throws. Resolves to what the batch reported (before the update). With `parallel`, the batch is split
 * across its worker threads (see `createTraining` in parallel.ts), its loss checked the same way.
 */
export async function trainStep(
  net: MemoryNetwork, optimizer: tf.Optimizer, batch: MemoryBatch, run: RunConfig,
  position: StepPosition = { fn: 'trainStep', epoch: 1, batch: 1 }, allowNonFiniteLoss = false, parallel?: DataParallel,
): Promise<BatchReport> {
  if (!(optimizer instanceof tf.Optimizer)) throw argumentError('trainStep', 'optimizer', 'a tf.train optimizer', optimizer);
  if (parallel) {
    const logs = await parallel.step(batch.inputs, batch.labels, optimizer, `batch ${position.batch} of epoch ${position.epoch}`, { position, allowNonFiniteLoss });
    const samples = batch.inputs.shape[1]!;
    // The logs are share-weighted means; the counts were logged per sample, so back to counts.
    return toReport(REPORT_LOGS.map((k) => (k === 'correct' || k === 'recalls' ? Math.round(logs[`report.${k}`]! * samples) : logs[`report.${k}`]!)));
  }
  let report: Tensor | undefined;
  try {
    await trainStepSafely(optimizer, () => {
      const out = batchObjective(net, batch.inputs, batch.labels, run);
      // Kept out of the gradient tidy: the numbers this batch reports (no gradient flows through them).
      report = tf.keep(out.report);
      return out.cost;
    }, { variables: net.trainableVariables(), position, allowNonFiniteLoss });
    return toReport(await report!.data());
  } finally {
    report?.dispose();
  }
}

/** The report of `net` on `batch` without training (no gradients). */
export async function evaluateBatch(net: MemoryNetwork, batch: MemoryBatch, run: RunConfig): Promise<BatchReport> {
  const report = tf.tidy(() => {
    const out = net.forward(batch.inputs);
    const scores = periodScores(out.readout, run.task.seqLength);
    const spikes = tf.concat([out.lsnnSpikes, out.lifSpikes], 2);
    return reportTensor(recallLoss(scores, batch.labels), ratePenalty(spikes, run.targetRateHz), recallCounts(scores, batch.labels), spikes);
  });
  try {
    return toReport(await report.data());
  } finally {
    report.dispose();
  }
}

/** Sums batch reports, weighting means by batch size. */
class Totals {
  private samples = 0;
  private loss = 0;
  private penalty = 0;
  private rate = 0;
  correct = 0;
  recalls = 0;
  add(r: BatchReport, size: number): void {
    this.samples += size;
    this.loss += r.loss * size;
    this.penalty += r.penalty * size;
    this.rate += r.rateHz * size;
    this.correct += r.correct;
    this.recalls += r.recalls;
  }
  get meanLoss(): number { return this.loss / Math.max(1, this.samples); }
  get meanRate(): number { return this.rate / Math.max(1, this.samples); }
  get accuracy(): number { return this.correct / Math.max(1, this.recalls); }
}

/** Options of `trainEpoch`. */
export interface EpochOptions {
  /** This epoch, from 1. */
  readonly epoch: number;
  /** Epochs in the run (for the progress bar's label). */
  readonly epochs: number;
  /** Samples per optimizer step. */
  readonly batchSize: number;
  /** The run's seed. */
  readonly seed: number;
  /** Where the progress bar writes (default stdout). */
  readonly stream?: ProgressStream;
  /** Skip batches whose loss is NaN or infinite instead of stopping with an error (default false). */
  readonly allowNonFiniteLoss?: boolean;
  /** Worker threads each batch is split across; none: this thread trains alone. */
  readonly parallel?: DataParallel;
}

/** Trains one epoch on `run.trainSamples` fresh samples, drawing a progress bar; resolves to the epoch's log. */
export async function trainEpoch(net: MemoryNetwork, optimizer: tf.Optimizer, run: RunConfig, options: EpochOptions): Promise<EpochLog> {
  const fn = 'trainEpoch';
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object { epoch, epochs, batchSize, seed }', options);
  assertFiniteNumber(fn, 'options.epoch', options.epoch, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'options.epochs', options.epochs, { integer: true, min: options.epoch });
  assertFiniteNumber(fn, 'options.batchSize', options.batchSize, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'options.seed', options.seed, { integer: true });
  const started = performance.now();
  const dataset = taskDataset(run, run.trainSamples, trainSeed(options.seed, options.epoch));
  const bar = new ProgressBar({ label: `epoch ${options.epoch}/${options.epochs}`, total: run.trainSamples, stream: options.stream });
  const totals = new Totals();
  let done = 0;
  let index = 0;
  const hint = 'skip such batches with --allow-nan-loss (allowNonFiniteLoss)';
  for (const batch of dataset.batches(options.batchSize)) {
    try {
      const size = batch.inputs.shape[1]!;
      const position = { fn: PROGRAM_STEP, epoch: options.epoch, batch: ++index, hint };
      totals.add(await trainStep(net, optimizer, batch, run, position, options.allowNonFiniteLoss ?? false, options.parallel), size);
      done += size;
    } finally {
      tf.dispose([batch.inputs, batch.labels]);
    }
    bar.update(done, { loss: totals.meanLoss, acc: percent(totals.accuracy) });
    // Ctrl-C and timers get their turn here: awaiting data() alone does not yield on cpu or wasm.
    await yieldToEventLoop();
  }
  bar.finish({ loss: totals.meanLoss, acc: percent(totals.accuracy), rate: `${totals.meanRate.toFixed(1)} Hz` });
  return { epoch: options.epoch, loss: totals.meanLoss, accuracy: totals.accuracy, rateHz: totals.meanRate, seconds: (performance.now() - started) / 1000 };
}

/** Held-out result: recall accuracy and its counts, mean loss and firing rate. */
export interface Evaluation {
  /** Share of recall periods answered right, in [0, 1]. */
  readonly accuracy: number;
  /** Recall periods answered right. */
  readonly correct: number;
  /** Recall periods in the held-out set. */
  readonly recalls: number;
  /** Mean recall cross-entropy. */
  readonly loss: number;
  /** Mean firing rate of the spiking neurons in Hz. */
  readonly rateHz: number;
}

/** Recall accuracy of `net` on every sample of `dataset`, `batchSize` samples at a time. */
export async function evaluate(net: MemoryNetwork, dataset: MemoryStoreRecallDataset, run: RunConfig, batchSize: number): Promise<Evaluation> {
  assertFiniteNumber('evaluate', 'batchSize', batchSize, { integer: true, min: 1 });
  const totals = new Totals();
  for (const batch of dataset.batches(batchSize)) {
    try {
      totals.add(await evaluateBatch(net, batch, run), batch.inputs.shape[1]!);
    } finally {
      tf.dispose([batch.inputs, batch.labels]);
    }
    await yieldToEventLoop();
  }
  return { accuracy: totals.accuracy, correct: totals.correct, recalls: totals.recalls, loss: totals.meanLoss, rateHz: totals.meanRate };
}

/** `0.9531` → `95.3%`. */
export function percent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
