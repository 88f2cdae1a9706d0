import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { iafFeedForwardInitialState, iafFeedForwardStep, iafInitialState, iafStep } from '@snn/functional';
import { IAF, IAFCell, IAFRecurrent, IAFRecurrentCell } from './iaf.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { vTh: 0.9, vReset: -0.1 };

describeEachBackend('IAF modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new IAFCell(p, o),
    sequence: (o = {}) => new IAF(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 0.7, 'float32', 1),
    trainable: 'vTh',
    reference: (cell, x) => iafFeedForwardStep(x, iafFeedForwardInitialState(x.shape), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new IAFRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new IAFRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 2, 'float32', 2),
    trainable: 'vReset',
    reference: (cell, x) => iafStep(x, iafInitialState(x.shape[0]!, 4), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('IAFCell integrates perfectly from v = 0, whatever dt', async () => {
    const cell = new IAFCell({}, { dt: 0.1 });
    const x = tf.tensor([[0.4, 0.7]]);
    const [z1, s1] = cell.forward(x);
    const [z2, s2] = cell.forward(x, s1);
    expect(Array.from(await read(z1))).toEqual([0, 0]);
    expect(Array.from(await read(z2))).toEqual([0, 1]);
    expect(Array.from(await read(s2.v))).toEqual([Math.fround(0.4) + Math.fround(0.4), 0]);
    tf.dispose([x, z1, s1.v, z2, s2.v]);
    cell.dispose();
  });
});
