import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import { lifMCFeedForwardInitialState, lifMCFeedForwardStep, lifMCInitialState, lifMCStep } from '@snn/functional';
import { LIF } from './lif.js';
import { LIFMC, LIFMCCell, LIFMCRecurrent, LIFMCRecurrentCell } from './lif-mc.js';
import { expectRejects, feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const p = { tauMemInv: 120, vLeak: 0.05 };
// A strong coupling, so that it visibly shapes the dynamics in these few steps.
const strong = () => tf.tidy(() => tf.mul(tf.randomNormal([3, 3], 0, 1, 'float32', 9), 200));

describeEachBackend('LIFMC modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new LIFMCCell(3, p, o),
    sequence: (o = {}) => new LIFMC(3, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 25, 'float32', 1),
    trainable: 'tauMemInv',
    weights: ['gCoupling'],
    reference: (cell, x) => lifMCFeedForwardStep(x, lifMCFeedForwardInitialState(x.shape, p), cell.gCoupling, p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new LIFMCRecurrentCell(3, 4, p, o),
    sequence: (o = {}) => new LIFMCRecurrent(3, 4, p, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 30, 'float32', 2),
    trainable: 'vTh',
    weights: ['gCoupling'],
    reference: (cell, x) => lifMCStep(
      x, lifMCInitialState(x.shape[0]!, 4, p), cell.inputWeights, cell.recurrentWeights, cell.gCoupling, p, cell.dt,
    ),
  });

  it('copies a given coupling (the caller keeps its tensor); without one draws N(0, 1/N) from the seed', async () => {
    const g = strong();
    const cell = new LIFMCCell(3, p, { gCoupling: g });
    expect(Array.from(await read(cell.gCoupling))).toEqual(Array.from(await read(g)));
    expect(cell.gCoupling.trainable).toBe(true);
    cell.dispose();
    expect(g.isDisposed).toBe(false);
    g.dispose();
    const a = new LIFMCRecurrentCell(2, 300, p, { seed: 4 });
    const b = new LIFMCRecurrentCell(2, 300, p, { seed: 4 });
    const w = Array.from(await read(a.gCoupling));
    expect(w).toEqual(Array.from(await read(b.gCoupling)));
    expect(w).not.toEqual(Array.from(await read(a.recurrentWeights)));
    const variance = w.reduce((acc, v) => acc + v * v, 0) / w.length;
    expect(variance).toBeGreaterThan(0.95 / 300);
    expect(variance).toBeLessThan(1.05 / 300);
    expect([...a.namedVariables().keys()]).toEqual(['inputWeights', 'recurrentWeights', 'gCoupling']);
    a.dispose();
    b.dispose();
  });

  it('with a zero coupling it is plain LIF; with a strong one it is not', async () => {
    const x = tf.randomUniform([6, 2, 3], 0, 12, 'float32', 3);
    const zero = tf.zeros([3, 3]);
    const g = strong();
    const mc = new LIFMC(3, p, { gCoupling: zero, recordStates: true });
    const coupled = new LIFMC(3, p, { gCoupling: g, recordStates: true });
    const lif = new LIF(p, { recordStates: true });
    const [a, sa] = mc.forward(x);
    const [b, sb] = coupled.forward(x);
    const [l, sl] = lif.forward(x);
    expect(Array.from(await read(a))).toEqual(Array.from(await read(l)));
    expect(Array.from(await read(sa.v))).toEqual(Array.from(await read(sl.v)));
    expect(Array.from(await read(sb.v))).not.toEqual(Array.from(await read(sl.v)));
    tf.dispose([x, zero, g, a, sa.v, sa.i, b, sb.v, sb.i, l, sl.v, sl.i]);
    [mc, coupled, lif].forEach((m) => m.dispose());
  });

  it('rejects a coupling of the wrong shape and an input of the wrong size before allocating', () => {
    const g = tf.zeros([3, 2]);
    const x = tf.zeros([2, 4]);
    expectRejects(() => new LIFMCCell(3, p, { gCoupling: g }), /LIFMCCell: argument 'options.gCoupling' expected shape \[3, 3\]; received a float32 tensor of shape \[3, 2\]/);
    expectRejects(() => new LIFMCRecurrent(2, 3, p, { gCoupling: g }), /LIFMCRecurrentCell: argument 'options.gCoupling' expected shape \[3, 3\]/);
    expectRejects(() => new LIFMCCell(0), /LIFMCCell: argument 'size' expected an integer ≥ 1; received 0/);
    const cell = new LIFMCCell(3);
    expectRejects(() => cell.forward(x), /LIFMCCell.forward: argument 'input' expected shape \[\.\.\., 3\] \(one value per compartment\)/);
    cell.dispose();
    tf.dispose([g, x]);
  });
});
