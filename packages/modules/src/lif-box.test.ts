import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { lifBoxFeedForwardInitialState, lifBoxFeedForwardStep, lifBoxInitialState, lifBoxStep } from '@snn/functional';
import { LIFBox, LIFBoxCell, LIFBoxRecurrent, LIFBoxRecurrentCell } from './lif-box.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { tauMemInv: 150, vTh: 0.8, vLeak: 0.1 };

describeEachBackend('LIFBox modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFBoxCell(p, o),
    sequence: (o = {}) => new LIFBox(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 1),
    trainable: 'tauMemInv',
    reference: (cell, x) => lifBoxFeedForwardStep(x, lifBoxFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFBoxRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFBoxRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'vTh',
    reference: (cell, x) => lifBoxStep(x, lifBoxInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('LIFBoxCell passes its parameters on (reset by subtraction)', async () => {
    const cell = new LIFBoxCell({ resetMethod: 'subtract', vTh: 1 });
    const [z, s] = cell.forward(tf.tensor([[60, 20, 0]]));
    // v' = 0 + 0.1·x = [6, 2, 0]: the first two cross v_th = 1 and lose 1.
    expect(Array.from(await read(z))).toEqual([1, 1, 0]);
    expect(Array.from(await read(s.v)).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([5, 1, 0]);
    tf.dispose([z, s.v]);
    cell.dispose();
  });
});
