import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { adaLIFInitialState, adaLIFStep, lsnnFeedForwardInitialState, lsnnFeedForwardStep, lsnnInitialState, lsnnStep } from '@snn/functional';
import { AdaLIFRecurrent, AdaLIFRecurrentCell, LSNN, LSNNCell, LSNNRecurrent, LSNNRecurrentCell } from './lsnn.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { beta: 0.5, tauAdaptInv: 50, vLeak: 0.05 };

describeEachBackend('LSNN modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LSNNCell(p, o),
    sequence: (o = {}) => new LSNN(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 40, 'float32', 1),
    trainable: 'beta',
    reference: (cell, x) => lsnnFeedForwardStep(x, lsnnFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LSNNRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LSNNRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 40, 'float32', 2),
    trainable: 'tauAdaptInv',
    reference: (cell, x) => lsnnStep(x, lsnnInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('the LSNN resting threshold is b = v_th', async () => {
    const cell = new LSNNCell({ vTh: 0.7 });
    const s = cell.initialState([1, 2]);
    expect(Array.from(await read(s.b))).toEqual([Math.fround(0.7), Math.fround(0.7)]);
    tf.dispose([s.v, s.i, s.b]);
    cell.dispose();
  });
});

describeEachBackend('Adaptive LIF modules', backends, () => {
  recurrentSuite({
    cell: (o = {}) => new AdaLIFRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new AdaLIFRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 40, 'float32', 3),
    trainable: 'beta',
    reference: (cell, x) => adaLIFStep(x, adaLIFInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('the adaptive LIF starts without adaptation (b = 0)', async () => {
    const cell = new AdaLIFRecurrentCell(2, 3);
    const s = cell.initialState(1);
    expect(Array.from(await read(s.b))).toEqual([0, 0, 0]);
    tf.dispose([s.z, s.v, s.i, s.b]);
    cell.dispose();
  });
});
