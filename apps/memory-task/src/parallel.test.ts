/**
 * Training across worker threads (the built dist/train-worker.js, which the package's test script builds
 * first): a step split over two workers reports the batch's recall counts and firing rate exactly as the
 * main thread sees them before the update, moves the weights, and leaves no worker and no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '@snn/backend-cpu/register';
import { activeTrainingWorkers } from '@snn/modules';
import { initBackend } from '@snn/tensor';
import { QUICK_RUN, inputSize } from './config.js';
import { MemoryNetwork } from './model.js';
import { startTrainingWorkers } from './parallel.js';
import { evaluateBatch, taskDataset, trainStep } from './train.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('trainStep across two worker threads', () => {
  it('reports the batch as the main thread sees it, updates the weights once, and ends its workers', async () => {
    const run = QUICK_RUN;
    const net = new MemoryNetwork({ inputs: inputSize(run.task), ...run.network }, 3);
    const optimizer = tf.train.adam(0.01);
    const data = taskDataset(run, 5, 9);
    // Five samples: shares of 3 and 2.
    const batch = data.batch([0, 1, 2, 3, 4]);
    const before = net.getWeights();
    const expected = await evaluateBatch(net, batch, run);
    const parallel = await startTrainingWorkers(net, run, 2, 'test', new URL('../dist/train-worker.js', import.meta.url));
    try {
      const report = await trainStep(net, optimizer, batch, run, { fn: 'trainStep', epoch: 1, batch: 1 }, false, parallel);
      expect(report.correct).toBe(expected.correct);
      expect(report.recalls).toBe(expected.recalls);
      expect(report.rateHz).toBeCloseTo(expected.rateHz, 3);
      expect(Number.isFinite(report.loss) && Number.isFinite(report.penalty)).toBe(true);
    } finally {
      await parallel.close();
    }
    expect(activeTrainingWorkers()).toBe(0);
    const after = net.getWeights();
    const moved = await Promise.all(Object.keys(before).map(async (k) => tf.tidy(() => tf.max(tf.abs(tf.sub(after[k]!, before[k]!)))).data()));
    expect(Math.max(...moved.map((m) => m[0]!))).toBeGreaterThan(0);
    tf.dispose([...Object.values(before), ...Object.values(after), batch.inputs, batch.labels]);
    optimizer.dispose();
    net.dispose();
  });
});
