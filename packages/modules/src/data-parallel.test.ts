import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { DataParallel } from './data-parallel.js';
import { fit, type Batch, type FitOptions, type TrainableModel } from './training.js';
import { activeTrainingWorkers, availableCores } from './worker-pool.js';
// @ts-expect-error: a plain-JavaScript worker module (worker threads import it as it is), no type declarations.
import { build } from './testing/data-parallel-fixture.mjs';

const backends = await availableBackends();
const FIXTURE = new URL('./testing/data-parallel-fixture.mjs', import.meta.url);
const T = 6;
type Model = TrainableModel & { dispose(): void };

/** `count` batches of `size` sequences [T, size, 3] with targets [size, 2], fixed by `seed`. */
function batches(count: number, size: number, seed: number): Batch[] {
  return Array.from({ length: count }, (_, k) => ({
    x: tf.mul(tf.randomUniform([T, size, 3], 0, 1, 'float32', seed + k), 60),
    y: tf.randomUniform([size, 2], -1, 1, 'float32', seed + 100 + k),
  }));
}

async function weightsOf(model: Model): Promise<number[][]> {
  return Promise.all(model.trainableVariables().map(async (v) => Array.from(await v.data())));
}

/** Trains a fresh model (seed 3) on `data` and resolves to its weights, the history, and the error if it failed. */
async function train(data: Batch[], options: Partial<FitOptions> & { workerData?: object }): Promise<{ weights: number[][]; loss: number[]; metric: number[]; error?: Error }> {
  const model = build(3) as Model;
  const optimizer = tf.train.adam(0.05);
  const { workerData, ...rest } = options;
  try {
    const worker = rest.workers === 1 ? undefined : { module: FIXTURE, data: { seed: 11, ...workerData }, batchAxis: { x: 1, y: 0 } };
    const history = await fit(model, data, { optimizer, loss: 'meanSquaredError', metric: (t: Tensor, p: Tensor) => tf.mean(tf.abs(tf.sub(t, p))), epochs: 2, worker, ...rest });
    return { weights: await weightsOf(model), loss: history.history.loss, metric: history.history['acc']! };
  } catch (error) {
    return { weights: await weightsOf(model), loss: [], metric: [], error: error as Error };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

function expectClose(a: number[][], b: number[][], atol = 2e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - b[i]![j]!), `weight ${i}[${j}]: ${v} vs ${b[i]![j]}`).toBeLessThanOrEqual(atol + 1e-4 * Math.abs(b[i]![j]!))));
}

describeEachBackend('fit across worker threads', backends, () => {
  it('equals the single-thread run up to float summation order (uneven shares, a last batch smaller than the workers)', async () => {
    // 7 = 4 + 3 examples per share; the epoch's last batch has one example, so one worker sits it out.
    const data = [...batches(3, 7, 1), ...batches(1, 1, 9)];
    const single = await train(data, { workers: 1 });
    const parallel = await train(data, { workers: 2 });
    expect(parallel.error).toBeUndefined();
    expect(activeTrainingWorkers()).toBe(0);
    // The weights moved, and moved alike.
    const initial = build(3) as Model;
    const start = await weightsOf(initial);
    initial.dispose();
    expect(single.weights.flat().some((v, k) => Math.abs(v - start.flat()[k]!) > 1e-3)).toBe(true);
    expectClose(parallel.weights, single.weights);
    parallel.loss.forEach((l, k) => expect(l).toBeCloseTo(single.loss[k]!, 5));
    parallel.metric.forEach((m, k) => expect(m).toBeCloseTo(single.metric[k]!, 5));
    tf.dispose(data.flatMap((b) => [b.x, b.y]));
  });
});

