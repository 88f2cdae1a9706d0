/**
 * The MNIST network as a NIR graph, and the check that it survives the trip: `mnistToNir` exports the
 * trained network (what `snn-mnist --nir FILE` writes), `evaluateNir` classifies images with the
 * re-imported graph the way `MnistNetwork` does.
 *
 * The graph starts after the encoder (NIR has no encoders): its input is the encoder's spikes, channels
 * first as NIR wants them, [T, B, 1, 28, 28] (one channel: a reshape of the network's channels-last
 * [T, B, 28, 28, 1]). Then Conv2d → Scale → CubaLIF → SumPool2d → Threshold(0.5) (the 2×2 max-pool of
 * spikes) → Conv2d → Scale → CubaLIF → SumPool2d → Threshold → Flatten → Linear → Scale → CubaLIF →
 * Linear → Scale → CubaLI, at dt = 1 ms; the class score is the readout's maximum over time, as in
 * `MnistNetwork`. Browser-safe (no Node imports).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { constantCurrentLifEncode } from '@snn/encoders';
import type { LConv2d, LI, LIF } from '@snn/modules';
import { denseEntry, scaleEntry, toNir, type NirGraph, type NirModule } from '@snn/nir';
import type { ImageDataset } from '@snn/datasets';
import { IMAGE_SIZE, type MnistNetwork } from './network.js';

/** The time step of the MNIST network's neurons (the snn-ts default). */
export const MNIST_DT = 1e-3;

/** The layers of an MnistNetwork, read at run time (they are private to the class; a missing one is an error). */
function layersOf(network: MnistNetwork): { conv1: LConv2d; conv2: LConv2d; lif1: LIF; lif2: LIF; lif3: LIF; readout: LI; dense: Variable; output: Variable } {
  const view = network as unknown as Record<string, unknown>;
  const names = ['conv1', 'conv2', 'lif1', 'lif2', 'lif3', 'readout', 'dense', 'output'] as const;
  const missing = names.filter((n) => view[n] === undefined);
  if (missing.length > 0) throw new Error(`mnistToNir: the network lacks the layers ${missing.join(', ')}; expected an MnistNetwork`);
  return view as unknown as ReturnType<typeof layersOf>;
}

/** Exports a (trained) MnistNetwork as a NIR graph (see the module comment). */
export async function mnistToNir(network: MnistNetwork): Promise<NirGraph> {
  const l = layersOf(network);
  const { currentScale, readoutScale } = network.config;
  const pool = (): tf.layers.Layer => tf.layers.maxPooling2d({ poolSize: 2, strides: 2 });
  return toNir([
    l.conv1, scaleEntry(currentScale), l.lif1, pool(), l.conv2, scaleEntry(currentScale), l.lif2, pool(), tf.layers.flatten(),
    denseEntry(l.dense), scaleEntry(currentScale), l.lif3, denseEntry(l.output), scaleEntry(readoutScale), l.readout,
  ], { dt: MNIST_DT, inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1] });
}

/** The class scores [B, 10] of images [B, 28, 28, 1] through a re-imported MNIST graph: encoder, graph, maximum over time. */
export function nirScores(graph: NirModule, images: Tensor, timeSteps: number, inputScale: number): Tensor {
  return tf.tidy(() => {
    const spikes = constantCurrentLifEncode(tf.mul(images, inputScale), timeSteps);
    const [t, b] = spikes.shape as [number, number];
    const [v] = graph.forward(tf.reshape(spikes, [t, b, 1, IMAGE_SIZE, IMAGE_SIZE]));
    return tf.max(v, 0);
  });
}

/** The accuracy of a re-imported MNIST graph on `dataset`, and its predictions. */
export async function evaluateNir(graph: NirModule, dataset: ImageDataset, config: { timeSteps: number; inputScale: number }, batchSize = 100): Promise<{ accuracy: number; predictions: Int32Array }> {
  const predictions = new Int32Array(dataset.length);
  let correct = 0;
  let offset = 0;
  for (const batch of dataset.batches(batchSize)) {
    const predicted = tf.tidy(() => tf.argMax(nirScores(graph, batch.inputs, config.timeSteps, config.inputScale), 1));
    const [got, labels] = await Promise.all([predicted.data(), batch.labels.data()]);
    tf.dispose([predicted, batch.inputs, batch.labels]);
    got.forEach((p, k) => {
      predictions[offset + k] = p;
      if (p === labels[k]) correct += 1;
    });
    offset += got.length;
  }
  return { accuracy: correct / dataset.length, predictions };
}
