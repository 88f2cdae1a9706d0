import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { cobaLIFFeedForwardInitialState, cobaLIFFeedForwardStep, cobaLIFInitialState, cobaLIFStep } from '@snn/functional';
import { CobaLIF, CobaLIFCell, CobaLIFRecurrent, CobaLIFRecurrentCell } from './coba-lif.js';
import { feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { gL: 0.3, vRest: -25 };

describeEachBackend('CobaLIF modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new CobaLIFCell(p, o),
    sequence: (o = {}) => new CobaLIF(p, o),
    // Signed drive: positive values open the excitatory conductance, negative ones the inhibitory.
    input: () => tf.randomUniform([6, 2, 3], -10, 60, 'float32', 1),
    trainable: 'gL',
    reference: (cell, x) => cobaLIFFeedForwardStep(x, cobaLIFFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new CobaLIFRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new CobaLIFRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 80, 'float32', 2),
    trainable: 'eRevE',
    reference: (cell, x) => cobaLIFStep(x, cobaLIFInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('rests at v_rest with closed conductances', async () => {
    const cell = new CobaLIFRecurrentCell(2, 3, { vRest: -30 });
    const s = cell.initialState(1);
    expect(Array.from(await read(s.v))).toEqual([-30, -30, -30]);
    expect(Array.from(await read(tf.concat([s.z, s.gE, s.gI], 1)))).toEqual(new Array(9).fill(0));
    tf.dispose([s.z, s.v, s.gE, s.gI]);
    cell.dispose();
  });
});
