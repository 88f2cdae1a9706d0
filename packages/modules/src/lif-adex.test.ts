import * as tf from '@tensorflow/tfjs';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { lifAdExFeedForwardInitialState, lifAdExFeedForwardStep, lifAdExInitialState, lifAdExStep } from '@snn/functional';
import { LIFAdEx, LIFAdExCell, LIFAdExRecurrent, LIFAdExRecurrentCell } from './lif-adex.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { adaptationCurrent: 2, adaptationSpike: 0.5, tauAdaInv: 20, vLeak: 0.05 };

describeEachBackend('LIFAdEx modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFAdExCell(p, o),
    sequence: (o = {}) => new LIFAdEx(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'adaptationCurrent',
    reference: (cell, x) => lifAdExFeedForwardStep(x, lifAdExFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFAdExRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFAdExRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'adaptationSpike',
    reference: (cell, x) => lifAdExStep(x, lifAdExInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });
});
