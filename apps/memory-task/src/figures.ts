/**
 * The figures of a run, each written as SVG and PNG by the app kit's `writeFigure`: what the network
 * was shown (one held-out input sequence), how it answered (both layers' spikes, the LSNN's adaptive
 * thresholds — where the stored bit lives — and the readout against the target), and how training
 * went (loss and accuracy per epoch).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { writeFigure } from '@snn/app-kit';
import type { MemoryBatch } from '@snn/datasets';
import { plotNeuronStates, plotSpikes2d, plotTrainingCurves } from '@snn/plot';
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import type { TaskShape } from './config.js';
import type { MemoryNetwork } from './model.js';
import type { EpochLog } from './train.js';

/** The LSNN neurons drawn in the threshold figure: the ones whose threshold moved most. */
const THRESHOLD_NEURONS = 8;

/**
 * The target as a trace over time [T, 1, 2]: each period's label held for its `seqLength` steps
 * (one-hot during the recall period, zero elsewhere), from labels [periods, B, 2] of batch entry `b`.
 */
export function targetTrace(labels: Tensor, seqLength: number, b = 0): Tensor {
  const fn = 'targetTrace';
  if (!(labels instanceof tf.Tensor) || labels.rank !== 3) throw argumentError(fn, 'labels', 'labels [periods, B, 2]', labels);
  assertFiniteNumber(fn, 'seqLength', seqLength, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'b', b, { integer: true, min: 0, max: labels.shape[1]! - 1 });
  return tf.tidy(() => {
    const one = tf.cast(tf.slice(labels, [0, b, 0], [-1, 1, -1]), 'float32'); // [periods, 1, 2]
    const periods = one.shape[0]!;
    return tf.reshape(tf.tile(tf.expandDims(one, 1), [1, seqLength, 1, 1]), [periods * seqLength, 1, 2]);
  });
}

/** Indices of the `k` neurons whose threshold b rose furthest above its start in batch entry 0 of b [T, B, N]. */
async function mostAdapted(thresholds: Tensor, k: number): Promise<number[]> {
  const range = tf.tidy(() => {
    const one = tf.squeeze(tf.slice(thresholds, [0, 0, 0], [-1, 1, -1]), [1]); // [T, N]
    return tf.sub(tf.max(one, 0), tf.min(one, 0));
  });
  const values = await range.data();
  range.dispose();
  return Array.from(values.keys()).sort((a, c) => values[c]! - values[a]! || a - c).slice(0, k).sort((a, c) => a - c);
}

/** Describes the stored bit and the commands of a sample, for figure titles. */
async function describeSample(labels: Tensor, task: TaskShape): Promise<string> {
  // `await array()`, not arraySync: a synchronous read stalls or fails on WebGPU.
  const rows = (await labels.array()) as number[][][];
  const recall = rows.findIndex((r) => r[0]![0]! + r[0]![1]! > 0);
  const bit = recall >= 0 ? (rows[recall]![0]![1] === 1 ? 1 : 0) : undefined;
  return recall >= 0 ? `recall in period ${recall + 1} of ${task.seqPeriods}, stored bit ${bit}` : 'no recall in this sample';
}

/** Neurons `first` … `first + count − 1` as `5–9` (or `5` for one). */
function range(first: number, count: number): string {
  return count === 1 ? `${first}` : `${first}–${first + count - 1}`;
}

/** Where `writeFigures` wrote each figure (the PNG; the SVG lies beside it). */
export interface FigurePaths {
  readonly input: string;
  readonly spikes: string;
  readonly thresholds: string;
  readonly readout: string;
  readonly training: string;
}

/**
 * Runs `net` on the first sample of `batch` (a held-out batch), and writes the five figures into `dir`.
 * `history` is the per-epoch log of the run.
 */
export async function writeFigures(dir: string, net: MemoryNetwork, batch: MemoryBatch, task: TaskShape, history: readonly EpochLog[]): Promise<FigurePaths> {
  const fn = 'writeFigures';
  if (typeof dir !== 'string' || dir === '') throw argumentError(fn, 'dir', 'a folder path', dir);
  if (!Array.isArray(history) || history.length === 0) throw argumentError(fn, 'history', 'a non-empty array of epoch logs', history);
  const { inputs, labels } = batch;
  const sample = tf.tidy(() => ({ inputs: tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), labels: tf.slice(labels, [0, 0, 0], [-1, 1, -1]) }));
  const rec = net.record(sample.inputs);
  const target = targetTrace(sample.labels, task.seqLength);
  const spikes = tf.concat([rec.lsnnSpikes, rec.lifSpikes], 2);
  try {
    const about = await describeSample(sample.labels, task);
    const { lsnnNeurons, lifNeurons } = net.config;
    const p = task.populationSize;
    const written = await Promise.all([
      plotSpikes2d(sample.inputs, {
        title: `Input — data 0: ${range(0, p)}, data 1: ${range(p, p)}, store: ${range(2 * p, p)}, recall: ${range(3 * p, p)} (${about})`,
      }).then((spec) => writeFigure(dir, 'input', spec)),
      plotSpikes2d(spikes, { title: `Spikes: LSNN neurons 0–${lsnnNeurons - 1}, LIF neurons ${lsnnNeurons}–${lsnnNeurons + lifNeurons - 1}` })
        .then((spec) => writeFigure(dir, 'spikes', spec)),
      mostAdapted(rec.thresholds, Math.min(THRESHOLD_NEURONS, lsnnNeurons))
        .then((neurons) => plotNeuronStates({ b: rec.thresholds }, { neurons, title: `Adaptive thresholds b of the ${neurons.length} LSNN neurons that adapted most` }))
        .then((spec) => writeFigure(dir, 'thresholds', spec)),
      plotNeuronStates({ readout: rec.readout, target }, { title: `Readout (neuron k votes for bit k) and target — ${about}` })
        .then((spec) => writeFigure(dir, 'readout', spec)),
      writeFigure(dir, 'training', plotTrainingCurves(history.map((h) => ({ epoch: h.epoch, loss: h.loss, accuracy: h.accuracy })), { title: 'Training: recall loss and accuracy per epoch' })),
    ]);
    const [input, spikeFigure, thresholds, readout, training] = written.map(([, png]) => png) as [string, string, string, string, string];
    return { input, spikes: spikeFigure, thresholds, readout, training };
  } finally {
    tf.dispose([sample.inputs, sample.labels, rec.readout, rec.lsnnSpikes, rec.lifSpikes, rec.thresholds, target, spikes]);
  }
}
