/**
 * `--nir`: the trained MNIST network exported as NIR, written, read back and re-imported with
 * `fromNir`, classifies the bundled test split as the network itself does — the same predictions, so
 * the same accuracy. A short training (256 images, one epoch, as `--quick`) keeps it fast.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadBundledMnist, permutation } from '@snn/datasets/node';
import { fromNir, readNir, writeNir } from '@snn/nir';
import { readNirFile } from '@snn/nir/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFlags } from './flags.js';
import { saveMnistNir } from './nir-file.js';
import { initBackend } from '@snn/tensor';
import '@snn/backend-wasm/register';
import { MnistNetwork } from './network.js';
import { MNIST_DT, evaluateNir, mnistToNir } from './nir.js';
import { evaluate, train } from './train.js';

await initBackend('wasm');

describe('the MNIST network through NIR', () => {
  it('re-imported, it classifies the bundled test split with the same accuracy', async () => {
    const { train: trainAll, test: testAll } = await loadBundledMnist();
    const trainSet = trainAll.subset(permutation(trainAll.length, 1).subarray(0, 256), 'train');
    const testSet = testAll.subset(permutation(testAll.length, 1).subarray(0, 200), 'test');
    const network = new MnistNetwork({}, 1);
    await train(network, trainSet, testSet, { epochs: 1, batchSize: 32, learningRate: 3e-3, seed: 1 });
    const own = await evaluate(network, testSet);
    const graph = await mnistToNir(network);
    expect(Object.keys(graph.nodes)).toEqual(['input', 'conv2d', 'scale', 'cubalif', 'sumpool2d', 'threshold', 'conv2d_1', 'scale_1', 'cubalif_1', 'sumpool2d_1',
      'threshold_1', 'flatten', 'linear', 'scale_2', 'cubalif_2', 'linear_1', 'scale_3', 'cubali', 'output']);
    const { graph: read } = await readNir(await writeNir(graph), { name: 'mnist.nir' });
    const imported = fromNir(read, { dt: MNIST_DT });
    const viaNir = await evaluateNir(imported, testSet, network.config);
    expect(viaNir.accuracy).toBe(own.accuracy);
    const agree = viaNir.predictions.filter((p, k) => p === own.predictions[k]).length;
    expect(agree).toBe(testSet.length);
    expect(own.accuracy).toBeGreaterThan(0.3); // it learned something: the comparison is not between two guessers
    imported.dispose();
    network.dispose();
    expect(tf.memory().numTensors).toBeLessThan(50);
  });

  it('--nir FILE writes a NIR file that reads back', async () => {
    expect(readFlags(['--nir', 'net.nir']).nir).toBe('net.nir');
    const network = new MnistNetwork({ channels1: 2, channels2: 3, hidden: 8 }, 3);
    const file = join(mkdtempSync(join(tmpdir(), 'snn-mnist-nir-')), 'net.nir');
    await saveMnistNir(network, file);
    const { graph, version } = await readNirFile(file);
    expect(version).toBe('1.0.7');
    expect(graph.nodes.conv2d?.type).toBe('Conv2d');
    expect((graph.nodes.input as unknown as { shape: number[] }).shape).toEqual([1, 28, 28]);
    network.dispose();
  });
});
