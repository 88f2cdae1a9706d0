/**
 * The MNIST network trained across worker threads (no Node imports: the command line's worker threads
 * and the page's Web Workers share it). `createTraining` is what every worker runs to build its copy of
 * the network and the objective; `startTrainingWorkers` starts them for a network on this thread.
 */
import * as tf from '@tensorflow/tfjs';
import { DataParallel, type TrainingSetup, type WorkerLike } from '@snn/modules';
import { MnistNetwork, type NetworkConfig } from './network.js';
import { batchObjective } from './train.js';

/** What the main thread hands each worker: the network's shape (its weights follow with the first batch). */
export interface WorkerData {
  /** The network's configuration. */
  readonly config: NetworkConfig;
}

/**
 * Builds a worker's copy of the network and the objective `train` uses: the cross-entropy, and the
 * correct predictions per image as a log (a mean, like the loss, so that the workers' shares average right).
 */
export function createTraining(data: WorkerData): TrainingSetup {
  const network = new MnistNetwork(data.config);
  return {
    model: (images, labels) => {
      const { loss, correct } = batchObjective(network, images, labels);
      return { loss, logs: { correct: tf.div(tf.cast(correct, 'float32'), images.shape[0]!) } };
    },
    variables: network.trainableVariables(),
  };
}

/**
 * Starts `workers` workers training copies of `network`: from `module` (a URL of a module exporting
 * `createTraining`, in Node) or with `create` (a Web Worker whose module serves `createTraining`).
 */
export function startTrainingWorkers(
  network: MnistNetwork, workers: number, how: { readonly module: URL } | { readonly create: () => WorkerLike }, caller = 'train',
): Promise<DataParallel> {
  return DataParallel.start({ ...how, workers, data: { config: network.config } satisfies WorkerData, variables: network.trainableVariables(), caller });
}
