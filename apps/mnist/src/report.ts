/**
 * The figures a training run leaves behind (SVG + PNG each): the loss/accuracy curve, a spike raster
 * of every layer and the readout voltages for one test digit, and the confusion matrix on the test set.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFigure } from '@snn/app-kit';
import type { ImageDataset } from '@snn/datasets';
import { plotConfusionMatrix, plotHeatmap2d, plotSpikes2d, plotTrainingCurves } from '@snn/plot';
import type { MnistNetwork } from './network.js';
import type { EpochReport } from './train.js';

/** The per-epoch reports as a training log: training loss and accuracy, test accuracy. */
export function trainingLog(history: readonly EpochReport[]): Array<Record<string, number>> {
  return history.map((h) => ({ epoch: h.epoch + 1, loss: h.loss, acc: h.accuracy, val_acc: h.testAccuracy }));
}

/** Writes every figure into `dir`; returns the paths written. */
export async function writeReport(
  dir: string, network: MnistNetwork, test: ImageDataset, history: readonly EpochReport[], confusion: number[][], sample = 0,
): Promise<string[]> {
  const written: string[] = [];
  written.push(...await writeFigure(dir, 'training-curves', plotTrainingCurves(trainingLog(history), { title: 'MNIST training' })));
  const classes = test.classes.length === 10 ? test.classes : undefined;
  written.push(...await writeFigure(dir, 'confusion-matrix', plotConfusionMatrix(confusion, { title: `Confusion matrix on ${test.length} test images (${test.name})`, ...(classes ? { classes } : {}) })));
  const label = test.label(sample);
  const { inputs, labels } = test.batch([sample]);
  const recording = network.record(inputs);
  try {
    const name = classes?.[label] ?? String(label);
    for (const { name: layer, spikes } of recording.spikes) {
      written.push(...await writeFigure(dir, `raster-${layer}`, await plotSpikes2d(spikes, { title: `Spikes of layer ${layer} for test image ${sample} (${name})` })));
    }
    written.push(...await writeFigure(dir, 'readout', await plotHeatmap2d(recording.readout, {
      title: `Readout voltage for test image ${sample} (${name}): the class with the highest peak wins`, valueLabel: 'voltage', maxRows: 10,
    })));
  } finally {
    tf.dispose([inputs, labels, recording.readout, recording.logits, ...recording.spikes.map((s) => s.spikes)]);
  }
  return written;
}
