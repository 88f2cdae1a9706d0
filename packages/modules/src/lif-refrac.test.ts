import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { lifRefracFeedForwardInitialState, lifRefracFeedForwardStep, lifRefracInitialState, lifRefracStep } from '@snn/functional';
import { LIFRefrac, LIFRefracCell, LIFRefracRecurrent, LIFRefracRecurrentCell } from './lif-refrac.js';
import { expectRejects, feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { lif: { tauMemInv: 150, vLeak: 0.05 }, rhoReset: 3 };

describeEachBackend('LIFRefrac modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFRefracCell(p, o),
    sequence: (o = {}) => new LIFRefrac(p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'rhoReset',
    reference: (cell, x) => lifRefracFeedForwardStep(x, lifRefracFeedForwardInitialState(x.shape, p), p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFRefracRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFRefracRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'rhoReset',
    reference: (cell, x) => lifRefracStep(x, lifRefracInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, p, cell.dt),
  });

  it('takes nested partial LIF parameters, and cannot spike while refractory', async () => {
    const seq = new LIFRefrac({ lif: { vTh: 0.5 }, rhoReset: 2 });
    const [z, s] = seq.forward(tf.fill([5, 1, 1], 100));
    // Spike, two refractory steps, spike again, one refractory step left.
    expect(Array.from(await read(z))).toEqual([1, 0, 0, 1, 0]);
    expect(Array.from(await read(s.rho))).toEqual([1]);
    tf.dispose([z, s.lif.v, s.lif.i, s.rho]);
    seq.dispose();
  });

  it('rejects a nested parameter as trainable, naming the numeric ones', () => {
    expectRejects(() => new LIFRefracCell({}, { trainable: ['lif'] }), /LIFRefracCell: argument 'options.trainable \(lif\)' expected a numeric parameter/);
    expectRejects(() => new LIFRefracCell({ lif: { tauMemInv: -1 } }), /LIFRefracCell: argument 'p.lif.tauMemInv' expected a finite number > 0/);
  });
});
