import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { lifCorrelationInitialState, lifCorrelationStep } from '@snn/functional';
import { LIFCorrelationRecurrent, LIFCorrelationRecurrentCell } from './lif-correlation.js';
import { expectRejects, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { lifParameters: { vTh: 0.3, tauMemInv: 150 }, inputCorrelationParameters: { etaP: 0.5 } };

describeEachBackend('LIFCorrelation modules', backends, () => {
  recurrentSuite({
    cell: (o = {}) => new LIFCorrelationRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFCorrelationRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 12, 'float32', 2),
    stateShapes: (b, n, h) => [[b, h], [b, h], [b, h], [b, n, h], [b, n, h], [b, n, h], [b, h, h], [b, h, h], [b, h, h]],
    reference: (cell, x) => lifCorrelationStep(x, lifCorrelationInitialState(x.shape[0]!, 3, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('the sensors follow the spikes: spikes in, spikes out, a non-zero correlation trace', async () => {
    const seq = new LIFCorrelationRecurrent(2, 2, { lifParameters: { vTh: 0.1 } }, { seed: 1 });
    const [z, s] = seq.forward(tf.fill([5, 1, 2], 20));
    expect(Math.max(...(await read(z)))).toBe(1);
    expect(Math.max(...(await read(s.inputCorrelationState.correlationTrace)))).toBeGreaterThan(0);
    tf.dispose([z, ...[s.lifState, s.inputCorrelationState, s.recurrentCorrelationState].flatMap((o) => Object.values(o))]);
    seq.dispose();
  });

  it('its parameters are nested, so none can be trainable (the weights are)', () => {
    expectRejects(() => new LIFCorrelationRecurrentCell(2, 2, {}, { trainable: ['lifParameters'] }),
      /LIFCorrelationRecurrentCell: argument 'options.trainable \(lifParameters\)' expected a numeric parameter/);
    expectRejects(() => new LIFCorrelationRecurrentCell(2, 2, { lifParameters: { vTh: NaN } }), /'p.lifParameters.vTh'.*received NaN/);
  });
});
