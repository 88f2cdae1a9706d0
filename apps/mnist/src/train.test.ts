import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ImageDataset } from '@snn/datasets';
import { activeTrainingWorkers } from '@snn/modules';
import { initBackend, setSpikeSparsity } from '@snn/tensor';
import { MnistNetwork } from './network.js';
import { startTrainingWorkers } from './parallel.js';
import { evaluate, train, type BatchReport, type EpochReport } from './train.js';

await initBackend('wasm');

function tinyDataset(n: number, seed: number): ImageDataset {
  const pixels = new Uint8Array(n * 784);
  const labels = new Int32Array(n);
  let state = seed;
  for (let k = 0; k < pixels.length; k++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[k] = state >>> 24;
  }
  for (let k = 0; k < n; k++) labels[k] = k % 10;
  return new ImageDataset('tiny', pixels, labels, 28, 28);
}

// 12 steps: spikes need about ten to cross the encoder and three LIF layers and reach the readout.
const small = { timeSteps: 12, channels1: 2, channels2: 3, hidden: 8 };

describe('evaluate', () => {
  it('counts what forward predicts, per true class', async () => {
    const net = new MnistNetwork(small, 2);
    const data = tinyDataset(13, 1);
    const result = await evaluate(net, data, 5);
    const { inputs, labels } = data.batch([...Array(13).keys()]);
    const predicted = tf.tidy(() => tf.argMax(net.forward(inputs), 1));
    const expected = Array.from(await predicted.data());
    const truth = Array.from(await labels.data());
    expect(Array.from(result.predictions)).toEqual(expected);
    expect(result.accuracy).toBeCloseTo(expected.filter((p, k) => p === truth[k]).length / 13, 10);
    expect(result.confusion.flat().reduce((a, b) => a + b, 0)).toBe(13);
    expect(result.confusion[3]![expected[3]!]).toBeGreaterThanOrEqual(1);
    tf.dispose([inputs, labels, predicted]);
    net.dispose();
  });
});

describe('train', () => {
  it('reports every batch and epoch, lowers the loss on a memorisable set, and leaks nothing', async () => {
    const net = new MnistNetwork(small, 4);
    const data = tinyDataset(20, 3);
    const batches: BatchReport[] = [];
    const before = tf.memory().numTensors;
    const history = await train(net, data, data, { epochs: 6, batchSize: 8, learningRate: 0.02, learningRateDecay: 0.9, seed: 1 }, {
      onBatch: (r) => { batches.push(r); },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(batches.map((b) => b.seen).slice(0, 3)).toEqual([8, 16, 20]);
    expect(batches).toHaveLength(18);
    expect(history.map((h: EpochReport) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const h of history) {
      expect(Number.isFinite(h.loss)).toBe(true);
      expect(h.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(h.testAccuracy).toBeLessThanOrEqual(1);
    }
    expect(history[5]!.loss).toBeLessThan(history[0]!.loss);
    net.dispose();
  });

  it('across two worker threads (the built train-worker.js) equals training on this thread, up to float summation order', async () => {
    const data = tinyDataset(21, 5);
    const options = { epochs: 2, batchSize: 8, learningRate: 0.02, seed: 1 };
    const single = new MnistNetwork(small, 4);
    const parallel = new MnistNetwork(small, 4);
    const before = tf.memory().numTensors;
    const h1 = await train(single, data, data, options);
    const workers = await startTrainingWorkers(parallel, 2, { module: new URL('../dist/train-worker.js', import.meta.url) });
    const h2 = await train(parallel, data, data, { ...options, parallel: workers }).finally(() => workers.close());
    expect(activeTrainingWorkers()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    h1.forEach((h, k) => {
      expect(h2[k]!.loss).toBeCloseTo(h.loss, 4);
      expect(h2[k]!.accuracy).toBe(h.accuracy);
    });
    const [a, b] = [single.getWeights(), parallel.getWeights()];
    for (const name of Object.keys(a)) {
      const [x, y] = [await a[name]!.data(), await b[name]!.data()];
      let worst = 0;
      x.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - y[j]!) / (1e-3 + Math.abs(v))); });
      expect(worst, name).toBeLessThan(1e-3);
    }
    tf.dispose([...Object.values(a), ...Object.values(b)]);
    single.dispose();
    parallel.dispose();
  });

  it('refuses bad options', async () => {
    const net = new MnistNetwork(small);
    const data = tinyDataset(4, 1);
    await expect(train(net, data, data, { epochs: 0, batchSize: 2, learningRate: 0.01, seed: 1 })).rejects.toThrow(/train: argument 'options.epochs' expected/);
    await expect(train(net, data, data, { epochs: 1, batchSize: 2, learningRate: 0.01, seed: 1, learningRateDecay: 0 })).rejects.toThrow(/options.learningRateDecay/);
    await expect(evaluate(net, data, 0)).rejects.toThrow(/evaluate: argument 'batchSize'/);
    net.dispose();
  });
});

describe('train: nothing silently wrong', () => {
  it('stops on a NaN loss with an error naming the epoch and batch, before the update, leaking nothing; --allow-nan-loss keeps going', async () => {
    const net = new MnistNetwork(small, 5);
    const data = tinyDataset(12, 2);
    // The readout's weights: no threshold between them and the loss (a NaN in a spiking layer's input gives
    // Θ(NaN) = 0, no spike, as Norse: it would never reach the loss). Dense products, so that 0·NaN = NaN
    // (the event-driven product skips silent inputs, and this small untrained network is silent).
    const previousSparsity = setSpikeSparsity({ mode: 'dense' });
    onTestFinished(() => void setSpikeSparsity(previousSparsity));
    const variables = net.trainableVariables();
    const w = variables.find((v) => v.rank === 2 && v.shape.includes(10))!;   // the readout's input weights (10 classes)
    const rest = variables.filter((v) => v !== w);
    w.assign(tf.fill(w.shape, Number.NaN));
    const others = await Promise.all(rest.map(async (v) => Array.from(await v.data())));
    const before = tf.memory().numTensors;
    await expect(train(net, data, data, { epochs: 2, batchSize: 4, learningRate: 0.01, seed: 1 }))
      .rejects.toThrow(/^train: the loss of epoch 1, batch 1 is NaN; training stopped before applying this batch's update .*--allow-nan-loss/);
    expect(tf.memory().numTensors).toBe(before);
    expect(await Promise.all(rest.map(async (v) => Array.from(await v.data())))).toEqual(others);
    const history = await train(net, data, data, { epochs: 1, batchSize: 4, learningRate: 0.01, seed: 1, allowNonFiniteLoss: true });
    expect(history[0]!.loss).toBeNaN();
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});
