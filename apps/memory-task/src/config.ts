/**
 * Everything a run is made of besides its flags: the task's shape, the network's, and the training
 * constants. The defaults are the ones measured in RESULTS.md (tuned so that one default run reaches
 * ≥ 95 % recall accuracy within 15 minutes on a 2-core machine); `QUICK` is a tiny run for CI that
 * exercises every part of the program in seconds and promises no accuracy.
 */
import { assertFiniteNumber, argumentError } from '@snn/tensor';
import type { NetworkConfig } from './model.js';

/** The store/recall task as `MemoryStoreRecallDataset` takes it (Norse's `MemoryStoreRecallDataset` conventions). */
export interface TaskShape {
  /** Time steps (of 1 ms) per period. */
  readonly seqLength: number;
  /** Periods per episode: the store falls in the first half, the recall in the second. */
  readonly seqPeriods: number;
  /** Store/recall episodes per sample. */
  readonly seqRepetitions: number;
  /** Input neurons per channel (data 0, data 1, store, recall). */
  readonly populationSize: number;
  /** Firing rate of an active data channel in Hz (the commands fire at half of it). */
  readonly poissonRate: number;
}

/** A whole run's constants. */
export interface RunConfig {
  /** The task. */
  readonly task: TaskShape;
  /** The network, less its input size (which the task fixes). */
  readonly network: Omit<NetworkConfig, 'inputs'>;
  /** Fresh training samples drawn for every epoch. */
  readonly trainSamples: number;
  /** Held-out samples the final accuracy is measured on (drawn from a seed no epoch uses). */
  readonly testSamples: number;
  /** Firing rate the rate penalty pulls every spiking neuron towards, in Hz. */
  readonly targetRateHz: number;
  /** Weight of the rate penalty in the loss. */
  readonly rateWeight: number;
}

/** Defaults of a run: flags the user does not give. */
export interface FlagDefaults {
  /** Passes over `trainSamples` fresh samples. */
  readonly epochs: number;
  /** Samples per optimizer step. */
  readonly batchSize: number;
  /** Adam's learning rate. */
  readonly lr: number;
}

/** The default run. */
export const DEFAULT_RUN: RunConfig = Object.freeze({
  task: Object.freeze({ seqLength: 20, seqPeriods: 12, seqRepetitions: 1, populationSize: 5, poissonRate: 200 }),
  network: Object.freeze({ lsnnNeurons: 64, lifNeurons: 64, tauAdaptInv: 1 / 0.6, beta: 1.8, alpha: 10, inputWeightScale: 4, readoutScale: 5 }),
  trainSamples: 2048,
  testSamples: 1024,
  targetRateHz: 10,
  rateWeight: 0.05,
});

/** The default flags. */
export const DEFAULT_FLAGS: FlagDefaults = Object.freeze({ epochs: 15, batchSize: 64, lr: 0.01 });

/** The `--quick` run: a handful of short samples through a small network, one epoch. */
export const QUICK_RUN: RunConfig = Object.freeze({
  task: Object.freeze({ seqLength: 10, seqPeriods: 12, seqRepetitions: 1, populationSize: 2, poissonRate: 200 }),
  network: Object.freeze({ ...DEFAULT_RUN.network, lsnnNeurons: 12, lifNeurons: 12 }),
  trainSamples: 32,
  testSamples: 16,
  targetRateHz: DEFAULT_RUN.targetRateHz,
  rateWeight: DEFAULT_RUN.rateWeight,
});

/** The `--quick` flags (a flag given explicitly still wins). */
export const QUICK_FLAGS: FlagDefaults = Object.freeze({ epochs: 1, batchSize: 16, lr: DEFAULT_FLAGS.lr });

/** Input neurons of a task: 4 channels × population size. */
export function inputSize(task: TaskShape): number {
  if (typeof task !== 'object' || task === null) throw argumentError('inputSize', 'task', 'a TaskShape object', task);
  assertFiniteNumber('inputSize', 'task.populationSize', task.populationSize, { integer: true, min: 1 });
  return 4 * task.populationSize;
}
