import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { liFeedForwardStep, liInitialState, liStep } from '@snn/functional';
import { LI, LICell, LILinearCell } from './leaky-integrator.js';
import { Lift } from './lift.js';
import { expectRejects, feedForwardSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { tauSynInv: 150, tauMemInv: 80, vLeak: 0.1 };

describeEachBackend('LI modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LICell(p, o),
    sequence: (o = {}) => new LI(p, o),
    input: () => tf.randomUniform([6, 2, 3], -1, 1, 'float32', 1),
    trainable: 'tauSynInv',
    spiking: false,
    reference: (cell, x) => liFeedForwardStep(x, liInitialState(x.shape, p), p, cell.dt),
  });

  it('the output is the new voltage', async () => {
    const cell = new LICell();
    const [y, s] = cell.forward(tf.ones([1, 2]));
    expect(Array.from(await read(y))).toEqual(Array.from(await read(s.v)));
    tf.dispose([y, s.v, s.i]);
    cell.dispose();
  });
});

describeEachBackend('LILinearCell', backends, () => {
  // LILinearCell has no sequence layer of its own (nor in Norse): Lift runs it over time.
  feedForwardSuite({
    cell: (o = {}) => new LILinearCell(3, 2, p, { ...o, seed: 5 }),
    sequence: (o = {}) => {
      const cell = new LILinearCell(3, 2, p, { trainable: o.trainable, seed: 7 });
      return Object.assign(new Lift(cell, { recordStates: o.recordStates }), { cell });
    },
    input: () => tf.randomUniform([6, 4, 1, 3], 0, 1, 'float32', 2),
    trainable: 'tauMemInv',
    weights: ['inputWeights'],
    spiking: false,
    stateShape: (shape) => [...shape.slice(0, -1), 2],
    reference: (cell, x) => liStep(x, liInitialState([...x.shape.slice(0, -1), 2], p), cell.inputWeights, p, cell.dt),
  });

  it('owns input weights [hidden, input] drawn from N(0, 1/input), reproducible with a seed', async () => {
    const a = new LILinearCell(400, 50, {}, { seed: 11 });
    const b = new LILinearCell(400, 50, {}, { seed: 11 });
    expect(a.inputWeights.shape).toEqual([50, 400]);
    expect([...a.namedVariables().keys()]).toEqual(['inputWeights']);
    const w = Array.from(await read(a.inputWeights));
    expect(w).toEqual(Array.from(await read(b.inputWeights)));
    const variance = w.reduce((acc, v) => acc + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.9 / 400);
    expect(variance).toBeLessThan(1.1 / 400);
    a.dispose();
    b.dispose();
  });

  it('rejects an input with the wrong number of features, and bad sizes, before allocating', () => {
    const cell = new LILinearCell(3, 2);
    const x = tf.zeros([2, 4]);
    expectRejects(() => cell.forward(x), /LILinearCell.forward: argument 'input' expected shape \[\.\.\., 3\] \(inputSize features\); received a float32 tensor of shape \[2, 4\]/);
    expectRejects(() => new LILinearCell(3, 0), /LILinearCell: argument 'hiddenSize' expected an integer ≥ 1; received 0/);
    expectRejects(() => new LILinearCell(3, 2, {}, { seed: 0.5 }), /LILinearCell: argument 'options.seed' expected an integer/);
    x.dispose();
    cell.dispose();
  });
});
