/**
 * One run of the memory task, from checked options to the files in the output folder:
 *
 *   start the backend (a failure is a usage mistake: nothing written yet) → make the folder → train,
 *   saving the weights after every epoch → recall accuracy on held-out samples → figures →
 *   summary.json → a closing report on stdout.
 *
 * Ctrl-C (SIGINT) at any point after the folder exists leaves the last completed epoch's weights in
 * `<out>/weights` (the app kit's checkpoints are swapped into place whole) and says so on stderr.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { assertOutputFolder, exitOnInterrupt, saveCheckpoint, startBackend } from '@snn/app-kit';
import { inputSize } from './config.js';
import { writeFigures, type FigurePaths } from './figures.js';
import type { RunOptions } from './flags.js';
import { MemoryNetwork } from './model.js';
import { startTrainingWorkers } from './parallel.js';
import type { DataParallel } from '@snn/modules';
import { evaluate, percent, taskDataset, testSeed, trainEpoch, type EpochLog, type Evaluation } from './train.js';

/** Where a run writes its messages. */
export interface RunStreams {
  /** Progress and the closing report. */
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Warnings and the interrupt message. */
  readonly err: { write(text: string): unknown };
}

/** What summary.json holds. */
export interface RunSummary {
  /** Recall accuracy on the held-out samples, in [0, 1]. */
  readonly accuracy: number;
  /** The held-out evaluation in full. */
  readonly test: Evaluation;
  /** Wall time of the whole run in seconds (backend start to summary). */
  readonly seconds: number;
  /** Wall time of the training epochs alone in seconds. */
  readonly trainSeconds: number;
  /** The tfjs backend the run used. */
  readonly backend: string;
  /** The flags in effect (defaults filled in). */
  readonly flags: { epochs: number; batchSize: number; lr: number; backend: string; out: string; seed: number; quick: boolean; workers: number };
  /** The task, network and training constants. */
  readonly config: RunOptions['run'];
  /** One entry per epoch. */
  readonly history: readonly EpochLog[];
  /** The files written, relative to the output folder. */
  readonly files: { readonly weights: string; readonly figures: FigurePaths };
  /** When the run finished (ISO 8601). */
  readonly finished: string;
}

/** Runs the whole task as the options say; resolves to the summary written to summary.json. */
export async function runMemoryTask(options: RunOptions, streams: RunStreams = { out: process.stdout, err: process.stderr }): Promise<RunSummary> {
  const started = performance.now();
  assertOutputFolder(options.out);
  const backend = await startBackend(options.backend);
  const { run, epochs, batchSize, lr, seed, out } = options;

  // From here on things are written.
  mkdirSync(out, { recursive: true });
  const weightsDir = join(out, 'weights');
  let completed = 0;
  const removeHandlers = exitOnInterrupt(() => completed === 0
    ? `interrupted during epoch 1: no epoch completed, no weights saved in ${resolve(weightsDir)}`
    : `interrupted: ${resolve(weightsDir)} holds the weights of epoch ${completed} of ${epochs}, the last completed one`, streams.err);

  const net = new MemoryNetwork({ inputs: inputSize(run.task), ...run.network }, seed);
  const optimizer = tf.train.adam(lr);
  // --workers 1: the main thread trains alone; otherwise every batch is split across worker threads.
  let parallel: DataParallel | undefined;
  try {
    parallel = options.workers > 1 ? await startTrainingWorkers(net, run, options.workers, 'snn-memory-task') : undefined;
    const p = net.trainableVariables().reduce((n, v) => n + v.size, 0);
    streams.out.write(`${options.quick ? 'quick run — ' : ''}memory task on ${backend}: store/recall over ${run.task.seqPeriods} periods of ${run.task.seqLength} ms, `
      + `LSNN ${run.network.lsnnNeurons} + LIF ${run.network.lifNeurons} neurons (${p} weights), ${epochs} epochs × ${run.trainSamples} fresh samples, batch ${batchSize}, lr ${lr}, seed ${seed}, `
      + `${options.workers > 1 ? `${options.workers} worker threads` : 'on the main thread'}\n`);
    const history: EpochLog[] = [];
    const trainStarted = performance.now();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      history.push(await trainEpoch(net, optimizer, run, { epoch, epochs, batchSize, seed, stream: streams.out, allowNonFiniteLoss: options.allowNanLoss, parallel }));
      await saveCheckpoint(net, weightsDir);
      completed = epoch;
      streams.out.write(`saved the weights of epoch ${epoch} to ${weightsDir}\n`);
    }
    const trainSeconds = (performance.now() - trainStarted) / 1000;
    await parallel?.close();

    const test = taskDataset(run, run.testSamples, testSeed(seed));
    const evaluation = await evaluate(net, test, run, Math.max(batchSize, 64));
    const figureBatch = test.batch([0]);
    let figures: FigurePaths;
    try {
      figures = await writeFigures(out, net, figureBatch, run.task, history);
    } finally {
      tf.dispose([figureBatch.inputs, figureBatch.labels]);
    }
    const seconds = (performance.now() - started) / 1000;
    const inOut = (path: string): string => relative(out, path);
    const summary: RunSummary = {
      accuracy: evaluation.accuracy,
      test: evaluation,
      seconds,
      trainSeconds,
      backend,
      flags: { epochs, batchSize, lr, backend: options.backend ?? 'auto', out, seed, quick: options.quick, workers: options.workers },
      config: run,
      history,
      files: {
        weights: 'weights',
        figures: {
          input: inOut(figures.input), spikes: inOut(figures.spikes), thresholds: inOut(figures.thresholds),
          readout: inOut(figures.readout), training: inOut(figures.training),
        },
      },
      finished: new Date().toISOString(),
    };
    writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    streams.out.write([
      '',
      `recall accuracy on ${run.testSamples} held-out sequences: ${percent(evaluation.accuracy)} (${evaluation.correct}/${evaluation.recalls} recalls)`,
      `time: ${(seconds / 60).toFixed(1)} min (training ${(trainSeconds / 60).toFixed(1)} min) on ${backend}`,
      `wrote ${resolve(out)}: weights/, summary.json, figures ${Object.keys(figures).join(', ')} (.svg + .png)`,
      '',
    ].join('\n'));
    return summary;
  } finally {
    await parallel?.close();
    removeHandlers();
    optimizer.dispose();
    net.dispose();
  }
}