describe('fit across worker threads: failures', () => {
  const data = batches(4, 4, 21);

  it('an error in a worker rejects naming the batch, with the weights as the batches before it left them; no worker outlives fit', async () => {
    // The third objective call of each worker throws: batch 2 of epoch 0.
    const failed = await train(data, { workers: 2, workerData: { throwOnCall: 3 } });
    expect(failed.error?.message).toMatch(/^fit: batch 2 of epoch 0 failed: worker \d of 2 threw: boom on call 3; no update was applied/);
    expect(activeTrainingWorkers()).toBe(0);
    const twoBatches = await train(data.slice(0, 2), { workers: 1, epochs: 1 });
    expectClose(failed.weights, twoBatches.weights);
  });

  it('a worker that dies mid-epoch rejects naming the batch, nothing of that batch applied', async () => {
    const failed = await train(data, { workers: 2, workerData: { exitOnCall: 2 } });
    expect(failed.error?.message).toMatch(/^fit: batch 1 of epoch 0 failed: worker \d of 2 exited \(code 7\); no update was applied/);
    expect(activeTrainingWorkers()).toBe(0);
    const oneBatch = await train(data.slice(0, 1), { workers: 1, epochs: 1 });
    expectClose(failed.weights, oneBatch.weights);
  });

  it('ends its workers when a callback throws or stops training', async () => {
    const thrown = await train(data, { workers: 2, callbacks: { onBatchEnd: (batch) => { if (batch === 1) throw new Error('callback says no'); } } });
    expect(thrown.error?.message).toBe('callback says no');
    expect(activeTrainingWorkers()).toBe(0);
    const stopped = await train(data, { workers: 2, callbacks: { onBatchEnd: (_, __, control) => { control!.stopTraining = true; } } });
    expect(stopped.error).toBeUndefined();
    expect(stopped.loss).toHaveLength(1);
    expect(activeTrainingWorkers()).toBe(0);
  });

  it('refuses a worker count that is not a positive integer or exceeds the cores, before starting any', async () => {
    const cores = availableCores();
    for (const workers of [0, -1, 1.5, Number.NaN, '2', cores + 1]) {
      const r = await train(data, { workers: workers as number });
      expect(r.error?.message, String(workers)).toMatch(new RegExp(`^fit: argument 'options.workers' expected a positive integer no larger than this machine's ${cores} cores; received`));
    }
    const noModule = await train(data, { workers: 2, worker: undefined });
    expect(noModule.error?.message).toMatch(/^fit: argument 'options.worker' expected how 2 workers build the model/);
    const both = await train(data, { workers: 2, worker: { module: FIXTURE, create: () => { throw new Error('never'); } } });
    expect(both.error?.message).toMatch(/argument 'options.worker' expected exactly one of 'module'/);
    expect(activeTrainingWorkers()).toBe(0);
  });

  it('refuses workers whose model differs from the one trained here, ending them', async () => {
    const r = await train(data, { workers: 2, workerData: { shape: { inputs: 3, hidden: 4, outputs: 2 } } });
    expect(r.error?.message).toMatch(/^fit: worker 1 of 2 could not start: its model does not match the one trained here \(variable 0 .* float32 \[4, 3\] there, float32 \[5, 3\] here\)/);
    expect(activeTrainingWorkers()).toBe(0);
  });

  it('DataParallel refuses steps after a failure and after close, and leaks no tensor on the main thread', async () => {
    const model = build(3) as Model;
    const optimizer = tf.train.sgd(0.1);
    const before = tf.memory().numTensors;
    const dp = await DataParallel.start({ workers: 2, variables: model.trainableVariables(), module: FIXTURE, data: { seed: 1, throwOnCall: 2 }, batchAxis: { x: 1, y: 0 } });
    const logs = await dp.step(data[0]!.x, data[0]!.y, optimizer, 'the first batch');
    expect(Number.isFinite(logs['loss'])).toBe(true);
    await expect(dp.step(data[1]!.x, data[1]!.y, optimizer, 'the second batch')).rejects.toThrow(/the second batch failed: worker \d of 2 threw: boom on call 2/);
    await expect(dp.step(data[2]!.x, data[2]!.y, optimizer, 'the third batch')).rejects.toThrow(/the workers failed earlier/);
    await dp.close();
    await expect(dp.step(data[2]!.x, data[2]!.y, optimizer, 'x')).rejects.toThrow(/the workers were closed/);
    expect(activeTrainingWorkers()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });
});
