import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { DEFAULT_NETWORK, MnistNetwork } from './network.js';

await initBackend('wasm');

const small = { timeSteps: 4, channels1: 2, channels2: 3, hidden: 8 };

describe('MnistNetwork', () => {
  it('maps images [B, 28, 28, 1] to class scores [B, 10] and records every layer', async () => {
    const net = new MnistNetwork(small, 3);
    const images = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    const logits = net.forward(images);
    expect(logits.shape).toEqual([2, 10]);
    const r = net.record(images);
    expect(r.spikes.map((s) => [s.name, s.spikes.shape])).toEqual([
      ['encoder', [4, 2, 28, 28, 1]], ['conv1', [4, 2, 24, 24, 2]], ['conv2', [4, 2, 8, 8, 3]], ['dense', [4, 2, 8]],
    ]);
    expect(r.readout.shape).toEqual([4, 2, 10]);
    // The class scores are the readout's maximum over time.
    expect(await r.logits.data()).toEqual(await logits.data());
    const maxOverTime = tf.max(r.readout, 0);
    expect(Array.from(await maxOverTime.data())).toEqual(Array.from(await r.logits.data()));
    tf.dispose([logits, r.readout, r.logits, maxOverTime, ...r.spikes.map((s) => s.spikes)]);
    expect(tf.memory().numTensors).toBe(before);
    expect([...net.namedVariables().keys()]).toEqual(['dense', 'output', 'conv1.kernel', 'conv2.kernel']);
    images.dispose();
    net.dispose();
  });

  it('trains without leaking tensors, and one seed gives one network', async () => {
    const a = new MnistNetwork(small, 5);
    const b = new MnistNetwork(small, 5);
    expect(await a.getWeights()['dense']!.data()).toEqual(await b.getWeights()['dense']!.data());
    b.dispose();
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 2);
    const labels = tf.oneHot(tf.tensor1d([1, 2, 3], 'int32'), 10);
    const optimizer = tf.train.adam(1e-3);
    const stepLoss = (): number => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, a.forward(images)) as tf.Scalar, true, a.trainableVariables())!;
      const value = loss.dataSync()[0]!;
      loss.dispose();
      return value;
    };
    stepLoss();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) expect(Number.isFinite(stepLoss())).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([images, labels]);
    a.dispose();
  });

  it('refuses bad configurations and images that are not [B, 28, 28, 1]', () => {
    expect(() => new MnistNetwork({ timeSteps: 0 })).toThrow(/MnistNetwork: argument 'config.timeSteps' expected/);
    expect(() => new MnistNetwork({ hidden: 2.5 })).toThrow(/config.hidden/);
    expect(() => new MnistNetwork({ inputScale: Number.NaN })).toThrow(/config.inputScale/);
    expect(() => new MnistNetwork({ layers: 3 } as never)).toThrow(/unknown field layers/);
    expect(() => new MnistNetwork({}, 1.5)).toThrow(/argument 'seed'/);
    const net = new MnistNetwork(small);
    const flat = tf.zeros([2, 784]);
    const wrongSize = tf.zeros([2, 32, 32, 1]);
    const ints = tf.zeros([2, 28, 28, 1], 'int32');
    expect(() => net.forward(flat)).toThrow(/MnistNetwork.forward: argument 'images' expected a rank-4 tensor/);
    expect(() => net.forward(wrongSize)).toThrow(/a batch of grey images \[B, 28, 28, 1\]; received shape \[2, 32, 32, 1\]/);
    expect(() => net.forward(ints)).toThrow(/float32/);
    tf.dispose([flat, wrongSize, ints]);
    net.dispose();
    expect(() => net.forward(flat)).toThrow(/disposed/);
    expect(DEFAULT_NETWORK.timeSteps).toBeGreaterThan(0);
  });
});
