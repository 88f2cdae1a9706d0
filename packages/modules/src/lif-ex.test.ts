import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { lifExFeedForwardInitialState, lifExFeedForwardStep, lifExInitialState, lifExStep } from '@snn/functional';
import { LIFEx, LIFExCell, LIFExRecurrent, LIFExRecurrentCell } from './lif-ex.js';
import { expectRejects, feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { deltaT: 0.3, tauMemInv: 120, vLeak: 0.05 };

describeEachBackend('LIFEx modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFExCell(p, o),
    sequence: (o = {}) => new LIFEx(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'deltaT',
    reference: (cell, x) => lifExFeedForwardStep(x, lifExFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFExRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFExRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'tauSynInv',
    reference: (cell, x) => lifExStep(x, lifExInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('rejects bad parameters and options before allocating anything', () => {
    expectRejects(() => new LIFExCell({ deltaT: 0 }), /LIFExCell: argument 'p.deltaT' expected a finite number > 0/);
    expectRejects(() => new LIFExCell({}, { trainable: ['tau' as never] }), /LIFExCell: argument 'options.trainable' expected names of numeric parameters/);
    expectRejects(() => new LIFExCell({}, { trainable: ['method'] }), /LIFExCell: argument 'options.trainable \(method\)' expected a numeric parameter/);
    expectRejects(() => new LIFExCell({}, { trainable: ['tauMemInv', 'method'] }), /'options.trainable \(method\)'/);
    expectRejects(() => new LIFExRecurrentCell(3, 4, {}, { trainable: ['vTh', 'alpha', 'method'] }), /LIFExRecurrentCell: argument 'options.trainable \(method\)'/);
    expectRejects(() => new LIFExRecurrentCell(0, 4), /LIFExRecurrentCell: argument 'inputSize' expected an integer ≥ 1; received 0/);
    expectRejects(() => new LIFExCell({}, { dt: -1 }), /LIFExCell: argument 'options.dt'/);
  });
});
