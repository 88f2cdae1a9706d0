import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '@snn/backend-cpu/register';
import { initBackend } from '@snn/tensor';
import { QUICK_RUN, inputSize } from './config.js';
import { MemoryNetwork } from './model.js';
import { taskDataset, trainEpoch, trainStep } from './train.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const run = QUICK_RUN;
const config = { inputs: inputSize(run.task), ...run.network };

describe('MemoryNetwork', () => {
  it('maps input spikes [T, B, inputs] to a readout [T, B, 2] and each layer\'s spikes', () => {
    const net = new MemoryNetwork(config, 3);
    const data = taskDataset(run, 4, 7);
    const batch = data.batch([0, 1, 2]);
    const t = data.steps;
    const out = net.forward(batch.inputs);
    expect(out.readout.shape).toEqual([t, 3, 2]);
    expect(out.lsnnSpikes.shape).toEqual([t, 3, run.network.lsnnNeurons]);
    expect(out.lifSpikes.shape).toEqual([t, 3, run.network.lifNeurons]);
    const rec = net.record(batch.inputs);
    expect(rec.thresholds.shape).toEqual([t, 3, run.network.lsnnNeurons]);
    // The recording is the same computation as forward, with the thresholds kept.
    expect(rec.readout.arraySync()).toEqual(out.readout.arraySync());
    expect(rec.lsnnSpikes.arraySync()).toEqual(out.lsnnSpikes.arraySync());
    // A threshold starts at v_th = 1 and only ever moves up where the neuron spiked.
    expect(tf.min(rec.thresholds).arraySync()).toBeGreaterThanOrEqual(1 - 1e-6);
    expect(tf.sum(out.lsnnSpikes).arraySync()).toBeGreaterThan(0);
    tf.dispose([batch.inputs, batch.labels, out.readout, out.lsnnSpikes, out.lifSpikes, rec.readout, rec.lsnnSpikes, rec.lifSpikes, rec.thresholds]);
    net.dispose();
  });

  it('lists its weights by name, and the same seed builds the same network', () => {
    const a = new MemoryNetwork(config, 5);
    const b = new MemoryNetwork(config, 5);
    expect([...a.namedVariables().keys()].sort()).toEqual([
      'lif.inner.inputWeights', 'lif.inner.recurrentWeights', 'lsnn.inner.inputWeights', 'lsnn.inner.recurrentWeights', 'readoutWeights',
    ]);
    for (const [name, v] of a.namedVariables()) expect(v.arraySync()).toEqual(b.namedVariables().get(name)!.arraySync());
    a.dispose();
    b.dispose();
  });

  it('refuses a bad config or input, naming it', () => {
    expect(() => new MemoryNetwork({ ...config, lsnnNeurons: 0 })).toThrow(/MemoryNetwork: argument 'config.lsnnNeurons'/);
    expect(() => new MemoryNetwork({ ...config, alpha: 0 })).toThrow(/MemoryNetwork: argument 'config.alpha'/);
    const net = new MemoryNetwork(config);
    const wrong = tf.zeros([5, 2, config.inputs + 1]);
    expect(() => net.forward(wrong)).toThrow(`MemoryNetwork.forward: argument 'input' expected spikes of shape [T, B, ${config.inputs}]; received shape [5, 2, ${config.inputs + 1}]`);
    wrong.dispose();
    net.dispose();
    expect(() => net.forward(tf.zeros([1, 1, config.inputs]))).toThrow(/disposed/);
  });

  it('trains: a few optimizer steps change the weights and leak no tensor', async () => {
    const net = new MemoryNetwork(config, 1);
    const optimizer = tf.train.adam(0.01);
    const data = taskDataset(run, 8, 11);
    const before = net.getWeights();
    const step = async (): Promise<void> => {
      const batch = data.batch([0, 1, 2, 3]);
      try {
        const report = await trainStep(net, optimizer, batch, run);
        expect(report.recalls).toBe(4 * run.task.seqRepetitions);
        expect(Number.isFinite(report.loss)).toBe(true);
      } finally {
        tf.dispose([batch.inputs, batch.labels]);
      }
    };
    // The first step creates Adam's moment variables; from then on the count must stay put.
    await step();
    const count = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) await step();
    expect(tf.memory().numTensors).toBe(count);
    const after = net.getWeights();
    for (const name of Object.keys(before)) {
      expect(tf.max(tf.abs(tf.sub(after[name]!, before[name]!))).arraySync(), name).toBeGreaterThan(0);
    }
    tf.dispose([...Object.values(before), ...Object.values(after)]);
    optimizer.dispose();
    net.dispose();
  });
});

describe('training: nothing silently wrong', () => {
  it('a NaN loss stops trainEpoch naming the epoch and batch, before the update, leaking nothing; allowNonFiniteLoss keeps going', async () => {
    const net = new MemoryNetwork(config, 4);
    const optimizer = tf.train.adam(0.01);
    const names = Object.keys(net.getWeights());
    const first = net.trainableVariables()[0]!;
    first.assign(tf.fill(first.shape, Number.NaN));
    const stream = { write: () => true };
    const weights = async (): Promise<number[][]> => Promise.all(net.trainableVariables().slice(1).map(async (v) => Array.from(await v.data())));
    const kept = await weights();
    const count = tf.memory().numTensors;
    await expect(trainEpoch(net, optimizer, run, { epoch: 2, epochs: 3, batchSize: 16, seed: 1, stream }))
      .rejects.toThrow(/^trainEpoch: the loss of epoch 2, batch 1 is NaN; training stopped before applying this batch's update .*--allow-nan-loss/);
    expect(tf.memory().numTensors).toBe(count);
    expect(await weights()).toEqual(kept);
    const log = await trainEpoch(net, optimizer, run, { epoch: 2, epochs: 3, batchSize: 16, seed: 1, stream, allowNonFiniteLoss: true });
    expect(log.loss).toBeNaN();
    expect(names.length).toBeGreaterThan(1);
    optimizer.dispose();
    net.dispose();
  });

  it('a step whose forward pass throws (the library\'s own argument error) leaks no tensor', async () => {
    const net = new MemoryNetwork(config, 5);
    const optimizer = tf.train.adam(0.01);
    const data = taskDataset(run, 4, 3);
    const batch = data.batch([0, 1]);
    const wrong = { inputs: tf.zeros([batch.inputs.shape[0]!, 2, config.inputs + 1]), labels: batch.labels };
    const count = tf.memory().numTensors;
    await expect(trainStep(net, optimizer, wrong, run)).rejects.toThrow(/argument/);
    expect(tf.memory().numTensors).toBe(count);
    tf.dispose([batch.inputs, batch.labels, wrong.inputs]);
    optimizer.dispose();
    net.dispose();
  });
});
