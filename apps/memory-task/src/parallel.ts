/**
 * The memory network trained across worker threads (`--workers`): `createTraining` builds each worker's
 * copy of the network and the objective `trainStep` uses; `startTrainingWorkers` starts the workers.
 *
 * Each worker computes the objective of its share of the batch, and the shares' gradients are averaged
 * weighted by their sizes. The recall loss (a mean over each share's recall periods) and the rate
 * penalty (of each share's firing rates) are not exact means over examples, so the averaged gradient is
 * that of a slightly different objective than the single-thread one's: the same task, with the penalty
 * judged per share — it trains as well, but the numbers are not equal to --workers 1 up to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { DataParallel, type TrainingSetup } from '@snn/modules';
import { inputSize, type RunConfig } from './config.js';
import { MemoryNetwork } from './model.js';
import { REPORT_LOGS, batchObjective } from './train.js';

/** What the main thread hands each worker. */
export interface WorkerData {
  /** The task, network and training constants. */
  readonly run: RunConfig;
}

/** Builds a worker's copy of the network and the objective; the report's counts are logged per sample (logs are means). */
export function createTraining(data: WorkerData): TrainingSetup {
  const { run } = data;
  const net = new MemoryNetwork({ inputs: inputSize(run.task), ...run.network });
  return {
    model: (inputs, labels) => {
      const { cost, report } = batchObjective(net, inputs, labels, run);
      const samples = inputs.shape[1]!;
      const values = tf.unstack(report);
      const logs: Record<string, tf.Tensor> = {};
      REPORT_LOGS.forEach((k, i) => { logs[`report.${k}`] = k === 'correct' || k === 'recalls' ? tf.div(values[i]!, samples) : values[i]!; });
      return { loss: cost, logs };
    },
    variables: net.trainableVariables(),
  };
}

/**
 * Starts `workers` worker threads (Node) training copies of `net`; `module` is the built train-worker.js
 * (by default the one next to this module, as in dist/).
 */
export function startTrainingWorkers(net: MemoryNetwork, run: RunConfig, workers: number, caller: string, module = new URL('./train-worker.js', import.meta.url)): Promise<DataParallel> {
  return DataParallel.start({
    module, workers, caller, batchAxis: 1,
    data: { run } satisfies WorkerData, variables: net.trainableVariables(),
  });
}
