import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { liBoxFeedForwardStep, liBoxInitialState, liBoxStep } from '@snn/functional';
import { LIBox, LIBoxCell, LIBoxLinearCell } from './leaky-integrator-box.js';
import { Lift } from './lift.js';
import { expectRejects, feedForwardSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { tauMemInv: 80, vLeak: -0.1 };

describeEachBackend('LIBox modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIBoxCell(p, o),
    sequence: (o = {}) => new LIBox(p, o),
    input: () => tf.randomUniform([6, 2, 3], -1, 1, 'float32', 1),
    trainable: 'vLeak',
    spiking: false,
    reference: (cell, x) => liBoxFeedForwardStep(x, liBoxInitialState(x.shape, p), p, cell.dt),
  });

  it('the output is the new voltage: v\' = v + dt·τ⁻¹·((v_leak − v) + x)', async () => {
    const cell = new LIBoxCell({ tauMemInv: 100 });
    const [y, s] = cell.forward(tf.tensor([[10, -20]]));
    expect(Array.from(await read(y)).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([1, -2]);
    expect(Array.from(await read(y))).toEqual(Array.from(await read(s.v)));
    tf.dispose([y, s.v]);
    cell.dispose();
  });
});

describeEachBackend('LIBoxLinearCell', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIBoxLinearCell(3, 2, p, { ...o, seed: 5 }),
    sequence: (o = {}) => {
      const cell = new LIBoxLinearCell(3, 2, p, { trainable: o.trainable, seed: 7 });
      return Object.assign(new Lift(cell, { recordStates: o.recordStates }), { cell });
    },
    input: () => tf.randomUniform([6, 2, 3], 0, 1, 'float32', 2),
    trainable: 'tauMemInv',
    weights: ['inputWeights'],
    spiking: false,
    stateShape: (shape) => [...shape.slice(0, -1), 2],
    reference: (cell, x) => liBoxStep(x, liBoxInitialState([...x.shape.slice(0, -1), 2], p), cell.inputWeights, p, cell.dt),
  });

  it('rejects an input with the wrong number of features before allocating', () => {
    const cell = new LIBoxLinearCell(3, 2);
    const x = tf.zeros([2, 2]);
    expectRejects(() => cell.forward(x), /LIBoxLinearCell.forward: argument 'input' expected shape \[\.\.\., 3\]/);
    x.dispose();
    cell.dispose();
  });
});
