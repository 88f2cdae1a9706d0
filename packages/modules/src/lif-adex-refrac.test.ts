import * as tf from '@tensorflow/tfjs';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { lifAdExRefracFeedForwardInitialState, lifAdExRefracFeedForwardStep, lifAdExRefracInitialState, lifAdExRefracStep } from '@snn/functional';
import { LIFAdExRefrac, LIFAdExRefracCell, LIFAdExRefracRecurrent, LIFAdExRefracRecurrentCell } from './lif-adex-refrac.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { lifAdEx: { adaptationSpike: 0.3, vLeak: 0.05 }, rhoReset: 2 };

describeEachBackend('LIFAdExRefrac modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFAdExRefracCell(p, o),
    sequence: (o = {}) => new LIFAdExRefrac(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'rhoReset',
    reference: (cell, x) => lifAdExRefracFeedForwardStep(x, lifAdExRefracFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFAdExRefracRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFAdExRefracRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'rhoReset',
    reference: (cell, x) => lifAdExRefracStep(x, lifAdExRefracInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });
});
