import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { lifMCRefracFeedForwardInitialState, lifMCRefracFeedForwardStep, lifMCRefracInitialState, lifMCRefracStep } from '@snn/functional';
import { LIFMCRefrac, LIFMCRefracCell, LIFMCRefracRecurrent, LIFMCRefracRecurrentCell } from './lif-mc-refrac.js';
import { expectRejects, feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { lif: { tauMemInv: 120, vLeak: 0.05 }, rhoReset: 2 };

describeEachBackend('LIFMCRefrac modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFMCRefracCell(3, p, o),
    sequence: (o = {}) => new LIFMCRefrac(3, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'rhoReset',
    weights: ['gCoupling'],
    reference: (cell, x) => lifMCRefracFeedForwardStep(x, lifMCRefracFeedForwardInitialState(x.shape, p), cell.gCoupling, p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFMCRefracRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFMCRefracRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'rhoReset',
    weights: ['gCoupling'],
    reference: (cell, x) => lifMCRefracStep(
      x, lifMCRefracInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, cell.gCoupling, p, cell.dt,
    ),
  });

  it('counts the refractory period down after a spike (state { lif: { v, i }, rho })', async () => {
    const seq = new LIFMCRefrac(1, { lif: { vTh: 0.5 }, rhoReset: 3 }, { gCoupling: tf.zeros([1, 1]), recordStates: true });
    // The input reaches the current at the end of a step, so the voltage from the next step on.
    const [z, states] = seq.forward(tf.tensor([[[100]], [[0]], [[0]], [[0]], [[0]]]));
    expect(Array.from(await read(z))).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(await read(states.rho))).toEqual([0, 3, 2, 1, 0]);
    tf.dispose([z, states.lif.v, states.lif.i, states.rho]);
    seq.dispose();
  });

  it('rejects a coupling of the wrong shape before allocating', () => {
    const g = tf.zeros([4, 4]);
    expectRejects(() => new LIFMCRefracCell(3, p, { gCoupling: g }), /LIFMCRefracCell: argument 'options.gCoupling' expected shape \[3, 3\]/);
    g.dispose();
  });
});
